using System.Globalization;
using Microsoft.EntityFrameworkCore;
using OneForm.Data;

namespace OneForm.Catalog;

/// <summary>The catalogue as other modules' pages read it.</summary>
public static class FormQueries
{
    /// <summary>The forms in force, by admission code.</summary>
    public static Task<List<Form>> AdmittedAsync(OneFormDbContext db, int? issuingDepartmentId = null) =>
        db.Forms.AsNoTracking().Where(f => f.Status == FormStatus.Admitted && (issuingDepartmentId == null || f.IssuingDepartmentId == issuingDepartmentId))
            .OrderBy(f => f.Code).ToListAsync();

    /// <summary>The form in force with this code (or the first by code), with its sections, fields and elements.</summary>
    public static Task<Form?> AdmittedWithFieldsAsync(OneFormDbContext db, string? code) =>
        db.Forms.AsNoTracking().Include(f => f.Sections).ThenInclude(s => s.Fields).ThenInclude(f => f.DataElement)
            .AsSplitQuery()
            .Where(f => f.Status == FormStatus.Admitted && (code == null || f.Code == code)).OrderBy(f => f.Code).FirstOrDefaultAsync();

    /// <summary>The display names of these forms in <paramref name="culture"/>, by id.</summary>
    public static Task<Dictionary<int, string>> NamesAsync(OneFormDbContext db, IReadOnlyCollection<int> ids, CultureInfo culture) =>
        db.Forms.Where(f => ids.Contains(f.Id)).ToDictionaryAsync(f => f.Id, f => f.DisplayName(culture));
}
