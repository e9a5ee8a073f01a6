using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using OneForm.Accounts;
using OneForm.Catalog;
using OneForm.Catalog.Inventory;
using OneForm.Data;
using OneForm.Localization;
using OneForm.Organization.Divisions;
using OneForm.Organization;

namespace OneForm.Pages.Catalog;

/// <summary>The legacy inventory (清理台账): every form before the catalogue and what became of it. The gatekeeper loads it from xlsx.</summary>
public sealed class InventoryModel(OneFormDbContext db, LegacyInventoryImporter importer, IStringLocalizer<SharedResource> l) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Category { get; set; }
    [BindProperty(SupportsGet = true)] public LegacyDisposition? Disposition { get; set; }

    public List<LegacyForm> Forms { get; private set; } = [];
    public List<string> Categories { get; private set; } = [];
    public ImportReport? Report { get; private set; }
    public bool CanImport => User.Scope().KeepsCatalogue;

    public async Task OnGetAsync()
    {
        Categories = await db.LegacyForms.Select(f => f.Category).Distinct().OrderBy(c => c).ToListAsync();
        var query = db.LegacyForms.AsNoTracking();
        if (!string.IsNullOrEmpty(Category))
        {
            query = query.Where(f => f.Category == Category);
        }
        if (Disposition is { } disposition)
        {
            query = query.Where(f => f.Disposition == disposition);
        }
        Forms = await query.OrderBy(f => f.No).ToListAsync();
    }

    public async Task<IActionResult> OnPostAsync(IFormFile? file)
    {
        if (!CanImport)
        {
            return Forbid();
        }
        if (file is null || file.Length == 0)
        {
            ModelState.AddModelError("", l["Choose an xlsx or CSV file to import."]);
        }
        else
        {
            await using var stream = file.OpenReadStream();
            Report = await importer.ImportAsync(stream, file.FileName.EndsWith(".csv", StringComparison.OrdinalIgnoreCase));
        }
        await OnGetAsync();
        return Page();
    }
}
