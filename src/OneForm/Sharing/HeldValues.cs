using OneForm.Collection;
using OneForm.Data;
using OneForm.Dictionary.Validation;
using OneForm.Organization;

namespace OneForm.Sharing;

/// <summary>
/// The values a caller may check against the validation rules: a department those it reads (its own elements, and others'
/// through grants in force), everyone else those of the units whose tasks it sees (a reviewer's subtree).
/// </summary>
internal sealed class HeldValues(OneFormDbContext db, SharingPolicy policy) : IHeldValues
{
    public IQueryable<HeldNumber> Readable(CallerScope scope)
    {
        if (scope.Role == Role.Department)
        {
            return ValueChecks.Numbers(policy.Readable(scope));
        }
        var units = scope.UnitsWhoseTasksAreVisible(db.OrgUnits).Select(u => u.Id);
        return ValueChecks.Numbers(db.DataValues.Where(v => units.Contains(v.OrgUnitId)));
    }
}
