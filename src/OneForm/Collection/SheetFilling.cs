using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using OneForm.Catalog;
using OneForm.Data;
using OneForm.Dictionary;
using OneForm.Localization;
using OneForm.Organization;

namespace OneForm.Collection;

/// <summary>
/// One cell of a category sheet as the unit meets it: whether it is typed or filled by OneForm and from where, the
/// previous period's value offered for a stock (上期值), and the reviewer's comment on it after a return.
/// </summary>
/// <param name="Origin">Where a value nobody types comes from, in words (registry rule, ledger, formula, the shorter periods); null for typed cells.</param>
/// <param name="Records">The page listing the records a counted value was made of (a ledger's entries of the unit and period), for checking it.</param>
public sealed record SheetCell(CategorySheets.Cell Cell, string? Origin, string? CorrectionNote, string? Offer, FieldComment? Comment, string? Records = null)
{
    public bool Typed => Origin is null;
}

/// <summary>
/// Filling a category sheet as one slice: the page, the API, the file upload and the offline replay load a sheet here
/// (scope checked), read its cells the same way, and save through the one writer, roster corrections included.
/// </summary>
public sealed class SheetFilling(OneFormDbContext db, ValueWriter writer, TaskWorkflow workflow, Files.FormFiles files, IStringLocalizer<SharedResource> l)
{
    /// <summary>A filled file of the sheet (from the page or the API), saved through the same writer as typed values, as uploaded.</summary>
    public async Task<Files.FileImportResult> ImportAsync(CategorySheets.Sheet sheet, Microsoft.AspNetCore.Http.IFormFile file, string actor, bool saveValidCells,
        CancellationToken cancellationToken = default)
    {
        await using var stream = new MemoryStream();
        await file.CopyToAsync(stream, cancellationToken);
        stream.Position = 0;
        var format = file.FileName.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) ? Files.FileFormat.Csv : Files.FileFormat.Xlsx;
        var cells = await CellsAsync(sheet, cancellationToken);
        return await files.ImportSheetAsync(stream, file.FileName, format, sheet, cells, actor, saveValidCells,
            inputs => SaveAsync(sheet, inputs, actor, ValueSource.Imported, Path.GetFileName(file.FileName), submit: false, cancellationToken: cancellationToken),
            cancellationToken);
    }

    /// <summary>The sheet at a route (unit code, category, period end), or null when it does not exist or is outside the caller's scope.</summary>
    public async Task<CategorySheets.Sheet?> LoadAsync(string? unit, string? category, string? end, CallerScope scope, CancellationToken cancellationToken = default)
    {
        if (!CategorySheets.TryParseRoute(category, end, out var parsedCategory, out var parsedEnd) || string.IsNullOrWhiteSpace(unit))
        {
            return null;
        }
        var target = await OrgUnitQueries.ByCodeAsync(db, unit.Trim());
        if (target is null || !scope.CanSeeTasksOf(target))
        {
            return null;
        }
        var sheet = await CategorySheets.FindAsync(db, target.Id, parsedCategory, parsedEnd, cancellationToken);
        // What ledgers and activity records count is computed for the sheet's periods even where nothing was recorded (0),
        // so no counted cell is left empty for the cadre, who cannot type it.
        if (sheet is not null && sheet.Cells.Where(c => c.Value is null).Select(c => (c.Element.Id, c.Period)).ToList() is { Count: > 0 } empty
            && await FillMissingAsync(target.Id, empty, cancellationToken) > 0)
        {
            db.ChangeTracker.Clear();
            sheet = await CategorySheets.FindAsync(db, target.Id, parsedCategory, parsedEnd, cancellationToken);
        }
        return sheet;
    }

    /// <summary>
    /// Fills the empty counted cells; when the same sheet opened on another device filled them at the same moment (the
    /// value's unique key refuses the second), those counts are there all the same: the sheet is read again.
    /// </summary>
    private async Task<int> FillMissingAsync(int unitId, List<(int, string)> empty, CancellationToken cancellationToken)
    {
        try
        {
            return await writer.FillMissingAsync(unitId, empty, cancellationToken);
        }
        catch (DbUpdateException)
        {
            return 1;
        }
    }

    /// <summary>The sheet's cells in topic order, each with what the unit needs to know to fill or check it.</summary>
    public async Task<List<SheetCell>> CellsAsync(CategorySheets.Sheet sheet, CancellationToken cancellationToken = default)
    {
        var elements = sheet.Cells.Select(c => c.Element).DistinctBy(e => e.Id).ToList();
        var ids = elements.Select(e => e.Id).ToList();
        var notTyped = await writer.NotTypedAsync(elements, cancellationToken);
        var notes = await OneForm.Registry.Derivation.RuleQueries.CorrectionNotesAsync(db, ids, l);
        var fromParts = new Dictionary<(int, string), string>();
        foreach (var inPeriod in sheet.Cells.Where(c => !notTyped.ContainsKey(c.Element.Id)).GroupBy(c => c.Period))
        {
            foreach (var (id, parts) in await OverTime.MadeOfPartsAsync(db, sheet.Key.UnitId, [.. inPeriod.Select(c => c.Element)], Period.Parse(inPeriod.Key), cancellationToken))
            {
                fromParts[(id, inPeriod.Key)] = OverTime.Describe(inPeriod.First(c => c.Element.Id == id).Element.TimeAggregation, parts, l);
            }
        }
        var offers = await CarriedForward.OffersAsync(db, sheet.Key.UnitId,
            sheet.Cells.Where(c => c.Value is null && !notTyped.ContainsKey(c.Element.Id) && !fromParts.ContainsKey((c.Element.Id, c.Period))).Select(c => (c.Element, c.Period)),
            cancellationToken);
        var comments = sheet.State == TaskState.Returned ? await workflow.FieldCommentsAsync(sheet.Tasks, cancellationToken) : [];
        var records = new Dictionary<(int, string), string>();
        foreach (var inPeriod in sheet.Cells.Where(c => notTyped.ContainsKey(c.Element.Id)).GroupBy(c => c.Period))
        {
            foreach (var (id, link) in await writer.RecordsAsync([.. inPeriod.Select(c => c.Element.Id)], sheet.Unit.Code, inPeriod.Key, cancellationToken))
            {
                records[(id, inPeriod.Key)] = link;
            }
        }
        return [.. sheet.Cells.Select(c => new SheetCell(c,
            notTyped.GetValueOrDefault(c.Element.Id) ?? fromParts.GetValueOrDefault((c.Element.Id, c.Period)),
            notes.GetValueOrDefault(c.Element.Id), offers.GetValueOrDefault((c.Element.Id, c.Period)), comments.GetValueOrDefault(c.Element.Id),
            records.GetValueOrDefault((c.Element.Id, c.Period))))];
    }

    /// <summary>Whether the caller may type into the sheet now: a person of the unit, while the sheet is not waiting on its review.</summary>
    public static bool CanFill(CategorySheets.Sheet sheet, CallerScope scope) =>
        scope.Admits(Operations.TasksFill) && scope.CanFillFor(sheet.Unit) && sheet.State != TaskState.Submitted;

    /// <summary>Saves (and on <paramref name="submit"/>, submits) the sheet's values and roster corrections, all or nothing.</summary>
    public Task<SaveResult> SaveAsync(CategorySheets.Sheet sheet, IReadOnlyCollection<ValueInput> inputs, string actor, ValueSource source, string? file,
        bool submit, IReadOnlyDictionary<int, string>? reasons = null, IReadOnlyDictionary<(long Resident, int Element), string?>? roster = null,
        CancellationToken cancellationToken = default) =>
        writer.SaveAsync(sheet.ToSlice(), inputs, actor, source, file, submit, reasons, roster, cancellationToken);

    /// <summary>The roster sections of the sheet's forms, each once (in the shortest period's form that has it).</summary>
    public IEnumerable<(FillingTask Task, FormSection Section)> RosterSections(CategorySheets.Sheet sheet) =>
        sheet.Tasks.OrderBy(t => Period.Parse(t.PeriodCode).End.DayNumber - Period.Parse(t.PeriodCode).Start.DayNumber)
            .SelectMany(t => t.Form!.Sections.Where(s => s.Kind == SectionKind.Roster).OrderBy(s => s.Order).Select(s => (Task: t, Section: s)))
            .DistinctBy(x => x.Section.Title);

    /// <summary>The roster corrections sent, checked against the sheet's rosters (<see cref="RosterCorrections.CheckAsync"/>).</summary>
    public Task<(Dictionary<(long Resident, int Element), string?> Changes, List<FieldProblem> Problems)> RosterChangesAsync(
        CategorySheets.Sheet sheet, IReadOnlyCollection<RosterCellInput> cells, bool skipUnlisted = false, CancellationToken cancellationToken = default) =>
        RosterCorrections.CheckAsync(db, l, sheet.Key.UnitId, [.. RosterSections(sheet)], cells, skipUnlisted, cancellationToken);

    /// <summary>The reviewer's comments on single fields, by element code, each kept with the task that asks that field.</summary>
    public static Dictionary<DataElement, (FillingTask Holder, string Comment)> FieldComments(CategorySheets.Sheet sheet, IReadOnlyDictionary<string, string?>? byCode) =>
        sheet.Cells.Where(c => byCode?.GetValueOrDefault(c.Element.Code) is { Length: > 0 })
            .ToDictionary(c => c.Element, c => (c.Task, byCode![c.Element.Code]!));

    /// <summary>The periods the sheet gathers, shortest first, as people say them ("2026年12月、2026年第4季度、2026年").</summary>
    public string PeriodsName(CategorySheets.Sheet sheet) =>
        string.Join("、", sheet.Tasks.Select(t => Period.Parse(t.PeriodCode)).Distinct()
            .OrderBy(p => p.End.DayNumber - p.Start.DayNumber).Select(p => PeriodNames.Name(p, l)));

    /// <summary>The sheet's name: its category of work ("党的建设工作表").</summary>
    public string Name(CategorySheets.Sheet sheet) => l["{0} sheet", FormCategories.Name(sheet.Key.Category, l)];
}
