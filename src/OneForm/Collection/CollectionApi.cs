using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using OneForm.Accounts;
using OneForm.Collection.Files;
using OneForm.Data;
using OneForm.Dictionary;
using OneForm.Localization;
using OneForm.Organization;

namespace OneForm.Collection;

public sealed record TaskSummary(int Id, string FormCode, string FormName, string Period, string OrgUnitCode, string OrgUnitName,
    DateOnly Deadline, string Status, bool Overdue, int Filled, int Fields);

public sealed record TaskValue(string Element, string Name, string ValueType, string? Unit, bool Required, string? Value,
    uint Version, string? Source, string? UpdatedBy, DateTimeOffset? UpdatedAt, int? ThroughFormId);

/// <summary>A warning the cadre confirmed on submitting, with its reason, for the reviewer.</summary>
public sealed record ConfirmedWarningResponse(int RuleId, string Rule, string Period, string Message, string Reason, string ConfirmedBy, DateTimeOffset ConfirmedAt);

/// <param name="WouldReopen">The submitted or accepted tasks that saving a change through this one would send back to the unit.</param>
/// <param name="Changes">For a reopened task: the changes of its values since it was submitted, which brought it back.</param>
/// <param name="Checks">The checks across fields that the values held now break (errors block submission; warnings need a reason).</param>
/// <param name="ConfirmedWarnings">The warnings confirmed with a reason at the last submission.</param>
public sealed record TaskDetail(TaskSummary Task, string? SignedOffBy, string? ReviewedBy, string? ReviewComment, IReadOnlyList<TaskValue> Values,
    IReadOnlyList<ReopenedTask>? WouldReopen = null, IReadOnlyList<TaskChange>? Changes = null,
    IReadOnlyList<Dictionary.Validation.RuleViolation>? Checks = null, IReadOnlyList<ConfirmedWarningResponse>? ConfirmedWarnings = null);

/// <param name="Reasons">On submission: the reason for each warning confirmed, by rule id (see `checks` of GET /api/v1/tasks/{id}).</param>
public sealed record ValuesRequest(IReadOnlyList<ValueInput> Values, bool Submit = false, IReadOnlyDictionary<int, string>? Reasons = null);

public sealed record ReturnRequest(string Comment);

public sealed record ValueChangeResponse(string? OldValue, string? NewValue, string Source, string ChangedBy, DateTimeOffset ChangedAt,
    int? ThroughFormId, string? ThroughFile);

public sealed record PeriodResponse(string Code, string Cycle, DateOnly Start, DateOnly End);

/// <param name="Accepted">How many of the units that reported the value have it accepted (a task holding it accepted).</param>
/// <param name="AcceptedOnly">Whether Value and Reported count accepted values only.</param>
public sealed record RollUpRow(string Element, string Name, string Aggregation, double? Value, int Reported, int Units, int Accepted = 0,
    bool AcceptedOnly = false);

internal static class CollectionApi
{
    public static void MapCollectionApi(this IEndpointRouteBuilder routes)
    {
        var tasks = routes.MapGroup("/api/v1/tasks").WithTags("Collection");
        tasks.MapGet("/", ListAsync).WithSummary("Tasks the caller fills or reviews, overdue first, then by deadline.")
            .Allow(Operations.TasksRead);
        tasks.MapGet("/{id:int}", GetAsync).WithSummary("One task with every field's value and where it came from.")
            .Allow(Operations.TasksRead);
        tasks.MapPut("/{id:int}/values", SaveAsync)
            .WithSummary("Save values (all or nothing); each says the value and version it started from, so no one's change is overwritten.")
            .WithDescription("A change of a value that a submitted, signed-off or accepted task of the unit and period holds (through any form) sends that task " +
                "back to the unit (status Reopened): it needs submitting, signing off and reviewing again. The answer lists those tasks in `reopened`; " +
                "GET /api/v1/tasks/{id} lists them before saving in `wouldReopen`.")
            .Allow(Operations.TasksFill);
        tasks.MapPost("/{id:int}/sign-off", (int id, ClaimsPrincipal user, TaskWorkflow flow) => StepAsync(id, user, flow, t => flow.SignOffAsync(t, user.Scope(), user.ActorId())))
            .WithSummary("The unit head signs a submission off.")
            .Allow(Operations.TasksSignOff)
            .ProducesProblem(StatusCodes.Status409Conflict);
        tasks.MapPost("/{id:int}/accept", (int id, ClaimsPrincipal user, TaskWorkflow flow) => StepAsync(id, user, flow, t => flow.AcceptAsync(t, user.Scope(), user.ActorId())))
            .WithSummary("A reviewer above the unit accepts a signed-off submission.")
            .Allow(Operations.TasksReview)
            .ProducesProblem(StatusCodes.Status409Conflict);
        tasks.MapPost("/{id:int}/return", (int id, ReturnRequest request, ClaimsPrincipal user, TaskWorkflow flow) =>
                StepAsync(id, user, flow, t => flow.ReturnAsync(t, user.Scope(), user.ActorId(), request.Comment)))
            .WithSummary("A reviewer returns a submission to the unit with a comment.")
            .Allow(Operations.TasksReview)
            .ProducesProblem(StatusCodes.Status409Conflict);
        tasks.MapPost("/{id:int}/return-to-cadre", (int id, ReturnRequest request, ClaimsPrincipal user, TaskWorkflow flow) =>
                StepAsync(id, user, flow, t => flow.ReturnToCadreAsync(t, user.Scope(), user.ActorId(), request.Comment)))
            .WithSummary("The unit head returns a submission not yet reviewed to the cadre with a comment.")
            .Allow(Operations.TasksSignOff)
            .ProducesProblem(StatusCodes.Status409Conflict);
        tasks.MapPost("/{id:int}/withdraw", (int id, ClaimsPrincipal user, TaskWorkflow flow) => StepAsync(id, user, flow, t => flow.WithdrawAsync(t, user.Scope())))
            .WithSummary("A cadre takes a submission not yet reviewed back to draft.")
            .Allow(Operations.TasksFill)
            .ProducesProblem(StatusCodes.Status409Conflict);

        tasks.MapGet("/{id:int}/file", DownloadAsync).WithSummary("The task as a file in the form's layout (format=xlsx or csv), to fill offline.")
            .Allow(Operations.TasksRead);
        tasks.MapPost("/{id:int}/file", UploadAsync).DisableAntiforgery()
            .WithSummary("Upload a filled file of the task's layout; rejected cells are listed by sheet, row and column. Nothing is saved from a file with errors unless saveValidCells=true.")
            .Allow(Operations.TasksFill);
        routes.MapGet("/api/v1/forms/{code}/file", DownloadSubtreeAsync).WithTags("Collection")
            .WithSummary("A form for a unit's whole subtree and a period, one row per unit (format=xlsx or csv).")
            .Allow(Operations.SubtreeRead);

        routes.MapGet("/api/v1/periods/current", (DisplayTime time, DateOnly? date) =>
                TypedResults.Ok(Enum.GetValues<ReportingCycle>().Where(c => c != ReportingCycle.OneOff)
                    .Select(c => Period.Containing(c, date ?? time.Today))
                    .Select(p => new PeriodResponse(p.ToString(), p.Cycle.ToString(), p.Start, p.End)).ToList()))
            .WithTags("Collection").WithSummary("The period of each cycle that contains a day (today by default).")
            .Allow(Operations.PeriodsRead);

        var values = routes.MapGroup("/api/v1/values").WithTags("Collection");
        values.MapGet("/history", HistoryAsync).WithSummary("Every change of one value: element, unit and period.")
            .Allow(Operations.TasksRead);
        values.MapGet("/rollup", RollUpAsync).WithSummary("Live figures of a form's elements over a unit's subtree for a period.")
            .WithDescription("`accepted` says how many of the reporting units have the value accepted (a task of theirs holding it is accepted); " +
                "with acceptedOnly=true the figures count accepted values only.")
            .Allow(Operations.SubtreeRead);
    }

    private static async Task<Ok<List<TaskSummary>>> ListAsync(ClaimsPrincipal user, OneFormDbContext db, DisplayTime time,
        string? period, string? form, string? unit)
    {
        var scope = user.Scope();
        var units = scope.UnitsWhoseTasksAreVisible(db.OrgUnits);
        if (!string.IsNullOrWhiteSpace(unit))
        {
            units = units.Where(u => u.Code == unit);
        }
        var query = db.FillingTasks.AsNoTracking().Include(t => t.Form).Include(t => t.OrgUnit)
            .Where(t => units.Select(u => u.Id).Contains(t.OrgUnitId));
        if (!string.IsNullOrWhiteSpace(period))
        {
            query = query.Where(t => t.PeriodCode == period);
        }
        if (!string.IsNullOrWhiteSpace(form))
        {
            query = query.Where(t => t.Form!.Code == form);
        }
        var list = await query.OrderBy(t => t.Deadline).Take(5000).ToListAsync();
        var rows = await TaskProgress.ForAsync(db, list);
        return TypedResults.Ok(rows.Select(r => Summary(r, time.Today)).OrderByDescending(s => s.Overdue).ThenBy(s => s.Deadline).ToList());
    }

    private static TaskSummary Summary(TaskProgress.Row row, DateOnly today) => new(row.Task.Id, row.Task.Form!.Code, row.Task.Form.Name,
        row.Task.PeriodCode, row.Task.OrgUnit!.Code, row.Task.OrgUnit.Name, row.Task.Deadline, row.Task.Status.ToString(),
        row.Task.IsOverdue(today), row.Filled, row.Fields);

    private static async Task<Results<Ok<TaskDetail>, NotFound>> GetAsync(int id, ClaimsPrincipal user, OneFormDbContext db,
        TaskWorkflow flow, ActorNames names, DisplayTime time, Microsoft.Extensions.Localization.IStringLocalizer<SharedResource> l)
    {
        var task = await flow.LoadAsync(id, user.Scope());
        if (task is null)
        {
            return TypedResults.NotFound();
        }
        var elements = task.Form!.Fields.Select(f => f.DataElement!).ToList();
        var ids = elements.Select(e => e.Id).ToList();
        var stored = await db.DataValues.AsNoTracking()
            .Where(v => v.OrgUnitId == task.OrgUnitId && v.PeriodCode == task.PeriodCode && ids.Contains(v.DataElementId))
            .ToDictionaryAsync(v => v.DataElementId);
        var progress = (await TaskProgress.ForAsync(db, [task])).Single();
        var scope = user.Scope();
        var wouldReopen = scope.CanFillFor(task.OrgUnit!) ? await Reopening.PreviewAsync(db, task) : [];
        var changes = task.Status == TaskState.Reopened ? await Reopening.ChangesSinceSubmissionAsync(db, task) : [];
        await names.LoadAsync(stored.Values.Select(v => v.UpdatedBy).Concat(changes.Select(c => c.ChangedBy)).Append(task.SignedOffBy).Append(task.ReviewedBy));
        changes = [.. changes.Select(c => c with { ChangedBy = names[c.ChangedBy] })];
        var checks = await ValueChecks.CheckAsync(db, l, task.OrgUnitId, [task.PeriodCode], ids);
        var confirmed = await ConfirmedWarningsAsync(db, task.Id, names);
        return TypedResults.Ok(new TaskDetail(Summary(progress, time.Today), task.SignedOffBy is null ? null : names[task.SignedOffBy],
            task.ReviewedBy is null ? null : names[task.ReviewedBy], task.ReviewComment,
            elements.Select(e => stored.TryGetValue(e.Id, out var v)
                ? new TaskValue(e.Code, e.Name, e.ValueType.ToString(), e.Unit, e.Required, v.Value, v.RowVersion, v.Source.ToString(), names[v.UpdatedBy], v.UpdatedAt, v.ThroughFormId)
                : new TaskValue(e.Code, e.Name, e.ValueType.ToString(), e.Unit, e.Required, null, 0, null, null, null, null)).ToList(),
            wouldReopen, changes, checks, confirmed));
    }

    /// <summary>The warnings confirmed at the task's last submission, with who confirmed them by name.</summary>
    public static async Task<List<ConfirmedWarningResponse>> ConfirmedWarningsAsync(OneFormDbContext db, int taskId, ActorNames names)
    {
        var warnings = await db.ConfirmedWarnings.AsNoTracking().Where(w => w.FillingTaskId == taskId).OrderBy(w => w.RuleId).ToListAsync();
        await names.LoadAsync(warnings.Select(w => w.ConfirmedBy));
        return [.. warnings.Select(w => new ConfirmedWarningResponse(w.RuleId, w.Rule, w.PeriodCode, w.Message, w.Reason, names[w.ConfirmedBy], w.ConfirmedAt))];
    }

    private static async Task<Results<Ok<SaveResult>, NotFound, ForbidHttpResult, Conflict<SaveResult>, ValidationProblem>> SaveAsync(
        int id, ValuesRequest request, ClaimsPrincipal user, TaskWorkflow flow, ValueWriter writer)
    {
        var scope = user.Scope();
        var task = await flow.LoadAsync(id, scope);
        if (task is null)
        {
            return TypedResults.NotFound();
        }
        if (!scope.CanFillFor(task.OrgUnit!) || task.Status == TaskState.Submitted)
        {
            return TypedResults.Forbid();
        }
        return Answer(await writer.SaveAsync(task, task.Form!, request.Values ?? [], user.ActorId(), ValueSource.Entered, null, request.Submit,
            reasons: request.Reasons));
    }

    /// <summary>A save's answer, for a form or a sheet: someone else's change first (409), then the problems by field (400).</summary>
    internal static Results<Ok<SaveResult>, NotFound, ForbidHttpResult, Conflict<SaveResult>, ValidationProblem> Answer(SaveResult result) =>
        result.Conflicts.Count > 0 ? TypedResults.Conflict(result)
        : result.Problems.Count > 0 ? ByField(result.Problems)
        : TypedResults.Ok(result);

    internal static ValidationProblem ByField(IEnumerable<FieldProblem> problems) =>
        TypedResults.ValidationProblem(problems.GroupBy(p => p.ElementCode).ToDictionary(g => g.Key, g => g.Select(p => p.Message).ToArray()));

    /// <summary>An upload's answer, for a form or a sheet: a refused file or refused cells with what was wrong, or what was saved.</summary>
    internal static Results<Ok<FileImportResult>, NotFound, ForbidHttpResult, ProblemHttpResult, ValidationProblem> Answer(FileImportResult result,
        Microsoft.Extensions.Localization.IStringLocalizer l) =>
        result.Refused || result.NeedsConfirmation
            ? ProblemAnswers.Refusal(result.FileProblem ?? l["{0} cells were refused and nothing was saved: correct them, or send the file again with saveValidCells=true to save the others.", result.Rejected.Count], result)
            : TypedResults.Ok(result);

    private static async Task<Results<NoContent, NotFound, ProblemHttpResult>> StepAsync(int id, ClaimsPrincipal user,
        TaskWorkflow flow, Func<FillingTask, Task<string?>> step)
    {
        var task = await flow.LoadAsync(id, user.Scope());
        if (task is null)
        {
            return TypedResults.NotFound();
        }
        var problem = await step(task);
        return problem is null ? TypedResults.NoContent() : TypedResults.Problem(problem, statusCode: StatusCodes.Status409Conflict);
    }

    private static async Task<Results<Ok<List<ValueChangeResponse>>, NotFound>> HistoryAsync(ClaimsPrincipal user, OneFormDbContext db, ActorNames names,
        string element, string unit, string period)
    {
        var target = await db.OrgUnits.AsNoTracking().SingleOrDefaultAsync(u => u.Code == unit);
        var elementId = await db.DataElements.Where(e => e.Code == element).Select(e => (int?)e.Id).SingleOrDefaultAsync();
        if (target is null || elementId is null || !user.Scope().CanSeeTasksOf(target))
        {
            return TypedResults.NotFound();
        }
        var history = await db.DataValueChanges.AsNoTracking()
            .Where(c => c.DataElementId == elementId && c.OrgUnitId == target.Id && c.PeriodCode == period)
            .OrderBy(c => c.Id)
            .Select(c => new ValueChangeResponse(c.OldValue, c.NewValue, c.Source.ToString(), c.ChangedBy, c.ChangedAt, c.ThroughFormId, c.ThroughFile))
            .ToListAsync();
        await names.LoadAsync(history.Select(c => c.ChangedBy));
        return TypedResults.Ok(history.Select(c => c with { ChangedBy = names[c.ChangedBy] }).ToList());
    }

    private static async Task<Results<Ok<List<RollUpRow>>, NotFound>> RollUpAsync(ClaimsPrincipal user, ReadDatabase read,
        string unit, string period, string form, bool? acceptedOnly)
    {
        // Live totals read from the read replica when there is one; the scope check reads the same units.
        var db = read.Db;
        var target = await db.OrgUnits.AsNoTracking().SingleOrDefaultAsync(u => u.Code == unit);
        var theForm = await db.Forms.AsNoTracking().Include(f => f.Sections).ThenInclude(s => s.Fields).ThenInclude(f => f.DataElement)
            .Where(f => f.Code == form && f.Status == Catalog.FormStatus.Admitted).FirstOrDefaultAsync();
        if (target is null || theForm is null || !user.Scope().CanSeeTasksOf(target))
        {
            return TypedResults.NotFound();
        }
        return TypedResults.Ok(await RollUpRowsAsync(db, target, period, theForm, acceptedOnly ?? false));
    }

    private static FileFormat FormatOf(string? format) => string.Equals(format, "csv", StringComparison.OrdinalIgnoreCase) ? FileFormat.Csv : FileFormat.Xlsx;

    private static async Task<IResult> DownloadAsync(int id, string? format, ClaimsPrincipal user, TaskWorkflow flow, FormFiles files, HttpContext http,
        IStringLocalizer<SharedResource> l)
    {
        var task = await flow.LoadAsync(id, user.Scope());
        if (task is null)
        {
            return TypedResults.NotFound();
        }
        var chosen = FormatOf(format);
        // Streamed to the response, not built in memory first.
        return Results.Stream(output => files.WriteTaskAsync(output, task, chosen, cancellationToken: http.RequestAborted), FormFiles.ContentType(chosen),
            FormFiles.FileName(task.Form!, task.PeriodCode, task.OrgUnit!, chosen, l));
    }

    private static async Task<IResult> DownloadSubtreeAsync(string code, string unit, string period, string? format, ClaimsPrincipal user,
        OneFormDbContext db, FormFiles files, HttpContext http, IStringLocalizer<SharedResource> l)
    {
        var root = await db.OrgUnits.AsNoTracking().SingleOrDefaultAsync(u => u.Code == unit);
        var form = await db.Forms.AsNoTracking().Include(f => f.Sections).ThenInclude(s => s.Fields).ThenInclude(f => f.DataElement)
            .AsSplitQuery().SingleOrDefaultAsync(f => f.Code == code && f.Status == Catalog.FormStatus.Admitted);
        if (root is null || form is null || !user.Scope().CanSeeTasksOf(root) || !Period.TryParse(period, out _))
        {
            return TypedResults.NotFound();
        }
        var chosen = FormatOf(format);
        return Results.Stream(output => files.WriteSubtreeAsync(output, form, period, root, chosen, http.RequestAborted), FormFiles.ContentType(chosen),
            FormFiles.FileName(form, period, root, chosen, l));
    }

    private static async Task<Results<Ok<FileImportResult>, NotFound, ForbidHttpResult, ProblemHttpResult, ValidationProblem>> UploadAsync(
        int id, IFormFile? file, bool? saveValidCells, ClaimsPrincipal user, TaskWorkflow flow, FormFiles files,
        Microsoft.Extensions.Localization.IStringLocalizer<SharedResource> l)
    {
        var scope = user.Scope();
        var task = await flow.LoadAsync(id, scope);
        if (task is null)
        {
            return TypedResults.NotFound();
        }
        if (!scope.CanFillFor(task.OrgUnit!) || task.Status == TaskState.Submitted)
        {
            return TypedResults.Forbid();
        }
        if (file is null || file.Length == 0)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["file"] = [l["Choose an xlsx or CSV file to import."]] });
        }
        await using var stream = new MemoryStream();
        await file.CopyToAsync(stream);
        stream.Position = 0;
        var result = await files.ImportTaskAsync(stream, file.FileName,
            file.FileName.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) ? FileFormat.Csv : FileFormat.Xlsx,
            task, user.ActorId(), saveValidCells ?? false);
        return Answer(result, l);
    }

    public static async Task<List<RollUpRow>> RollUpRowsAsync(OneFormDbContext db, OrgUnit unit, string period, Catalog.Form form, bool acceptedOnly = false)
    {
        var elements = form.Fields.Select(f => f.DataElement!).Where(e => e.IsNumeric && (e.Aggregation != Aggregation.None || e.Formula is not null)).ToList();
        var figures = await RollUp.ComputeAsync(db, unit, period, elements, acceptedOnly);
        var levels = form.Levels.ToList();
        var units = await db.OrgUnits.InSubtree(unit.Path).CountAsync(u => levels.Contains(u.Level));
        return elements.Select(e => figures.TryGetValue(e.Id, out var f)
            ? new RollUpRow(e.Code, e.Name, AggregationName(e), f.Value, f.Reported, units, f.Accepted, acceptedOnly)
            : new RollUpRow(e.Code, e.Name, AggregationName(e), null, 0, units, 0, acceptedOnly)).ToList();
    }

    /// <summary>How a figure combines over units, for the API: an indicator by its formula over the rolled-up parts.</summary>
    private static string AggregationName(DataElement element) => element.Formula is null ? element.Aggregation.ToString() : nameof(ElementSource.Formula);
}
