using Microsoft.EntityFrameworkCore;
using OneForm.Data;

namespace OneForm.Organization;

/// <summary>The departments as other modules' pages read them (for pickers and names).</summary>
public static class DepartmentQueries
{
    /// <summary>Every department, by code: the choices of a department picker.</summary>
    public static Task<List<Department>> AllAsync(OneFormDbContext db) => db.Departments.AsNoTracking().OrderBy(d => d.Code).ToListAsync();

    public static Task<Department> ByIdAsync(OneFormDbContext db, int id) => db.Departments.AsNoTracking().SingleAsync(d => d.Id == id);

    public static Task<int> CountAsync(OneFormDbContext db) => db.Departments.CountAsync();
}
