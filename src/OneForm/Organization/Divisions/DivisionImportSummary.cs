using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Localization;

namespace OneForm.Organization.Divisions;

/// <summary>
/// The summary a divisions import leaves in the audit trail. It is stored as fixed English with enum names ("added 3
/// (Village 2, Township 1), renamed or reclassified 1, unchanged 0, rejected 0"), as the trail keeps what the code says,
/// and read back as a sentence in the reader's language with the levels by their names (新增3个（村2个、乡镇1个）…).
/// </summary>
public sealed partial record DivisionImportSummary(IReadOnlyList<(OrgUnitLevel Level, int Count)> Added, int Updated, int Unchanged, int Rejected)
{
    public int AddedCount => Added.Sum(a => a.Count);

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"added {AddedCount}{(Added.Count == 0 ? "" : " (" + string.Join(", ", Added.Select(a => $"{a.Level} {a.Count}")) + ")")}, renamed or reclassified {Updated}, unchanged {Unchanged}, rejected {Rejected}");

    /// <summary>Reads a stored summary (also those written before the levels were counted); null when it is not one.</summary>
    public static DivisionImportSummary? TryRead(string? text)
    {
        if (text is null || Pattern().Match(text) is not { Success: true } m)
        {
            return null;
        }
        var levels = new List<(OrgUnitLevel, int)>();
        foreach (var part in m.Groups["levels"].Value.Split(", ", StringSplitOptions.RemoveEmptyEntries))
        {
            var pair = part.Split(' ');
            if (pair.Length != 2 || !Enum.TryParse<OrgUnitLevel>(pair[0], out var level) || !int.TryParse(pair[1], CultureInfo.InvariantCulture, out var count))
            {
                return null;
            }
            levels.Add((level, count));
        }
        var added = int.Parse(m.Groups["added"].Value, CultureInfo.InvariantCulture);
        if (levels.Count == 0 && added > 0)
        {
            // Written before the levels were counted: the total alone, under no level.
            return new DivisionImportSummary([], Int(m, "updated"), Int(m, "unchanged"), Int(m, "rejected")) { Unsorted = added };
        }
        return new DivisionImportSummary(levels, Int(m, "updated"), Int(m, "unchanged"), Int(m, "rejected"));
    }

    /// <summary>Units added by an import summarised before levels were counted.</summary>
    private int Unsorted { get; init; }

    public string Sentence(IStringLocalizer l)
    {
        var added = AddedCount + Unsorted;
        if (Added.Count == 0)
        {
            return l["Added {0} units; renamed or reclassified {1}; unchanged {2}; rejected {3} rows.", added, Updated, Unchanged, Rejected];
        }
        var byLevel = string.Join(l[", "], Added.Select(a => l["{1} × {0}", OrgUnitLevels.Name(a.Level, l), a.Count].Value));
        return l["Added {0} units ({1}); renamed or reclassified {2}; unchanged {3}; rejected {4} rows.", added, byLevel, Updated, Unchanged, Rejected];
    }

    private static int Int(Match m, string group) => int.Parse(m.Groups[group].Value, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^added (?<added>\d+)(?: \((?<levels>[^)]*)\))?, renamed or reclassified (?<updated>\d+), unchanged (?<unchanged>\d+), rejected (?<rejected>\d+)$")]
    private static partial Regex Pattern();
}
