using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using OneForm.Accounts;
using OneForm.Data;
using OneForm.Dictionary;
using OneForm.Localization;
using OneForm.Sharing;
using OneForm.Organization;
using OneForm.Pages.Shared;

namespace OneForm.Pages.Grants;

/// <summary>Grants a department asked for and was asked for: ask for one, and as the owner approve, refuse or revoke.</summary>
public sealed class IndexModel(OneFormDbContext db, GrantWorkflow workflow, DisplayTime time) : PageModel
{
    public List<DataGrant> Grants { get; private set; } = [];
    public List<DataElement> Others { get; private set; } = [];
    public Dictionary<string, string> Subtrees { get; private set; } = [];
    public Dictionary<string, string[]> Errors { get; private set; } = [];
    public string? Problem { get; private set; }
    public CallerScope Caller { get; private set; } = null!;
    public DateOnly Today => time.Today;
    public UnitLookup UnitLookup { get; private set; } = UnitLookup.Empty;

    [BindProperty] public List<string> Elements { get; set; } = [];
    [BindProperty] public string? UnitCode { get; set; }
    [BindProperty] public int FromYear { get; set; }
    [BindProperty] public int ToYear { get; set; }
    [BindProperty] public string Purpose { get; set; } = "";
    [BindProperty] public string? Note { get; set; }
    [BindProperty] public DateOnly? ExpiresOn { get; set; }

    public async Task<IActionResult> OnGetAsync()
    {
        if (await LoadAsync() is { } refusal)
        {
            return refusal;
        }
        FromYear = ToYear = time.Today.Year;
        return Page();
    }

    public async Task<IActionResult> OnPostAskAsync()
    {
        if (await LoadAsync() is { } refusal)
        {
            return refusal;
        }
        if (!Caller.Admits(Operations.GrantsRequest))
        {
            return Forbid();
        }
        UnitLookup = await this.ReadUnitAsync(db, nameof(UnitCode), UnitCode);
        if (UnitLookup.NotFound || UnitLookup.Choices.Count > 0)
        {
            return Page();
        }
        UnitCode = UnitLookup.Unit?.Code;
        (_, Errors) = await workflow.RequestAsync(new GrantRequest(Elements, UnitCode, FromYear, ToYear, Purpose), Caller, User.ActorId());
        return Errors.Count > 0 ? Page() : Redirect("/Grants");
    }

    public Task<IActionResult> OnPostApproveAsync(int id) => DecideAsync(id, GrantState.Approved);

    public Task<IActionResult> OnPostRefuseAsync(int id) => DecideAsync(id, GrantState.Refused);

    public Task<IActionResult> OnPostRevokeAsync(int id) => DecideAsync(id, GrantState.Revoked);

    private async Task<IActionResult> DecideAsync(int id, GrantState decision)
    {
        if (await LoadAsync() is { } refusal)
        {
            return refusal;
        }
        if (Grants.FirstOrDefault(g => g.Id == id) is not { } grant || !GrantWorkflow.MayDecide(Caller, grant))
        {
            return NotFound();
        }
        var tracked = (await workflow.FindAsync(id))!;
        Problem = workflow.Decide(tracked, decision, new GrantDecision(ExpiresOn, Note), User.ActorId());
        if (Problem is not null)
        {
            return Page();
        }
        await db.SaveChangesAsync();
        return Redirect("/Grants");
    }

    private async Task<IActionResult?> LoadAsync()
    {
        Caller = User.Scope();
        if (!Caller.Admits(Operations.GrantsRead))
        {
            return Forbid();
        }
        Grants = await GrantWorkflow.Visible(db.DataGrants.AsNoTracking().Include(g => g.Grantee).Include(g => g.Owner)
            .Include(g => g.Elements).ThenInclude(e => e.DataElement), Caller).OrderByDescending(g => g.Id).ToListAsync();
        var paths = Grants.Select(g => g.SubtreePath).OfType<string>().Distinct().ToList();
        Subtrees = await OrgUnitQueries.NamesByPathAsync(db, paths);
        if (Caller.Role == Role.Department)
        {
            Others = await ElementQueries.OwnedByOthersAsync(db, Caller.DepartmentId);
        }
        return null;
    }
}
