using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OneForm.Admission;
using OneForm.Data;
using OneForm.Localization;

namespace OneForm.Pages;

/// <summary>The public check of an admission code: anyone, signed in or not, types or scans a code.</summary>
public sealed class VerifyModel(OneFormDbContext db, DisplayTime time) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Code { get; set; }

    public CodeCheck? Result { get; private set; }

    public async Task OnGetAsync()
    {
        if (!string.IsNullOrWhiteSpace(Code))
        {
            Result = await AdmissionCodes.CheckAsync(db, Code, time.Today);
        }
    }
}
