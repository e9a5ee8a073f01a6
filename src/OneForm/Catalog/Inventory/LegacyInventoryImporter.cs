using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using MiniExcelLibs;
using OneForm.Data;
using OneForm.Localization;
using OneForm.Organization.Divisions;

namespace OneForm.Catalog.Inventory;

/// <summary>
/// Loads the legacy inventory (清理台账) from an xlsx or CSV with the columns
/// <c>no,name,category,item,issuer,issuer_level,cycle,field_count,disposition,replaced_by</c>.
/// Rows are matched by <c>no</c>, so a corrected file can be loaded again; bad rows are reported by line.
/// </summary>
public sealed class LegacyInventoryImporter(OneFormDbContext db, IStringLocalizer<SharedResource> l)
{
    /// <summary>The words the disposition column takes.</summary>
    public static readonly IReadOnlyDictionary<string, LegacyDisposition> DispositionWords = new Dictionary<string, LegacyDisposition>(StringComparer.OrdinalIgnoreCase)
    {
        ["merged"] = LegacyDisposition.Merged,
        ["shared_data"] = LegacyDisposition.SharedData,
        ["abolished"] = LegacyDisposition.Abolished,
    };

    public static readonly string[] Columns = ["no", "name", "category", "item", "issuer", "issuer_level", "cycle", "field_count", "disposition", "replaced_by"];

    /// <summary>Rows an inventory file may have: the 313 legacy forms of a prefecture, with room for a province's.</summary>
    public const int MaxRows = 20_000;

    public async Task<ImportReport> ImportAsync(Stream file, bool isCsv, CancellationToken cancellationToken = default)
    {
        if (isCsv)
        {
            // The CSV reader takes any bytes as UTF-8 and stores what it cannot decode as replacement characters: a GBK
            // or Big5 file is refused before any row is read.
            var copy = new MemoryStream();
            await file.CopyToAsync(copy, cancellationToken);
            if (!System.Text.Unicode.Utf8.IsValid(copy.GetBuffer().AsSpan(0, (int)copy.Length)))
            {
                return new ImportReport(0, 0, 0, [], l["The file is not UTF-8 text; nothing was imported. Save it as UTF-8 CSV and import it again."]);
            }
            copy.Position = 0;
            file = copy;
        }
        List<IDictionary<string, object?>> rows;
        try
        {
            rows = file.Query(useHeaderRow: true, excelType: isCsv ? ExcelType.CSV : ExcelType.XLSX)
                .Cast<IDictionary<string, object?>>().Bounded(MaxRows, Columns.Length + 20).ToList();
        }
        catch (Sheets.TooLargeException e)
        {
            return new ImportReport(0, 0, 0, [], e.Describe(l));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Whatever the reader fails on (a damaged workbook, a broken CSV), the answer is that the file is unreadable.
            return new ImportReport(0, 0, 0, [], l["The file cannot be read as {0}.", isCsv ? "CSV" : "xlsx"]);
        }
        var header = rows.FirstOrDefault()?.Keys.Select(k => k.Trim().ToLowerInvariant()).ToHashSet() ?? [];
        if (Columns.FirstOrDefault(c => !header.Contains(c)) is { } missing)
        {
            return new ImportReport(0, 0, 0, [], l["The file has no column '{0}'; the first line must be: {1}.", missing, string.Join(",", Columns)]);
        }

        var formCodes = (await db.Forms.Select(f => f.Code).Distinct().ToListAsync(cancellationToken)).ToHashSet();
        var existing = await db.LegacyForms.ToDictionaryAsync(f => f.No, cancellationToken);
        var seen = new Dictionary<int, int>();
        var rejected = new List<RejectedRow>();
        int added = 0, updated = 0, unchanged = 0;
        for (var i = 0; i < rows.Count; i++)
        {
            var line = i + 2;
            var row = rows[i].ToDictionary(p => p.Key.Trim().ToLowerInvariant(), p => Convert.ToString(p.Value, CultureInfo.InvariantCulture)?.Trim() ?? "");
            if (row.Values.All(v => v.Length == 0))
            {
                continue;
            }
            var problem = Parse(row, line, formCodes, out var parsed);
            if (problem is null && seen.TryGetValue(parsed!.No, out var firstLine))
            {
                problem = l["Line {0}: number {1} is a duplicate of line {2}.", line, parsed.No, firstLine];
            }
            if (problem is not null)
            {
                rejected.Add(new RejectedRow(line, row.GetValueOrDefault("no"), problem));
                continue;
            }
            seen[parsed!.No] = line;
            if (!existing.TryGetValue(parsed.No, out var current))
            {
                db.LegacyForms.Add(parsed);
                added++;
            }
            else if (Same(current, parsed))
            {
                unchanged++;
            }
            else
            {
                (current.Name, current.Category, current.Item, current.Issuer, current.IssuerLevel, current.Cycle,
                    current.FieldCount, current.Disposition, current.ReplacedByFormCode) =
                    (parsed.Name, parsed.Category, parsed.Item, parsed.Issuer, parsed.IssuerLevel, parsed.Cycle,
                        parsed.FieldCount, parsed.Disposition, parsed.ReplacedByFormCode);
                updated++;
            }
        }
        await db.SaveChangesAsync(cancellationToken);
        return new ImportReport(added, updated, unchanged, rejected);
    }

    private static bool Same(LegacyForm a, LegacyForm b) =>
        (a.Name, a.Category, a.Item, a.Issuer, a.IssuerLevel, a.Cycle, a.FieldCount, a.Disposition, a.ReplacedByFormCode) ==
        (b.Name, b.Category, b.Item, b.Issuer, b.IssuerLevel, b.Cycle, b.FieldCount, b.Disposition, b.ReplacedByFormCode);

    private string? Parse(Dictionary<string, string> row, int line, HashSet<string> formCodes, out LegacyForm? form)
    {
        form = null;
        string Field(string name) => row.GetValueOrDefault(name) ?? "";
        if (!int.TryParse(Field("no"), NumberStyles.None, CultureInfo.InvariantCulture, out var no) || no < 1)
        {
            return l["Line {0}: no '{1}' is not a positive whole number.", line, Field("no")];
        }
        foreach (var required in new[] { "name", "category", "item", "issuer", "cycle" })
        {
            if (Field(required).Length == 0)
            {
                return l["Line {0}: {1} is empty.", line, required];
            }
            if (Field(required).Length > 200)
            {
                return l["Line {0}: {1} is longer than {2} characters.", line, required, 200];
            }
        }
        if (!Enum.TryParse<IssuerLevel>(Field("issuer_level"), ignoreCase: true, out var level) || !Enum.IsDefined(level) || int.TryParse(Field("issuer_level"), out _))
        {
            return l["Line {0}: issuer_level '{1}' is not one of prefecture, county, township.", line, Field("issuer_level")];
        }
        if (!int.TryParse(Field("field_count"), NumberStyles.None, CultureInfo.InvariantCulture, out var fields) || fields is < 1 or > 10000)
        {
            return l["Line {0}: field_count '{1}' is not a whole number from 1 to 10000.", line, Field("field_count")];
        }
        LegacyDisposition? disposition = DispositionWords.TryGetValue(Field("disposition"), out var named) ? named : null;
        if (disposition is null)
        {
            return l["Line {0}: disposition '{1}' is not one of merged, shared_data, abolished.", line, Field("disposition")];
        }
        var replacedBy = Field("replaced_by");
        if (disposition == LegacyDisposition.Merged && !formCodes.Contains(replacedBy))
        {
            return l["Line {0}: a merged form needs replaced_by to name a form of the catalogue; '{1}' is not one.", line, replacedBy];
        }
        form = new LegacyForm
        {
            No = no,
            Name = Field("name"),
            Category = Field("category"),
            Item = Field("item"),
            Issuer = Field("issuer"),
            IssuerLevel = level,
            Cycle = Field("cycle"),
            FieldCount = fields,
            Disposition = disposition.Value,
            ReplacedByFormCode = disposition == LegacyDisposition.Merged ? replacedBy : null,
        };
        return null;
    }
}
