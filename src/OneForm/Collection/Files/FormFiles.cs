using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using MiniExcelLibs;
using OneForm.Catalog;
using OneForm.Data;
using OneForm.Dictionary;
using OneForm.Localization;
using OneForm.Organization;

namespace OneForm.Collection.Files;

public enum FileFormat
{
    Xlsx,
    Csv,
}

/// <summary>
/// What a reader of a unit's form file may see, when it is not the unit or a reviewer above it: the values it may read
/// (a query the file narrows to the form, unit and period) and, per roster section, whether it may see the people.
/// </summary>
public sealed record FileReader(IQueryable<DataValue> Values, Func<FormSection, Task<bool>> SeesRoster);

public sealed record RejectedCell(string Sheet, int Row, string Column, string Reason);

/// <param name="Reopened">Submitted or accepted tasks that held a changed value and are back at the unit now.</param>
/// <param name="Notices">The checks across fields that the unit's values break after the upload.</param>
public sealed record FileImportResult(string? FileProblem, IReadOnlyList<RejectedCell> Rejected, int Saved, bool NeedsConfirmation,
    IReadOnlyList<ReopenedTask>? Reopened = null, IReadOnlyList<Dictionary.Validation.RuleViolation>? Notices = null)
{
    public bool Refused => FileProblem is not null;
}

/// <summary>
/// A form as a file, to fill offline and upload: a sheet in the form's layout (its admission code, form code and
/// version, period and unit on top, then one row per field), and for a subtree one row per unit.
/// An upload is checked cell by cell; a file with errors saves nothing unless the person confirms saving its valid cells.
/// </summary>
public sealed class FormFiles(OneFormDbContext db, ReadDatabase read, ValueWriter writer, IStringLocalizer<SharedResource> l)
{
    // The layout's fixed places: metadata in rows 2 and 3, field rows from row 5, the value in column E.
    private const int FirstFieldRow = 5;
    private const string CodeColumn = "B";
    private const string ValueColumn = "E";

    public static string ContentType(FileFormat format) =>
        format == FileFormat.Csv ? "text/csv; charset=utf-8" : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    /// <summary>
    /// The file's name as people find it in their downloads: 《form name》2026年第四季度-锦绣社区.xlsx. The response gives it
    /// in UTF-8 (filename*) with an ASCII fallback (filename) for old clients; characters no file system takes are dropped.
    /// </summary>
    public static string FileName(Form form, string period, OrgUnit unit, FileFormat format, IStringLocalizer l)
    {
        var periodName = Period.TryParse(period, out var parsed) ? PeriodNames.Name(parsed, l) : period;
        return Safe($"《{form.DisplayName(CultureInfo.CurrentUICulture)}》{periodName}-{unit.Name}", format);
    }

    /// <summary>A file name as typed: characters no file system takes are dropped, the extension is the format's.</summary>
    private static string Safe(string name, FileFormat format) =>
        string.Concat(name.Where(c => !char.IsControl(c) && !Path.GetInvalidFileNameChars().Contains(c) && c is not ('\\' or '/' or ':' or '*' or '?' or '"' or '<' or '>' or '|')))
            + (format == FileFormat.Csv ? ".csv" : ".xlsx");

    /// <summary>Excel's limit on a sheet's name, which also may not hold any of []:*?/\.</summary>
    private const int MaxSheetName = 31;

    /// <summary>A sheet named after the form in the reader's language (Excel refuses a longer name or one with []:*?/\).</summary>
    public static string SheetName(Form form)
    {
        var name = string.Concat(form.DisplayName(CultureInfo.CurrentUICulture).Where(c => c is not ('[' or ']' or ':' or '*' or '?' or '/' or '\\') && !char.IsControl(c)))
            .Trim('\'', ' ');
        name = name.Length > MaxSheetName ? name[..MaxSheetName] : name;
        return name.Length == 0 ? form.Code : name;
    }

    private static ExcelType Type(FileFormat format) => format == FileFormat.Csv ? ExcelType.CSV : ExcelType.XLSX;

    /// <param name="reader">
    /// What the reader may see, when it is not the unit or those above it (who see every value and roster): a department
    /// reads only the values sharing lets it read, and a roster's people only with a person-level grant.
    /// </param>
    public async Task WriteTaskAsync(Stream output, FillingTask task, FileFormat format, FileReader? reader = null, CancellationToken cancellationToken = default)
    {
        var form = task.Form!;
        var culture = CultureInfo.CurrentUICulture;
        var values = await ValuesAsync(reader?.Values ?? db.DataValues, [task.OrgUnitId], task.PeriodCode, form, cancellationToken);
        var rows = new List<Dictionary<string, object?>>
        {
            Row(form.DisplayName(culture)),
            Row(l["Admission code"], form.AdmissionCode, l["Form code"], form.Code, l["Version"], form.Version),
            // The period by its name (2026年第4季度); an upload reads the name or the code alike.
            Row(l["Period"], PeriodNames.Name(Period.Parse(task.PeriodCode), l), l["Unit code"], task.OrgUnit!.Code, l["Unit"], task.OrgUnit.Name),
            Row(l["Section"], l["Element code"], l["Data element"], l["Unit of measure"], l["Value"]),
        };
        foreach (var section in form.Sections.Where(s => s.Kind == SectionKind.Fields).OrderBy(s => s.Order))
        {
            foreach (var field in section.Fields.OrderBy(f => f.Order))
            {
                var e = field.DataElement!;
                rows.Add(Row(section.DisplayTitle(culture), e.Code, e.DisplayName(culture), e.Unit,
                    Shown(e, values.GetValueOrDefault((task.OrgUnitId, e.Id)))));
            }
        }
        // Rosters follow, one row per resident with the number masked; a row starting with '#' ends the fields.
        foreach (var roster in form.Sections.Where(s => s.Kind == SectionKind.Roster).OrderBy(s => s.Order))
        {
            var columns = roster.Fields.OrderBy(f => f.Order).Select(f => f.DataElement!).ToList();
            rows.Add(Row($"# {l["Roster"].Value}: {roster.DisplayTitle(culture)}"));
            if (reader is not null && !await reader.SeesRoster(roster))
            {
                rows.Add(Row($"# {l["Not shown: reading the people of a roster needs a person-level grant."].Value}"));
                continue;
            }
            rows.Add(Row([l["Name"].Value, l["Identity number"].Value, l["Age"].Value, .. columns.Select(c => c.DisplayName(culture))]));
            foreach (var person in await Registry.Rosters.ForAsync(db, roster.Roster(), task.OrgUnitId, Period.Parse(task.PeriodCode).End))
            {
                rows.Add(Row([person.Resident.Name, person.Resident.IdentityMasked, person.Age,
                    .. columns.Select(c => person.Values.GetValueOrDefault(c.Id) switch { "true" => l["Yes"].Value, "false" => l["No"].Value, _ => "" })]));
            }
        }
        await SaveAsync(output, rows, SheetName(form), format, cancellationToken);
    }

    /// <summary>A value as the file shows it: yes or no as words (是/否), which an upload reads back; the rest as stored.</summary>
    private string? Shown(DataElement element, string? value) =>
        element.ValueType == ElementValueType.YesNo && value is not null ? ValueRules.Display(element, value, l) : value;

    /// <summary>
    /// Writes through a temporary file: an xlsx is a zip whose directory is written synchronously at the end,
    /// which a response stream refuses; the file keeps memory flat however large the subtree.
    /// </summary>
    private static async Task SaveAsync(Stream output, List<Dictionary<string, object?>> rows, string sheet, FileFormat format, CancellationToken cancellationToken)
    {
        // Columns come from the first row: give every row every column.
        var width = rows.Max(r => r.Count);
        foreach (var row in rows)
        {
            for (var i = row.Count; i < width; i++)
            {
                row[ColumnName(i)] = null;
            }
            if (format == FileFormat.Csv)
            {
                foreach (var (column, cell) in row.ToList())
                {
                    row[column] = cell is string text ? Text.Defused(text) : cell;
                }
            }
        }
        await using var buffer = new FileStream(Path.GetTempFileName(), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 81920,
            FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        await buffer.SaveAsAsync(rows, printHeader: false, sheetName: sheet, excelType: Type(format), cancellationToken: cancellationToken);
        buffer.Position = 0;
        await buffer.CopyToAsync(output, cancellationToken);
    }

    /// <summary>One row per unit of the subtree that fills the form, one column per field.</summary>
    public async Task WriteSubtreeAsync(Stream output, Form form, string period, OrgUnit root, FileFormat format, CancellationToken cancellationToken = default)
    {
        var culture = CultureInfo.CurrentUICulture;
        var levels = form.Levels.ToList();
        // A department's download of a whole subtree reads from the read replica when there is one.
        var units = await read.Db.OrgUnits.AsNoTracking().InSubtree(root.Path).Where(u => levels.Contains(u.Level)).OrderBy(u => u.Path).ToListAsync(cancellationToken);
        var values = await ValuesAsync(read.Db.DataValues, units.Select(u => u.Id).ToList(), period, form, cancellationToken);
        var elements = form.Fields.Select(f => f.DataElement!).ToList();
        var rows = new List<Dictionary<string, object?>>
        {
            Row(form.DisplayName(culture)),
            Row(l["Admission code"], form.AdmissionCode, l["Form code"], form.Code, l["Version"], form.Version),
            Row(l["Period"], Period.TryParse(period, out var named) ? PeriodNames.Name(named, l) : period, l["Unit code"], root.Code, l["Unit"], root.Name),
            Row([l["Unit code"].Value, l["Unit"].Value, .. elements.Select(e => $"{e.DisplayName(culture)}（{e.Code}）")]),
        };
        rows.AddRange(units.Select(u => Row([u.Code, u.Name, .. elements.Select(e => Shown(e, values.GetValueOrDefault((u.Id, e.Id))))])));
        await SaveAsync(output, rows, SheetName(form), format, cancellationToken);
    }

    private static async Task<Dictionary<(int Unit, int Element), string>> ValuesAsync(IQueryable<DataValue> readable, List<int> unitIds, string period, Form form,
        CancellationToken cancellationToken)
    {
        var elementIds = form.Fields.Select(f => f.DataElementId).ToList();
        return await readable.AsNoTracking()
            .Where(v => v.PeriodCode == period && unitIds.Contains(v.OrgUnitId) && elementIds.Contains(v.DataElementId))
            .ToDictionaryAsync(v => (v.OrgUnitId, v.DataElementId), v => v.Value, cancellationToken);
    }

    /// <summary>A, B, ... Z, AA, AB, ...: a form can have more fields than letters.</summary>
    private static string ColumnName(int index) => index < 26 ? ((char)('A' + index)).ToString() : ColumnName(index / 26 - 1) + (char)('A' + index % 26);

    private static Dictionary<string, object?> Row(params object?[] cells)
    {
        var row = new Dictionary<string, object?>();
        for (var i = 0; i < cells.Length; i++)
        {
            row[ColumnName(i)] = cells[i] is LocalizedString s ? s.Value : cells[i];
        }
        return row;
    }

    /// <summary>A cell as text: spreadsheets hand back numbers as doubles and dates as DateTime.</summary>
    private static string CellText(object? value) => value switch
    {
        null => "",
        DateTime date => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        double number => number.ToString("R", CultureInfo.InvariantCulture),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture)?.Trim() ?? "",
    };

    /// <summary>A form's file has a row per field and a few of notes below; a file far longer is not one and is not read to its end.</summary>
    private const int MaxExtraRows = 200, MaxColumns = 50;

    /// <summary>
    /// The cells of a filled file as text, row by row (the first sheet of <paramref name="sheetNames"/> an xlsx has, the form's
    /// name or, in files written before it, its code;
    /// else its first), bounded to the rows a file of <paramref name="fields"/> fields can have; or why it cannot be read.
    /// </summary>
    private (List<Dictionary<string, string>> Rows, string Sheet, string? Problem) Read(Stream file, string fileName, FileFormat format, string[]? sheetNames, int fields)
    {
        try
        {
            string sheet;
            if (format == FileFormat.Xlsx)
            {
                var sheets = file.GetSheetNames();
                sheet = sheetNames?.FirstOrDefault(sheets.Contains) ?? sheets.First();
                file.Position = 0;
            }
            else
            {
                sheet = Path.GetFileName(fileName);
            }
            var rows = file.Query(useHeaderRow: false, sheetName: format == FileFormat.Xlsx ? sheet : null, excelType: Type(format))
                .Cast<IDictionary<string, object?>>()
                .Bounded(FirstFieldRow + fields + MaxExtraRows, MaxColumns)
                .Select(r => r.ToDictionary(p => p.Key, p => CellText(p.Value)))
                .ToList();
            return (rows, sheet, null);
        }
        catch (Sheets.TooLargeException e)
        {
            return ([], "", e.Describe(l));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return ([], "", l["The file cannot be read as {0}.", format == FileFormat.Csv ? "CSV" : "xlsx"]);
        }
    }

    /// <summary>Reads a filled file of one task's layout and saves its values (only the valid cells, when confirmed).</summary>
    public async Task<FileImportResult> ImportTaskAsync(Stream file, string fileName, FileFormat format, FillingTask task, string actor,
        bool saveValidCells, CancellationToken cancellationToken = default)
    {
        var form = task.Form!;
        var (rows, sheet, unreadable) = Read(file, fileName, format, [SheetName(form), form.Code], form.Fields.Count());
        if (unreadable is not null)
        {
            return new(unreadable, [], 0, false);
        }

        string Cell(int row, string column) => row <= rows.Count ? rows[row - 1].GetValueOrDefault(column) ?? "" : "";
        var (code, version, period, unit) = (Cell(2, "D"), Cell(2, "F"), Cell(3, "B"), Cell(3, "D"));
        if (code != form.Code || version != form.Version.ToString(CultureInfo.InvariantCulture))
        {
            return new(code.Length == 0
                ? l["This file is not a OneForm form: cell D2 should hold the form code {0}.", form.Code]
                : l["This file is for form {0} version {1}, not for {2} version {3}: download this form's file and fill that one.", code, version, form.Code, form.Version], [], 0, false);
        }
        if (PeriodCell(period, task.PeriodCode) != task.PeriodCode || unit != task.OrgUnit!.Code)
        {
            return new(l["This file is for unit {0} and period {1}, not for {2} and {3}.", unit, period, task.OrgUnit!.Code,
                PeriodNames.Name(Period.Parse(task.PeriodCode), l)], [], 0, false);
        }

        var culture = CultureInfo.CurrentUICulture;
        var elements = form.Fields.Select(f => f.DataElement!).ToDictionary(e => e.Code);
        var current = await db.DataValues.AsNoTracking()
            .Where(v => v.OrgUnitId == task.OrgUnitId && v.PeriodCode == task.PeriodCode)
            .ToDictionaryAsync(v => v.DataElementId, cancellationToken);
        var formElementIds = elements.Values.Select(e => e.Id).ToList();
        var notTyped = await writer.NotTypedAsync([.. elements.Values], cancellationToken);
        var rejected = new List<RejectedCell>();
        var inputs = new List<ValueInput>();
        for (var row = FirstFieldRow; row <= rows.Count; row++)
        {
            if (Cell(row, "A").StartsWith('#'))
            {
                break;
            }
            var elementCode = Cell(row, CodeColumn);
            if (elementCode.Length == 0)
            {
                continue;
            }
            if (!elements.TryGetValue(elementCode, out var element))
            {
                rejected.Add(new(sheet, row, CodeColumn, l["{0} is not a field of this form.", elementCode]));
                continue;
            }
            if (notTyped.ContainsKey(element.Id))
            {
                // Computed from the registry, counted from ledgers or by a formula: whatever the file says, the sources decide.
                continue;
            }
            var raw = Cell(row, ValueColumn);
            // The file is the filled form: an empty required cell is reported like a wrong one.
            var check = ValueRules.Check(element, raw, l, culture);
            if (check.Problem is not null)
            {
                rejected.Add(new(sheet, row, ValueColumn, check.Problem));
                continue;
            }
            current.TryGetValue(element.Id, out var stored);
            inputs.Add(new ValueInput(element.Code, raw, stored?.Value, stored?.RowVersion ?? 0));
        }
        if (rejected.Count > 0 && !saveValidCells)
        {
            return new(null, rejected, 0, true);
        }
        var result = await writer.SaveAsync(task, form, inputs, actor, ValueSource.Imported, Path.GetFileName(fileName), submit: false, cancellationToken);
        if (!result.Saved)
        {
            return new(string.Join(" ", result.Conflicts.Select(c => c.Message).Concat(result.Problems.Select(p => p.Message))), rejected, 0, false);
        }
        return new(null, rejected, result.Changed, false, result.Reopened, result.Notices);
    }

    /// <summary>
    /// The period a file's period cell names, as a code: files written before held the code (2026Q4), files now its name in
    /// the language of whoever downloaded it (2026年第4季度, or the English name); null when it is none of them.
    /// </summary>
    private string? PeriodCell(string text, string expected)
    {
        text = text.Trim();
        if (Period.TryParse(text, out var code) || Period.TryParseName(text, out code))
        {
            return code.ToString();
        }
        return Period.TryParse(expected, out var wanted) && PeriodNames.Name(wanted, l) == text ? expected : null;
    }

    // A sheet's file: its address in rows 2 and 3, cell rows from row 5: topic, code, name, period, unit of measure, value.
    private const string SheetValueColumn = "F";

    /// <summary>
    /// A sheet's file name as people find it in their downloads, in their language: 锦绣社区居民委员会-党的建设-2026-12-31.xlsx
    /// (the response adds an ASCII fallback, as for a form's file).
    /// </summary>
    public static string FileName(CategorySheets.Sheet sheet, FileFormat format, IStringLocalizer l) =>
        Safe(string.Create(CultureInfo.InvariantCulture, $"{sheet.Unit.Name}-{FormCategories.Name(sheet.Key.Category, l)}-{sheet.Key.PeriodEnd:yyyy-MM-dd}"), format);

    /// <summary>A category sheet as a file to fill offline: each element once, what OneForm fills shown but not read back.</summary>
    public async Task WriteSheetAsync(Stream output, CategorySheets.Sheet sheet, IReadOnlyList<SheetCell> cells, string name, FileFormat format,
        CancellationToken cancellationToken = default)
    {
        var culture = CultureInfo.CurrentUICulture;
        var rows = new List<Dictionary<string, object?>>
        {
            Row(name, sheet.Unit.Name),
            Row(l["Unit code"], sheet.Unit.Code, l["Category"], FormCategories.Name(sheet.Key.Category, l), l["Periods ending"], sheet.Key.PeriodEnd.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
            Row(l["Forms"], string.Join("、", sheet.Tasks.Select(t => $"{t.Form!.Code}（{t.Form.AdmissionCode}）"))),
            Row(l["Section"], l["Element code"], l["Data element"], l["Period"], l["Unit of measure"], l["Value"], l["Filled by OneForm"]),
        };
        foreach (var cell in cells)
        {
            var e = cell.Cell.Element;
            rows.Add(Row(cell.Cell.Section.DisplayTitle(culture), e.Code, e.DisplayName(culture), PeriodNames.Name(Period.Parse(cell.Cell.Period), l), e.Unit,
                Shown(e, cell.Cell.Value?.Value), cell.Origin));
        }
        await SaveAsync(output, rows, l["Sheet"].Value, format, cancellationToken);
    }

    /// <summary>Reads a filled file of a sheet and saves its typed cells through the sheet's writer (only the valid ones, when confirmed).</summary>
    public async Task<FileImportResult> ImportSheetAsync(Stream file, string fileName, FileFormat format, CategorySheets.Sheet sheet, IReadOnlyList<SheetCell> cells,
        string actor, bool saveValidCells, Func<IReadOnlyCollection<ValueInput>, Task<SaveResult>> save, CancellationToken cancellationToken = default)
    {
        var (rows, name, unreadable) = Read(file, fileName, format, null, cells.Count);
        if (unreadable is not null)
        {
            return new(unreadable, [], 0, false);
        }
        string Cell(int row, string column) => row <= rows.Count ? rows[row - 1].GetValueOrDefault(column) ?? "" : "";
        // The unit and the day its periods end identify the sheet with its category, written by name in the reader's language.
        var (unit, category, end) = (Cell(2, "B"), Cell(2, "D"), Cell(2, "F"));
        if (unit != sheet.Unit.Code || end != sheet.Key.PeriodEnd.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
            || (category != FormCategories.Name(sheet.Key.Category, l) && category != sheet.Key.Category.ToString()))
        {
            return new(l["This file is not this sheet's: download the sheet's file and fill that one."], [], 0, false);
        }
        var culture = CultureInfo.CurrentUICulture;
        var byCode = cells.ToDictionary(c => c.Cell.Element.Code);
        var rejected = new List<RejectedCell>();
        var inputs = new List<ValueInput>();
        for (var row = FirstFieldRow; row <= rows.Count; row++)
        {
            var code = Cell(row, CodeColumn);
            if (code.Length == 0)
            {
                continue;
            }
            if (!byCode.TryGetValue(code, out var cell))
            {
                rejected.Add(new(name, row, CodeColumn, l["{0} is not a field of this sheet.", code.Length > 40 ? code[..40] + "…" : code]));
                continue;
            }
            if (!cell.Typed)
            {
                continue;
            }
            var raw = Cell(row, SheetValueColumn);
            if (raw.Length == 0 && cell.Cell.Value is null)
            {
                continue;
            }
            var check = ValueRules.Check(cell.Cell.Element, raw, l, culture);
            if (check.Problem is not null)
            {
                rejected.Add(new(name, row, SheetValueColumn, check.Problem));
                continue;
            }
            inputs.Add(new ValueInput(code, raw, cell.Cell.Value?.Value, cell.Cell.Value?.RowVersion ?? 0));
        }
        if (rejected.Count > 0 && !saveValidCells)
        {
            return new(null, rejected, 0, true);
        }
        var result = await save(inputs);
        if (!result.Saved)
        {
            return new(string.Join(" ", result.Conflicts.Select(c => c.Message).Concat(result.Problems.Select(p => p.Message))), rejected, 0, false);
        }
        return new(null, rejected, result.Changed, false, result.Reopened, result.Notices);
    }
}
