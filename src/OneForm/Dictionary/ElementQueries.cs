using Microsoft.EntityFrameworkCore;
using OneForm.Data;

namespace OneForm.Dictionary;

/// <summary>The dictionary as other modules' pages read it.</summary>
public static class ElementQueries
{
    /// <summary>The person attributes in use (低保, 持证残疾 …), by code: the choices of an attribute filter.</summary>
    public static Task<List<DataElement>> PersonAttributesAsync(OneFormDbContext db) =>
        db.DataElements.AsNoTracking().Where(e => e.Source == ElementSource.PersonAttribute && !e.IsRetired).OrderBy(e => e.Code).ToListAsync();

    /// <summary>The elements in use that other departments own, with their owner: what a department may ask a grant for.</summary>
    public static Task<List<DataElement>> OwnedByOthersAsync(OneFormDbContext db, int? departmentId) =>
        db.DataElements.AsNoTracking().Include(e => e.OwnerDepartment)
            .Where(e => !e.IsRetired && e.OwnerDepartmentId != departmentId).OrderBy(e => e.OwnerDepartmentId).ThenBy(e => e.Code).ToListAsync();

    /// <summary>Every element in use, by code: the choices of a field that takes an element by name or code.</summary>
    public static Task<List<DataElement>> InUseAsync(OneFormDbContext db) =>
        db.DataElements.AsNoTracking().Where(e => !e.IsRetired).OrderBy(e => e.Code).ToListAsync();

    /// <summary>The elements of these codes, to name them as people know them (a message listing elements).</summary>
    public static Task<List<DataElement>> ByCodesAsync(OneFormDbContext db, IReadOnlyCollection<string> codes) =>
        db.DataElements.AsNoTracking().Where(e => codes.Contains(e.Code)).OrderBy(e => e.Code).ToListAsync();
}
