using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using OneForm.Data;
using OneForm.Localization;
using Sylvan.Data.Csv;

namespace OneForm.Organization.Divisions;

public sealed record RejectedRow(int Line, string? Code, string Reason);

public sealed record ImportReport(int Added, int Updated, int Unchanged, IReadOnlyList<RejectedRow> Rejected, string? FileError = null)
{
    public int Accepted => Added + Updated + Unchanged;
}

/// <summary>
/// Loads an administrative-division file (<c>code,name,level,parent_code</c>, the layout of the national
/// statistics codes) into the org tree: validates every row, keeps the good ones, reports the rest by line,
/// and can run again on the same file without changing anything.
/// </summary>
public sealed class DivisionImporter(OneFormDbContext db, IStringLocalizer<SharedResource> l, AuditActor actor)
{
    private static readonly string[] Columns = ["code", "name", "level", "parent_code"];

    /// <summary>An optional column: the urban–rural classification code (城乡分类代码) where the file has it.</summary>
    public const string UrbanRuralColumn = "urban_rural";

    private sealed record Row(int Line, string Code, string Name, OrgUnitLevel Level, string? ParentCode, string? UrbanRural);

    public async Task<ImportReport> ImportAsync(Stream file, string fileName, CancellationToken cancellationToken = default)
    {
        var rejected = new List<RejectedRow>();
        List<Row> rows;
        try
        {
            rows = await ReadAsync(file, rejected, cancellationToken);
        }
        catch (InvalidDataException e)
        {
            return new ImportReport(0, 0, 0, [], e.Message);
        }

        var existing = await db.OrgUnits.ToDictionaryAsync(u => u.Code, cancellationToken);
        var byId = existing.Values.ToDictionary(u => u.Id);
        var accepted = new Dictionary<string, OrgUnit>();
        var rejectedLines = rejected.Where(r => r.Code is not null).GroupBy(r => r.Code!).ToDictionary(g => g.Key, g => g.First().Line);
        var renamed = new Dictionary<string, string?[]>();
        var addedByLevel = new SortedDictionary<OrgUnitLevel, int>();
        var inFile = rows.ToDictionary(r => r.Code);
        int added = 0, updated = 0, unchanged = 0;

        // Parents before children, whatever the file's order.
        foreach (var row in rows.OrderBy(r => r.Level).ThenBy(r => r.Line))
        {
            OrgUnit? parent = null;
            if (row.ParentCode is { } parentCode)
            {
                if (parentCode == row.Code)
                {
                    Reject(row, l["Line {0}: unit {1} cannot be its own parent.", row.Line, row.Code]);
                    continue;
                }
                parent = accepted.GetValueOrDefault(parentCode) ?? existing.GetValueOrDefault(parentCode);
                if (parent is null && inFile.TryGetValue(parentCode, out var later))
                {
                    // Rows go parents first, so a parent still to come sits on the same level or below.
                    Reject(row, l["Line {0}: a {1} cannot sit under {2}, which is a {3}.", row.Line,
                        LevelName(row.Level), parentCode, LevelName(later.Level)]);
                    continue;
                }
                if (parent is null)
                {
                    Reject(row, rejectedLines.TryGetValue(parentCode, out var parentLine)
                        ? l["Line {0}: parent {1} was rejected on line {2}.", row.Line, parentCode, parentLine]
                        : l["Line {0}: parent {1} is neither in the file nor in OneForm.", row.Line, parentCode]);
                    continue;
                }
                if (parent.Level >= row.Level)
                {
                    Reject(row, l["Line {0}: a {1} cannot sit under {2}, which is a {3}.", row.Line,
                        LevelName(row.Level), parent.Code, LevelName(parent.Level)]);
                    continue;
                }
            }
            else if (row.Level > OrgUnitLevel.Prefecture && !existing.ContainsKey(row.Code))
            {
                Reject(row, l["Line {0}: a {1} needs a parent code.", row.Line, LevelName(row.Level)]);
                continue;
            }

            if (existing.TryGetValue(row.Code, out var unit))
            {
                var currentParent = unit.ParentId is { } pid ? byId[pid].Code : null;
                // An empty parent means "the top of this file", not "move to the root": a prefecture's file
                // can be loaded again after its province's.
                if ((row.ParentCode is not null && currentParent != row.ParentCode) || unit.Level != row.Level)
                {
                    Reject(row, l["Line {0}: unit {1} is already in the tree as a {2} under {3}; moving units is not done by import.",
                        row.Line, row.Code, LevelName(unit.Level), currentParent ?? "-"]);
                    continue;
                }
                // An empty classification cell leaves the unit's code as it is (the administrator may have set it).
                var reclassified = row.UrbanRural is not null && unit.UrbanRuralCode != row.UrbanRural;
                if (unit.Name != row.Name || reclassified)
                {
                    if (unit.Name != row.Name)
                    {
                        renamed[row.Code] = [unit.Name, row.Name];
                        unit.Name = row.Name;
                    }
                    if (reclassified)
                    {
                        unit.UrbanRuralCode = row.UrbanRural;
                    }
                    updated++;
                }
                else
                {
                    unchanged++;
                }
                accepted[row.Code] = unit;
                continue;
            }

            unit = new OrgUnit
            {
                Code = row.Code,
                Name = row.Name,
                Level = row.Level,
                Parent = parent,
                Path = OrgUnit.PathUnder(parent?.Path, row.Code),
                Depth = parent is null ? 0 : parent.Depth + 1,
                UrbanRuralCode = row.UrbanRural,
            };
            db.OrgUnits.Add(unit);
            accepted[row.Code] = unit;
            added++;
            addedByLevel[row.Level] = addedByLevel.GetValueOrDefault(row.Level) + 1;
        }

        var report = new ImportReport(added, updated, unchanged, rejected.OrderBy(r => r.Line).ToList());
        if (added + updated > 0 || rejected.Count > 0)
        {
            var changes = renamed.Count == 0 ? null : JsonSerializer.Serialize(renamed.Take(200).ToDictionary(), AuditRecorder.JsonOptions);
            db.AuditEntries.Add(actor.Entry("Divisions.Imported", "Divisions", Truncate(fileName, 64), null, changes,
                new DivisionImportSummary([.. addedByLevel.Select(a => (a.Key, a.Value))], updated, unchanged, rejected.Count).ToString()));
            db.SuppressRowAudit = true;
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            finally
            {
                db.SuppressRowAudit = false;
            }
        }
        return report;

        void Reject(Row row, string reason)
        {
            rejected.Add(new RejectedRow(row.Line, row.Code, reason));
            rejectedLines.TryAdd(row.Code, row.Line);
        }
    }

    private async Task<List<Row>> ReadAsync(Stream file, List<RejectedRow> rejected, CancellationToken cancellationToken)
    {
        // UTF-8 or GB18030 (a CSV saved by Excel or WPS on a Chinese Windows); anything else (Big5, Shift-JIS) is
        // refused, not stored as garbled names. The whole file is judged: a division file is small.
        if (!file.CanSeek)
        {
            var copy = new MemoryStream();
            await file.CopyToAsync(copy, cancellationToken);
            copy.Position = 0;
            file = copy;
        }
        var bytes = new byte[Math.Min(file.Length - file.Position, MaxBytes + 1)];
        var length = await file.ReadAtLeastAsync(bytes, bytes.Length, throwOnEndOfStream: false, cancellationToken);
        if (length > MaxBytes)
        {
            throw new InvalidDataException(l["The file has more than {0} rows, the most one import takes; nothing was imported.", MaxRows]);
        }
        var encoding = TextFileEncodings.Detect(bytes.AsSpan(0, length), complete: true)
            ?? throw new InvalidDataException(l["The file is neither UTF-8 nor GB18030 text (it may be Big5 or Shift-JIS); nothing was imported. Save it as UTF-8 CSV and import it again."]);
        using var text = new StreamReader(new MemoryStream(bytes, 0, length), encoding, detectEncodingFromByteOrderMarks: true);
        CsvDataReader csv;
        try
        {
            csv = await CsvDataReader.CreateAsync(text, new CsvDataReaderOptions { HasHeaders = true });
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new InvalidDataException(Unreadable(1, e), e);
        }
        await using var reading = csv;
        var ordinals = new int[Columns.Length];
        for (var i = 0; i < Columns.Length; i++)
        {
            ordinals[i] = Enumerable.Range(0, csv.FieldCount)
                .FirstOrDefault(c => string.Equals(csv.GetName(c).Trim(), Columns[i], StringComparison.OrdinalIgnoreCase), -1);
            if (ordinals[i] < 0)
            {
                throw new InvalidDataException(l["The file has no column '{0}'; the first line must be: {1}.", Columns[i], string.Join(",", Columns)]);
            }
        }

        var urbanRural = Enumerable.Range(0, csv.FieldCount)
            .FirstOrDefault(c => string.Equals(csv.GetName(c).Trim(), UrbanRuralColumn, StringComparison.OrdinalIgnoreCase), -1);
        var rows = new List<Row>();
        var firstLine = new Dictionary<string, int>();
        var line = 1;
        while (await NextAsync())
        {
            line++;
            if (line - 1 > MaxRows)
            {
                throw new InvalidDataException(l["The file has more than {0} rows, the most one import takes; nothing was imported.", MaxRows]);
            }
            string Field(int column) => ordinals[column] < csv.FieldCount ? csv.GetString(ordinals[column]).Trim() : "";
            var code = Field(0);
            var name = Field(1);
            var levelText = Field(2);
            var parentCode = Field(3);
            var classification = urbanRural >= 0 && urbanRural < csv.RowFieldCount ? csv.GetString(urbanRural).Trim() : "";
            if (Enumerable.Range(0, csv.RowFieldCount).Any(i => csv.GetString(i).AsSpan().ContainsAny('\n', '\r')))
            {
                // A quotation mark left open takes the following lines into one field: the file is refused, not half read.
                throw new InvalidDataException(l["Line {0}: a quotation mark opened here is never closed, so the rest of the file cannot be read; nothing was imported.", line]);
            }
            if (code.Length == 0 && name.Length == 0 && levelText.Length == 0 && parentCode.Length == 0)
            {
                continue;
            }

            string? reason = null;
            if (!IsCode(code))
            {
                reason = l["Line {0}: code '{1}' is not 12 digits.", line, code];
            }
            else if (firstLine.TryGetValue(code, out var first))
            {
                reason = l["Line {0}: code {1} is a duplicate of line {2}.", line, code, first];
            }
            else if (name.Length == 0)
            {
                reason = l["Line {0}: unit {1} has no name.", line, code];
            }
            else if (name.Length > OrgUnit.MaxNameLength || name.Any(char.IsControl))
            {
                reason = l["Line {0}: the name of unit {1} is longer than {2} characters or contains control characters.", line, code, OrgUnit.MaxNameLength];
            }
            else if (!TryParseLevel(levelText, out _))
            {
                reason = l["Line {0}: level '{1}' is not one of 省, 地, 县, 乡, 村 (or province, prefecture, county, township, village).", line, levelText];
            }
            else if (parentCode.Length > 0 && !IsCode(parentCode))
            {
                reason = l["Line {0}: parent code '{1}' is not 12 digits.", line, parentCode];
            }
            else if (classification.Length > 0 && !UrbanRural.IsCode(classification))
            {
                reason = l["Line {0}: urban–rural code '{1}' is not one of {2}.", line, classification, string.Join(", ", UrbanRural.Codes)];
            }

            if (reason is not null)
            {
                // A duplicate keeps the first line's unit; only the repeat is refused.
                rejected.Add(new RejectedRow(line, IsCode(code) && !firstLine.ContainsKey(code) ? code : null, reason));
                if (IsCode(code))
                {
                    firstLine.TryAdd(code, line);
                }
                continue;
            }
            firstLine[code] = line;
            TryParseLevel(levelText, out var level);
            rows.Add(new Row(line, code, name, level, parentCode.Length == 0 ? null : parentCode, classification.Length == 0 ? null : classification));
        }
        return rows;

        async Task<bool> NextAsync()
        {
            try
            {
                return await csv.ReadAsync(cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                throw new InvalidDataException(Unreadable(line + 1, e), e);
            }
        }
    }

    /// <summary>Rows a division file may have: every unit of a province, with room.</summary>
    public const int MaxRows = 200_000;

    /// <summary>Bytes a division file may have: <see cref="MaxRows"/> rows of some 100 bytes each.</summary>
    private const int MaxBytes = MaxRows * 100;

    private string Unreadable(int line, Exception e) => l["Line {0}: the file cannot be read as CSV from here on (a quotation mark that is never closed, or a row too long); nothing was imported.", line];

    public static bool IsCode(string value) => value.Length == OrgUnit.CodeLength && value.All(char.IsAsciiDigit);

    /// <summary>
    /// A level as the national statistics files and people write it: the English name (province...), or the Chinese
    /// one, short (省/地/县/乡/村) or long (地州级, 乡镇（街道）, 社区...), as OneForm's pages name them.
    /// </summary>
    private static bool TryParseLevel(string text, out OrgUnitLevel level)
    {
        if (Enum.TryParse(text, ignoreCase: true, out level) && Enum.IsDefined(level) && !int.TryParse(text, out _))
        {
            return true;
        }
        OrgUnitLevel? chinese = text switch
        {
            "省" or "省级" or "自治区" or "直辖市" => OrgUnitLevel.Province,
            "地" or "州" or "市" or "地级" or "地州" or "地州级" or "地市" or "地市级" or "盟" => OrgUnitLevel.Prefecture,
            "县" or "区" or "县级" or "县区" or "县市区" or "县（市、区）" => OrgUnitLevel.County,
            "乡" or "镇" or "街道" or "乡级" or "乡镇" or "乡镇街道" or "乡镇（街道）" => OrgUnitLevel.Township,
            "村" or "社区" or "村级" or "村社区" or "村（社区）" or "居委会" or "村委会" => OrgUnitLevel.Village,
            _ => null,
        };
        level = chinese ?? default;
        return chinese is not null;
    }

    private string LevelName(OrgUnitLevel level) => OrgUnitLevels.Name(level, l);

    private static string Truncate(string value, int length) => value.Length <= length ? value : value[..length];
}
