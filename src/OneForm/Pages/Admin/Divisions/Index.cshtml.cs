using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using OneForm.Localization;
using OneForm.Organization.Divisions;
using OneForm.Pages.Shared;

namespace OneForm.Pages.Admin.Divisions;

[RequestSizeLimit(UploadLimits.DivisionsFile), RequestFormLimits(MultipartBodyLengthLimit = UploadLimits.DivisionsFile)]
public sealed class IndexModel(DivisionImporter importer, IStringLocalizer<SharedResource> l) : PageModel
{
    public ImportReport? Report { get; private set; }

    /// <summary>The file's columns as the national statistics files spell them, each with what it holds and the words it takes.</summary>
    public IReadOnlyList<FileColumn> FileColumns =>
    [
        new("code", l["Division code (12 digits)"]),
        new("name", l["Name"]),
        new("level", l["Level: 省, 地, 县, 乡 or 村 (or province, prefecture, county, township, village)"]),
        new("parent_code", l["Code of the unit above (empty for the top)"]),
        new(DivisionImporter.UrbanRuralColumn, l["Urban–rural classification code, optional: {0}", string.Join(", ", OneForm.Organization.UrbanRural.Codes)]),
    ];

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
