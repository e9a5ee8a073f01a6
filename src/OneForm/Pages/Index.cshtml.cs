using System.Security.Claims;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using OneForm.Accounts;
using OneForm.Admission;
using OneForm.Collection;
using OneForm.Localization;
using OneForm.Data;
using OneForm.Organization;
using OneForm.Registry;
using OneForm.Reports;
using OneForm.Sharing;

namespace OneForm.Pages;

/// <summary>
/// Every role lands here and sees its scope and its to-do: one card per kind of work waiting, with its count, the
/// whole card a link to the next task (or the list it is in). A card with nothing waiting says so rather than vanishing.
/// </summary>
public sealed class IndexModel(OneFormDbContext db, DisplayTime time, SheetFilling filling, TimeProvider clock, IStringLocalizer<SharedResource> l) : PageModel
{
    /// <summary>One kind of work waiting: what it is, how many, where the next one is, and what to say when there is none.</summary>
    public sealed record ToDo(string Id, string Title, int Count, string Href, string None);

    /// <summary>The role's to-do cards, most pressing first.</summary>
    public List<ToDo> ToDos { get; private set; } = [];

    /// <summary>The unit's category sheets by deadline, overdue deadlines first (a cadre's and a head's to-do).</summary>
    public List<IGrouping<DateOnly, CategorySheets.Sheet>> Due { get; private set; } = [];

    /// <summary>The unit's sheets returned by the reviewer or the head, or reopened: they come first.</summary>
    public List<CategorySheets.Sheet> Returned { get; private set; } = [];

    /// <summary>The sheets waiting for the head's signature.</summary>
    public List<CategorySheets.Sheet> ToSign { get; private set; } = [];

    /// <summary>The sheets of the units below waiting for the reviewer, by unit.</summary>
    public List<IGrouping<OrgUnit, CategorySheets.Sheet>> ToReview { get; private set; } = [];

    public SheetFilling Filling => filling;
    public DateOnly Today => time.Today;

    public CallerScope Scope { get; private set; } = null!;
    public string DisplayName { get; private set; } = "";
    public OrgUnit? Unit { get; private set; }
    public List<OrgUnit> Ancestors { get; private set; } = [];
    public Department? Department { get; private set; }
    public int UnitsBelow { get; private set; }
    public int UnitCount { get; private set; }
    public int AccountCount { get; private set; }
    public int DepartmentCount { get; private set; }

    public async Task OnGetAsync()
    {
        Scope = User.Scope();
        DisplayName = User.FindFirstValue(ScopeClaims.DisplayName) is { Length: > 0 } name ? name : User.Identity!.Name!;
        if (Scope.OrgUnitId is { } unitId)
        {
            Unit = await OrgUnitQueries.ByIdAsync(db, unitId);
            var codes = Unit.PathCodes.SkipLast(1).ToList();
            Ancestors = await OrgUnitQueries.ByCodesAsync(db, codes);
            UnitsBelow = await OrgUnitQueries.IdsInSubtree(db, Unit.Path).CountAsync() - 1;
            if (Scope.CanFillFor(Unit))
            {
                await UnitToDoAsync(unitId);
            }
            if (Scope.Role == Role.Reviewer)
            {
                await ReviewerToDoAsync(Unit);
            }
        }
        if (Scope.DepartmentId is { } departmentId)
        {
            Department = await DepartmentQueries.ByIdAsync(db, departmentId);
            if (Scope.Role == Role.Department)
            {
                await DepartmentToDoAsync(departmentId);
            }
        }
        if (Scope.Role == Role.Gatekeeper)
        {
            await GatekeeperToDoAsync();
        }
        if (Scope.CanAdminister)
        {
            UnitCount = await OrgUnitQueries.CountAsync(db);
            AccountCount = await AccountQueries.CountAsync(db);
            DepartmentCount = await DepartmentQueries.CountAsync(db);
            var failed = await ImportQueries.FailedAsync(db, clock.GetUtcNow());
            ToDos.Add(new("failed-imports", l["Failed registry imports"], failed.Count,
                failed.Count == 1 ? $"/Registry/Imports?id={failed[0].Id}" : "/Registry/Imports", l["No import has failed."]));
        }
    }

    private async Task UnitToDoAsync(int unitId)
    {
        // The unit's sheets by deadline, a deadline with overdue sheets first; accepted ones only while recent.
        var sheets = await CategorySheets.OfUnitAsync(db, unitId, Today.AddMonths(-1));
        Due = [.. sheets.GroupBy(s => s.Deadline)
            .OrderByDescending(g => g.Any(s => s.IsOverdue(Today))).ThenBy(g => g.All(s => s.State == TaskState.Accepted)).ThenBy(g => g.Key)];
        Returned = [.. sheets.Where(s => s.State is TaskState.Returned or TaskState.Reopened)];
        ToSign = Scope.Admits(Operations.TasksSignOff) ? [.. sheets.Where(s => s.State == TaskState.Submitted && !s.SignedOff)] : [];
        var open = sheets.Where(s => s.State is TaskState.NotStarted or TaskState.Draft)
            .OrderByDescending(s => s.IsOverdue(Today)).ThenBy(s => s.Deadline).ToList();
        ToDos.Add(new("returned", l["Returned to you"], Returned.Count, Next(Returned, "#returned"), l["Nothing was returned to you."]));
        if (Scope.Admits(Operations.TasksSignOff))
        {
            ToDos.Add(new("to-sign-count", l["Waiting for your signature"], ToSign.Count, Next(ToSign, "#to-sign"), l["Nothing waits for your signature."]));
        }
        ToDos.Add(new("to-fill", l["Sheets to fill"], open.Count, Next(open, "#due"), l["Nothing to fill at the moment."]));
    }

    private async Task ReviewerToDoAsync(OrgUnit unit)
    {
        var waiting = (await CategorySheets.SubmittedBelowAsync(db, unit)).Where(s => s.SignedOff).ToList();
        ToReview = [.. waiting.GroupBy(s => s.Unit)];
        var notStarted = await UnitsNotStarted.BelowAsync(db, unit);
        ToDos.Add(new("to-review-count", l["Waiting for your review"], waiting.Count, Next(waiting, "/Collection/Review"),
            l["No signed-off sheet is waiting for review."]));
        ToDos.Add(new("not-started", l["Units not started"], notStarted.Count, "/Collection/Review?notStarted=true", l["Every unit below has started."]));
    }

    private async Task DepartmentToDoAsync(int departmentId)
    {
        ToDos.Add(new("grants-to-decide", l["Grant requests to decide"], await GrantQueries.WaitingForOwnerAsync(db, departmentId), "/Grants",
            l["No grant request is waiting for you."]));
        ToDos.Add(new("exports-ready", l["Exports ready to download"], await ExportQueries.ReadyForAsync(db, User.ActorId()), "/Exports",
            l["No export is ready."]));
        ToDos.Add(new("reports-about-forms", l["Reports about your forms"], await ReportQueries.OpenAgainstAsync(db, departmentId), "/Reports",
            l["No report about your forms is open."]));
        ToDos.Add(new("admission-returned", l["Admission requests returned for changes"], await AdmissionQueries.ReturnedToAsync(db, departmentId), "/Admission",
            l["No admission request was returned to you."]));
    }

    private async Task GatekeeperToDoAsync()
    {
        ToDos.Add(new("admissions-waiting", l["Admission requests waiting"], await AdmissionQueries.WaitingAsync(db), "/Admission",
            l["No admission request is waiting."]));
        ToDos.Add(new("reports-to-handle", l["Reports to handle"], await ReportQueries.ToHandleAsync(db), "/Reports",
            l["No report is waiting to be handled."]));
        ToDos.Add(new("rectifications-overdue", l["Rectifications overdue"], await ReportQueries.RectificationsOverdueAsync(db, Today), "/Reports?overdue=true",
            l["No rectification is overdue."]));
    }

    /// <summary>One tap to the next task: the first sheet of the list, or where the list is when there is none.</summary>
    private static string Next(IReadOnlyList<CategorySheets.Sheet> sheets, string otherwise) =>
        sheets.Count > 0 ? $"/Collection/Sheet/{sheets[0].RouteKey}" : otherwise;
}
