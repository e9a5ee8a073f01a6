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
using OneForm.Pages.Shared;

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

    /// <summary>The file's columns as the file spells them, each with what it holds and the words it takes.</summary>
    public IReadOnlyList<FileColumn> FileColumns =>
    [
        new("no", l["Number in the inventory"]),
        new("name", l["Name of the form"]),
        new("category", l["Category"]),
        new("item", l["Item of work"]),
        new("issuer", l["Issuing department"]),
        new("issuer_level", l["Issuing level"], [.. Enum.GetValues<IssuerLevel>().Select(v => (v.ToString(), FormCategories.IssuerLevelName(v, l)))]),
        new("cycle", l["Cycle"]),
        new("field_count", l["Number of fields"]),
        new("disposition", l["What became of it"], [.. LegacyInventoryImporter.DispositionWords.Select(d => (d.Key, FormCategories.DispositionName(d.Value, l)))]),
        new("replaced_by", l["Code of the form it was merged into (when merged)"]),
    ];

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
