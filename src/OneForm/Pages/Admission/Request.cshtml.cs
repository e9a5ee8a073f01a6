using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OneForm.Accounts;
using OneForm.Admission;
using OneForm.Data;
using OneForm.Organization;

namespace OneForm.Pages.Admission;

/// <summary>
/// One request and its analysis. The department accepts or declines suggested matches, submits or withdraws; the
/// gatekeeper admits, refuses or returns it with reasons.
/// </summary>
public sealed class RequestModel(OneFormDbContext db, AdmissionWorkflow workflow, AdmissionAnalyzer analyzer) : PageModel
{
    public AdmissionRequest Proposal { get; private set; } = null!;
    public AnalysisResult Analysis { get; private set; } = null!;
    public bool IsDepartment { get; private set; }
    public bool IsGatekeeper { get; private set; }
    public string? Problem { get; private set; }

    /// <summary>The names of the unit groups the request is limited to.</summary>
    public IReadOnlyList<string> GroupNames { get; private set; } = [];

    [BindProperty] public string? Reasons { get; set; }

    public async Task<IActionResult> OnGetAsync(int id) => await LoadAsync(id) ?? Page();

    public Task<IActionResult> OnPostAcceptAsync(int id, int field, string? code) =>
        StepAsync(id, department: true, async r => await workflow.AcceptAsync(r, new AcceptBody(field, string.IsNullOrEmpty(code) ? null : code)));

    public Task<IActionResult> OnPostSubmitAsync(int id) => StepAsync(id, department: true, r => Task.FromResult(workflow.Submit(r)));

    public Task<IActionResult> OnPostWithdrawAsync(int id) => StepAsync(id, department: true, r => Task.FromResult(workflow.Withdraw(r)));

    public Task<IActionResult> OnPostRefuseAsync(int id) =>
        StepAsync(id, department: false, r => workflow.DecideAsync(r, AdmissionState.Refused, Reasons, User.ActorId()));

    public Task<IActionResult> OnPostReturnAsync(int id) =>
        StepAsync(id, department: false, r => workflow.DecideAsync(r, AdmissionState.Returned, Reasons, User.ActorId()));

    public async Task<IActionResult> OnPostAdmitAsync(int id)
    {
        if (await LoadAsync(id) is { } refusal)
        {
            return refusal;
        }
        if (!IsGatekeeper)
        {
            return Forbid();
        }
        Problem = await workflow.AdmitAsync(Proposal, Reasons, User.ActorId());
        return Problem is null ? Redirect($"/Admission/Request/{id}") : Page();
    }

    private async Task<IActionResult> StepAsync(int id, bool department, Func<AdmissionRequest, Task<string?>> step)
    {
        if (await LoadAsync(id) is { } refusal)
        {
            return refusal;
        }
        if (department ? !IsDepartment : !IsGatekeeper)
        {
            return Forbid();
        }
        Problem = await step(Proposal);
        if (Problem is not null)
        {
            Analysis = await analyzer.ForAsync(Proposal);
            return Page();
        }
        await db.SaveChangesAsync();
        return Redirect($"/Admission/Request/{id}");
    }

    private async Task<IActionResult?> LoadAsync(int id)
    {
        var scope = User.Scope();
        if (await workflow.FindAsync(id) is not { } request || !AdmissionWorkflow.CanSee(scope, request))
        {
            return NotFound();
        }
        Proposal = request;
        IsDepartment = scope.Role == Role.Department;
        IsGatekeeper = scope.KeepsCatalogue;
        Analysis = await analyzer.ForAsync(request);
        GroupNames = request.Groups.Count == 0 ? [] : [.. (await UnitGroupQueries.ByCodesAsync(db, request.Groups)).Select(g => g.Name)];
        return null;
    }
}
