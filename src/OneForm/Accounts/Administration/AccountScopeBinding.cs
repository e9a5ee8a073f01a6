using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using OneForm.Data;

namespace OneForm.Accounts.Administration;

/// <summary>Checks that a role comes with the binding it needs: a unit for unit roles, a department for department roles.</summary>
public static class AccountScopeBinding
{
    public sealed record Result(int? OrgUnitId, int? DepartmentId, string? Field, string? Problem);

    public static async Task<Result> ResolveAsync(OneFormDbContext db, Role role, string? unitCode, string? departmentCode, IStringLocalizer l)
    {
        if (role.IsBoundToUnit())
        {
            var code = unitCode?.Trim() ?? "";
            if (code.Length == 0)
            {
                return new(null, null, "UnitCode", l["A {0} must be bound to an org unit: enter its 12-digit code.", RoleNames.Name(role, l)]);
            }
            var unitId = await db.OrgUnits.Where(u => u.Code == code).Select(u => (int?)u.Id).SingleOrDefaultAsync();
            return unitId is null
                ? new(null, null, "UnitCode", l["Org unit '{0}' does not exist.", code])
                : new(unitId, null, null, null);
        }
        if (role.IsBoundToDepartment())
        {
            var departmentId = await db.Departments.Where(d => d.Code == departmentCode).Select(d => (int?)d.Id).SingleOrDefaultAsync();
            return departmentId is null
                ? new(null, null, "DepartmentCode", l["A {0} must be bound to a department: choose one.", RoleNames.Name(role, l)])
                : new(null, departmentId, null, null);
        }
        return new(null, null, null, null);
    }
}
