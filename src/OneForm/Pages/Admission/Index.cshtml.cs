using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using OneForm.Accounts;
using OneForm.Admission;
using OneForm.Data;
using OneForm.Organization;

namespace OneForm.Pages.Admission;

/// <summary>Admission requests: a department's own, or for the gatekeeper every submitted one, waiting ones first.</summary>
public sealed class IndexModel(OneFormDbContext db) : PageModel
{
    public List<AdmissionRequest> Requests { get; private set; } = [];
    public bool CanPropose { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        var scope = User.Scope();
        if (!scope.Admits(Operations.AdmissionRead))
        {
            return Forbid();
        }
        CanPropose = scope.Admits(Operations.AdmissionPropose);
        Requests = await AdmissionWorkflow.Visible(db.AdmissionRequests.AsNoTracking().Include(r => r.Department).Include(r => r.Fields).Include(r => r.Form), scope)
            .OrderBy(r => r.State == AdmissionState.Submitted ? 0 : 1).ThenByDescending(r => r.Id).ToListAsync();
        return Page();
    }
}
