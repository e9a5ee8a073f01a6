using Microsoft.EntityFrameworkCore;
using OneForm.Catalog;
using OneForm.Data;
using OneForm.Dictionary;

namespace OneForm.Collection;

/// <summary>The dictionary's view of where elements are used: in admitted forms (Catalog) and in held values (here).</summary>
internal sealed class ElementUses(OneFormDbContext db, TimeProvider time) : IElementUses
{
    public async Task<ILookup<int, string>> AdmittedFormsAsync(IReadOnlyCollection<int> elementIds) =>
        (await db.FormFields.Where(f => elementIds.Contains(f.DataElementId))
            .Join(db.FormSections, f => f.SectionId, s => s.Id, (f, s) => new { f.DataElementId, s.FormId })
            .Join(db.Forms.Where(f => f.Status == FormStatus.Admitted), x => x.FormId, f => f.Id, (x, f) => new { x.DataElementId, f.Code })
            .ToListAsync())
        .ToLookup(x => x.DataElementId, x => x.Code);

    public Task<bool> HoldsValuesAsync(int elementId) => db.DataValues.AnyAsync(v => v.DataElementId == elementId);

    public async Task<int> FormulaChangedAsync(DataElement indicator, string actor)
    {
        var changed = await Formulas.RecomputeEverywhereAsync(db, indicator, actor, time.GetUtcNow());
        await db.SaveChangesAsync();
        return changed;
    }
}
