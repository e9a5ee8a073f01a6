using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using OneForm.Catalog;
using OneForm.Data;
using OneForm.Localization;
using OneForm.Organization;

namespace OneForm.Collection;

public sealed record SheetForm(int TaskId, string Code, string Name, string Period, string Status);

/// <param name="Prefilled">Elements OneForm filled (registry, other periods …); <paramref name="Missing"/>: elements still without a value.</param>
public sealed record SheetResponse(string Unit, string UnitName, string Category, string CategoryName, DateOnly PeriodEnd, DateOnly Deadline,
    bool Overdue, string State, string StateName, int Elements, int Prefilled, int Missing, IReadOnlyList<SheetForm> Forms);

/// <param name="Typed">False for what OneForm fills (registry, ledgers, formula, the shorter periods): <paramref name="Origin"/> says from where.</param>
/// <param name="Offered">For a stock without a value, last period's value (上期值): sending it back unchanged with carriedForward=true keeps it.</param>
public sealed record SheetCellResponse(string Element, string Name, string Topic, string Period, string ValueType, string? Unit, bool Required,
    string? Value, uint Version, string? Source, bool Typed, string? Origin, string? Offered, string? ReviewerComment);

public sealed record RosterRowResponse(long Resident, string Name, string IdentityMasked, int Age, IReadOnlyDictionary<string, string?> Values);

public sealed record RosterSectionResponse(string Title, IReadOnlyList<string> Columns, IReadOnlyList<RosterRowResponse> Rows);

public sealed record SheetDetail(SheetResponse Sheet, IReadOnlyList<SheetCellResponse> Cells, IReadOnlyList<RosterSectionResponse> Rosters);

/// <summary>A roster correction: one resident's attribute (yes, no, or null to clear).</summary>
public sealed record RosterCellInput(long Resident, string Element, string? Value);

/// <summary>What a cadre sends for a sheet: values (each element once), roster corrections, saved together or not at all.</summary>
public sealed record SheetValuesRequest(IReadOnlyList<ValueInput>? Values, IReadOnlyList<RosterCellInput>? Roster = null, bool Submit = false,
    IReadOnlyDictionary<int, string>? Reasons = null);

/// <summary>A return: a general comment, comments on single fields by element code, or both.</summary>
public sealed record SheetReturnRequest(string? Comment, IReadOnlyDictionary<string, string?>? Fields = null);

public static class SheetsApi
{
    private const string Sheet = "/{unit}/{category}/{end}";

    public static void MapSheetsApi(this IEndpointRouteBuilder routes)
    {
        var sheets = routes.MapGroup("/api/v1/sheets").WithTags("Collection");
        sheets.MapGet(Sheet, GetAsync)
            .WithSummary("One category sheet: each element once with its value and where it came from, and its roster sections.")
            .WithDescription("`category` is PartyBuilding, Livelihood, SafetyGovernance or Development; `end` the day its periods end (yyyy-MM-dd).")
            .Allow(Operations.TasksRead);
        sheets.MapPut(Sheet + "/values", SaveAsync)
            .WithSummary("Save (or with submit=true, submit) a sheet's values and roster corrections, all or nothing, through the same writer as the page.")
            .WithDescription("Each value says the value and version it started from, so no one's change is overwritten; values OneForm fills are refused by field. " +
                "A change of a value that a submitted or accepted form of the unit holds reopens that form (listed in `reopened`).")
            .Allow(Operations.TasksFill);
        sheets.MapPost(Sheet + "/sign-off", (string unit, string category, string end, ClaimsPrincipal user, SheetFilling filling, TaskWorkflow flow) =>
                StepAsync(unit, category, end, user, filling, s => flow.SignOffAsync(s.Tasks, user.Scope(), user.ActorId())))
            .WithSummary("The unit head signs the whole sheet off.")
            .Allow(Operations.TasksSignOff).ProducesProblem(StatusCodes.Status409Conflict);
        sheets.MapPost(Sheet + "/accept", (string unit, string category, string end, ClaimsPrincipal user, SheetFilling filling, TaskWorkflow flow) =>
                StepAsync(unit, category, end, user, filling, s => flow.AcceptAsync(s.Tasks, user.Scope(), user.ActorId())))
            .WithSummary("A reviewer above the unit accepts the signed-off sheet: each of its forms is accepted (and departments told).")
            .Allow(Operations.TasksReview).ProducesProblem(StatusCodes.Status409Conflict);
        sheets.MapPost(Sheet + "/return", (string unit, string category, string end, SheetReturnRequest request, ClaimsPrincipal user, SheetFilling filling,
                TaskWorkflow flow) =>
                StepAsync(unit, category, end, user, filling, s => flow.ReturnAsync(s.Tasks, user.Scope(), user.ActorId(), request.Comment,
                    SheetFilling.FieldComments(s, request.Fields))))
            .WithSummary("A reviewer returns the sheet to the unit with a comment, comments on single fields, or both.")
            .Allow(Operations.TasksReview).ProducesProblem(StatusCodes.Status409Conflict);
        sheets.MapPost(Sheet + "/return-to-cadre", (string unit, string category, string end, ReturnRequest request, ClaimsPrincipal user, SheetFilling filling,
                TaskWorkflow flow) =>
                StepAsync(unit, category, end, user, filling, s => flow.ReturnToCadreAsync(s.Tasks, user.Scope(), user.ActorId(), request.Comment)))
            .WithSummary("The unit head returns the submitted sheet to the cadre with a comment.")
            .Allow(Operations.TasksSignOff).ProducesProblem(StatusCodes.Status409Conflict);
        sheets.MapPost(Sheet + "/withdraw", (string unit, string category, string end, ClaimsPrincipal user, SheetFilling filling, TaskWorkflow flow) =>
                StepAsync(unit, category, end, user, filling, s => flow.WithdrawAsync(s.Tasks, user.Scope())))
            .WithSummary("A cadre takes the sheet's submission not yet reviewed back to draft.")
            .Allow(Operations.TasksFill).ProducesProblem(StatusCodes.Status409Conflict);
        sheets.MapGet(Sheet + "/file", DownloadAsync)
            .WithSummary("The sheet as a file to fill offline (format=xlsx or csv): each element once; what OneForm fills is shown and not read back.")
            .Allow(Operations.TasksRead);
        sheets.MapPost(Sheet + "/file", UploadAsync).DisableAntiforgery()
            .WithSummary("Upload a filled file of the sheet; rejected cells are listed by row and column. Nothing is saved from a file with errors unless saveValidCells=true.")
            .Allow(Operations.TasksFill);
        sheets.MapGet("/", ListAsync)
            .WithSummary("The category sheets of a unit (一类工作一张表): one per category of work and period end, each element once, due soonest first.")
            .WithDescription("Without `unit`, the caller's own unit. A sheet gathers the unit's tasks of one category whose periods end on the same day " +
                "(a month, its quarter, its half-year and its year); its forms stay what departments receive.")
            .Allow(Operations.TasksRead);
    }

    private static async Task<Results<Ok<List<SheetResponse>>, NotFound>> ListAsync(string? unit, ClaimsPrincipal user, OneFormDbContext db,
        DisplayTime time, IStringLocalizer<SharedResource> l)
    {
        var scope = user.Scope();
        var code = string.IsNullOrWhiteSpace(unit) ? null : unit.Trim();
        var target = code is null
            ? scope.OrgUnitId is { } own ? await db.OrgUnits.AsNoTracking().SingleAsync(u => u.Id == own) : null
            : await db.OrgUnits.AsNoTracking().SingleOrDefaultAsync(u => u.Code == code);
        if (target is null || !scope.CanSeeTasksOf(target))
        {
            return TypedResults.NotFound();
        }
        var today = time.Today;
        var culture = CultureInfo.CurrentUICulture;
        var sheets = await CategorySheets.OfUnitAsync(db, target.Id, today.AddMonths(-3));
        return TypedResults.Ok(sheets.OrderByDescending(s => s.IsOverdue(today)).ThenBy(s => s.Deadline).ThenBy(s => s.Key.Category)
            .Select(s => Summary(s, today, l, culture)).ToList());
    }

    private static SheetResponse Summary(CategorySheets.Sheet s, DateOnly today, IStringLocalizer l, CultureInfo culture) =>
        new(s.Unit.Code, s.Unit.Name, s.Key.Category.ToString(), FormCategories.Name(s.Key.Category, l), s.Key.PeriodEnd,
            s.Deadline, s.IsOverdue(today), s.State.ToString(), TaskStates.Name(s.State, l), s.Cells.Count, s.Prefilled, s.Missing,
            [.. s.Tasks.Select(t => new SheetForm(t.Id, t.Form!.Code, t.Form.DisplayName(culture), t.PeriodCode, t.Status.ToString()))]);

    private static async Task<Results<Ok<SheetDetail>, NotFound>> GetAsync(string unit, string category, string end, ClaimsPrincipal user,
        SheetFilling filling, OneFormDbContext db, DisplayTime time, IStringLocalizer<SharedResource> l)
    {
        var sheet = await filling.LoadAsync(unit, category, end, user.Scope());
        if (sheet is null)
        {
            return TypedResults.NotFound();
        }
        var culture = CultureInfo.CurrentUICulture;
        var cells = await filling.CellsAsync(sheet);
        var rosters = new List<RosterSectionResponse>();
        foreach (var (task, section) in filling.RosterSections(sheet))
        {
            var columns = section.Fields.OrderBy(f => f.Order).Select(f => f.DataElement!).ToList();
            var rows = await OneForm.Registry.Rosters.ForAsync(db, section.Roster(), sheet.Key.UnitId, Period.Parse(task.PeriodCode).End);
            rosters.Add(new(section.DisplayTitle(culture), [.. columns.Select(c => c.Code)],
                [.. rows.Select(r => new RosterRowResponse(r.Resident.Id, r.Resident.Name, r.Resident.IdentityMasked, r.Age,
                    columns.ToDictionary(c => c.Code, c => r.Values.GetValueOrDefault(c.Id))))]));
        }
        return TypedResults.Ok(new SheetDetail(Summary(sheet, time.Today, l, culture),
            [.. cells.Select(c => new SheetCellResponse(c.Cell.Element.Code, c.Cell.Element.DisplayName(culture), c.Cell.Section.DisplayTitle(culture), c.Cell.Period,
                c.Cell.Element.ValueType.ToString(), c.Cell.Element.Unit, c.Cell.Element.Required, c.Cell.Value?.Value, c.Cell.Value?.RowVersion ?? 0,
                c.Cell.Value?.Source.ToString(), c.Typed, c.Origin, c.Offer, c.Comment?.Text))],
            rosters));
    }

    private static async Task<Results<Ok<SaveResult>, NotFound, ForbidHttpResult, Conflict<SaveResult>, ValidationProblem>> SaveAsync(
        string unit, string category, string end, SheetValuesRequest request, ClaimsPrincipal user, SheetFilling filling, OneFormDbContext db,
        IStringLocalizer<SharedResource> l)
    {
        var scope = user.Scope();
        var sheet = await filling.LoadAsync(unit, category, end, scope);
        if (sheet is null)
        {
            return TypedResults.NotFound();
        }
        if (!SheetFilling.CanFill(sheet, scope))
        {
            return TypedResults.Forbid();
        }
        var (roster, problems) = await filling.RosterChangesAsync(sheet, request.Roster ?? []);
        if (problems.Count > 0)
        {
            return CollectionApi.ByField(problems);
        }
        return CollectionApi.Answer(await filling.SaveAsync(sheet, request.Values ?? [], user.ActorId(), ValueSource.Entered, null, request.Submit, request.Reasons, roster));
    }

    private static async Task<IResult> DownloadAsync(string unit, string category, string end, string? format, ClaimsPrincipal user, SheetFilling filling,
        Files.FormFiles files, HttpContext http, Microsoft.Extensions.Localization.IStringLocalizer<OneForm.Localization.SharedResource> l)
    {
        var sheet = await filling.LoadAsync(unit, category, end, user.Scope());
        if (sheet is null)
        {
            return TypedResults.NotFound();
        }
        var chosen = string.Equals(format, "csv", StringComparison.OrdinalIgnoreCase) ? Files.FileFormat.Csv : Files.FileFormat.Xlsx;
        var cells = await filling.CellsAsync(sheet);
        var name = filling.Name(sheet);
        return Results.Stream(output => files.WriteSheetAsync(output, sheet, cells, name, chosen, http.RequestAborted), Files.FormFiles.ContentType(chosen),
            Files.FormFiles.FileName(sheet, chosen, l));
    }

    private static async Task<Results<Ok<Files.FileImportResult>, NotFound, ForbidHttpResult, ProblemHttpResult, ValidationProblem>> UploadAsync(
        string unit, string category, string end, IFormFile? file, bool? saveValidCells, ClaimsPrincipal user, SheetFilling filling, Files.FormFiles files,
        IStringLocalizer<SharedResource> l)
    {
        var scope = user.Scope();
        var sheet = await filling.LoadAsync(unit, category, end, scope);
        if (sheet is null)
        {
            return TypedResults.NotFound();
        }
        if (!SheetFilling.CanFill(sheet, scope))
        {
            return TypedResults.Forbid();
        }
        if (file is null || file.Length == 0)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["file"] = [l["Choose an xlsx or CSV file to import."]] });
        }
        return CollectionApi.Answer(await filling.ImportAsync(sheet, file, user.ActorId(), saveValidCells ?? false), l);
    }

    private static async Task<Results<NoContent, NotFound, ProblemHttpResult>> StepAsync(string unit, string category, string end, ClaimsPrincipal user,
        SheetFilling filling, Func<CategorySheets.Sheet, Task<string?>> step)
    {
        var sheet = await filling.LoadAsync(unit, category, end, user.Scope());
        if (sheet is null)
        {
            return TypedResults.NotFound();
        }
        var problem = await step(sheet);
        return problem is null ? TypedResults.NoContent() : TypedResults.Problem(problem, statusCode: StatusCodes.Status409Conflict);
    }
}
