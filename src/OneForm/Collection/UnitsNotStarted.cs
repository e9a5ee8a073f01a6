using Microsoft.EntityFrameworkCore;
using OneForm.Catalog;
using OneForm.Common;
using OneForm.Data;
using OneForm.Organization;

namespace OneForm.Collection;

/// <summary>
/// The units below a reviewer that have not started a sheet: every task of it still not started. What a reviewer
/// chases; the count on their home page and the list on the review page read the same query.
/// </summary>
public static class UnitsNotStarted
{
    /// <summary>A sheet nobody has touched yet: its unit, category, period end and deadline.</summary>
    public sealed record Untouched(OrgUnit Unit, FormCategory Category, DateOnly PeriodEnd, DateOnly Deadline)
    {
        public string RouteKey => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Unit.Code}/{Category}/{PeriodEnd:yyyy-MM-dd}");
    }

    /// <summary>The untouched sheets of the units below <paramref name="above"/> (itself excluded), by unit, soonest deadline first.</summary>
    public static async Task<List<IGrouping<OrgUnit, Untouched>>> BelowAsync(OneFormDbContext db, OrgUnit above, CancellationToken cancellationToken = default)
    {
        var below = OrgUnitQueries.IdsInSubtree(db, above.Path).Where(id => id != above.Id);
        var waiting = db.FillingTasks.Where(t => below.Contains(t.OrgUnitId) && t.Status == TaskState.NotStarted).Select(t => t.OrgUnitId);
        // Only the tasks of units with something not started are read; a sheet counts when all its tasks are untouched.
        var tasks = await db.FillingTasks.AsNoTracking().Where(t => waiting.Contains(t.OrgUnitId) && t.Status != TaskState.Accepted)
            .Select(t => new { t.OrgUnitId, t.Form!.Category, t.PeriodCode, t.Deadline, t.Status }).ToListAsync(cancellationToken);
        var sheets = tasks.GroupBy(t => (t.OrgUnitId, t.Category, End: Period.Parse(t.PeriodCode).End))
            .Where(g => g.All(t => t.Status == TaskState.NotStarted))
            .Select(g => (g.Key.OrgUnitId, g.Key.Category, g.Key.End, Deadline: g.Min(t => t.Deadline)))
            .ToList();
        var unitIds = sheets.Select(s => s.OrgUnitId).Distinct().ToList();
        var units = await db.OrgUnits.AsNoTracking().Where(u => unitIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, cancellationToken);
        return [.. sheets.Select(s => new Untouched(units[s.OrgUnitId], s.Category, s.End, s.Deadline))
            .OrderBy(s => s.Deadline).ThenBy(s => s.Unit.Code, StringComparer.Ordinal).ThenBy(s => s.Category)
            .GroupBy(s => s.Unit)];
    }
}
