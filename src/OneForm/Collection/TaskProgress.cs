using Microsoft.EntityFrameworkCore;
using OneForm.Catalog;
using OneForm.Data;

namespace OneForm.Collection;

/// <summary>How much of each task is filled: the form's fields that hold a value for the unit and period.</summary>
public static class TaskProgress
{
    public sealed record Row(FillingTask Task, int Filled, int Fields);

    /// <summary>The unit's tasks with their progress; accepted ones only if due on or after <paramref name="acceptedSince"/>.</summary>
    public static async Task<List<Row>> OfUnitAsync(OneFormDbContext db, int unitId, DateOnly acceptedSince) =>
        await ForAsync(db, await db.FillingTasks.AsNoTracking().Include(t => t.Form).Include(t => t.OrgUnit)
            .Where(t => t.OrgUnitId == unitId && (t.Status != TaskState.Accepted || t.Deadline >= acceptedSince))
            .ToListAsync());

    /// <summary>The tasks of a form and period for every unit below <paramref name="top"/>, with their progress.</summary>
    public static async Task<List<Row>> BelowAsync(OneFormDbContext db, Organization.OrgUnit top, int formId, string period) =>
        await ForAsync(db, await db.FillingTasks.AsNoTracking().Include(t => t.Form).Include(t => t.OrgUnit)
            .Where(t => t.FormId == formId && t.PeriodCode == period && t.OrgUnitId != top.Id
                && Organization.OrgUnitQueries.IdsInSubtree(db, top.Path).Contains(t.OrgUnitId))
            .ToListAsync());

    public static async Task<List<Row>> ForAsync(OneFormDbContext db, IReadOnlyCollection<FillingTask> tasks, CancellationToken cancellationToken = default)
    {
        var formIds = tasks.Select(t => t.FormId).Distinct().ToList();
        var fieldsByForm = (await db.FormFields
                .Join(db.FormSections.Where(s => s.Kind == SectionKind.Fields), f => f.SectionId, s => s.Id, (f, s) => new { s.FormId, f.DataElementId })
                .Where(x => formIds.Contains(x.FormId))
                .ToListAsync(cancellationToken))
            .GroupBy(x => x.FormId).ToDictionary(g => g.Key, g => g.Select(x => x.DataElementId).ToHashSet());
        var unitIds = tasks.Select(t => t.OrgUnitId).Distinct().ToList();
        var periods = tasks.Select(t => t.PeriodCode).Distinct().ToList();
        var filled = (await db.DataValues
                .Where(v => unitIds.Contains(v.OrgUnitId) && periods.Contains(v.PeriodCode))
                .Select(v => new { v.OrgUnitId, v.PeriodCode, v.DataElementId })
                .ToListAsync(cancellationToken))
            .ToLookup(v => (v.OrgUnitId, v.PeriodCode), v => v.DataElementId);
        return tasks.Select(t =>
        {
            var fields = fieldsByForm.GetValueOrDefault(t.FormId) ?? [];
            return new Row(t, filled[(t.OrgUnitId, t.PeriodCode)].Count(fields.Contains), fields.Count);
        }).ToList();
    }
}
