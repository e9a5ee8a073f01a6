using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Localization;
using OneForm.Catalog;
using OneForm.Data;
using OneForm.Dictionary;

namespace OneForm.Collection;

/// <summary>
/// Corrections of residents' attributes typed in a roster section of a form or a sheet, checked the same way for the
/// page and the API before the one writer saves them with the values.
/// </summary>
public static class RosterCorrections
{
    /// <summary>
    /// The corrections, checked against the rosters of <paramref name="sections"/> (each listed for its task's period):
    /// only residents a roster lists, only its columns, only yes, no or empty. Each problem names the resident and the column.
    /// A page posts back the rows it showed: with <paramref name="skipUnlisted"/>, a resident who left the roster since
    /// (moved away, turned out of its age range) is skipped rather than refusing the whole save; an API caller is told.
    /// </summary>
    public static async Task<(Dictionary<(long Resident, int Element), string?> Changes, List<FieldProblem> Problems)> CheckAsync(OneFormDbContext db,
        IStringLocalizer l, int unitId, IReadOnlyCollection<(FillingTask Task, FormSection Section)> sections, IReadOnlyCollection<RosterCellInput> cells,
        bool skipUnlisted = false, CancellationToken cancellationToken = default)
    {
        var changes = new Dictionary<(long, int), string?>();
        var problems = new List<FieldProblem>();
        if (cells.Count == 0)
        {
            return (changes, problems);
        }
        var culture = System.Globalization.CultureInfo.CurrentUICulture;
        if (cells.Count > InputRules.MaxItems)
        {
            return (changes, [new("Roster", l["A save carries at most {0} values; this one has {1}.", InputRules.MaxItems, cells.Count])]);
        }
        var allowed = new Dictionary<(long, string), DataElement>();
        foreach (var (task, section) in sections)
        {
            var rows = await OneForm.Registry.Rosters.ForAsync(db, section.Roster(), unitId, Period.Parse(task.PeriodCode).End);
            foreach (var row in rows)
            {
                foreach (var field in section.Fields)
                {
                    allowed[(row.Resident.Id, field.DataElement!.Code)] = field.DataElement;
                }
            }
        }
        foreach (var cell in cells)
        {
            if (!allowed.TryGetValue((cell.Resident, cell.Element ?? ""), out var element))
            {
                if (skipUnlisted)
                {
                    continue;
                }
                problems.Add(new("Roster", l["Resident {0} has no column {1} on this sheet's rosters.", cell.Resident, cell.Element ?? ""]));
            }
            else if (cell.Value is not (null or "" or "true" or "false"))
            {
                problems.Add(new("Roster", l["{0} must be yes or no; '{1}' is neither.", element.DisplayName(culture), cell.Value.Length > 20 ? cell.Value[..20] + "…" : cell.Value]));
            }
            else
            {
                changes[(cell.Resident, element.Id)] = string.IsNullOrEmpty(cell.Value) ? null : cell.Value;
            }
        }
        return (changes, problems);
    }

    /// <summary>The cells a page's roster changed: <c>residentId:elementCode</c> as typed against as shown.</summary>
    public static List<RosterCellInput> Changed(IReadOnlyDictionary<string, string?> typed, IReadOnlyDictionary<string, string?> shown) =>
        [.. typed.Where(c => (c.Value ?? "") != (shown.GetValueOrDefault(c.Key) ?? ""))
            .Select(c => (c.Value, Key: c.Key.Split(':')))
            .Where(c => c.Key.Length == 2 && long.TryParse(c.Key[0], System.Globalization.CultureInfo.InvariantCulture, out _))
            .Select(c => new RosterCellInput(long.Parse(c.Key[0], System.Globalization.CultureInfo.InvariantCulture), c.Key[1], c.Value))];
}
