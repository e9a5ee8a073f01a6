using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using OneForm.Localization;
using OneForm.Organization.Divisions;

namespace OneForm.Pages.Admin.Divisions;

public sealed class IndexModel(DivisionImporter importer, IStringLocalizer<SharedResource> l) : PageModel
{
    public ImportReport? Report { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(IFormFile? file)
    {
        if (file is null || file.Length == 0)
        {
            ModelState.AddModelError("", l["Choose a CSV file to import."]);
            return Page();
        }
        await using var stream = file.OpenReadStream();
        Report = await importer.ImportAsync(stream, file.FileName, HttpContext.RequestAborted);
        return Page();
    }
}
