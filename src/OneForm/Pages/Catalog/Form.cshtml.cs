using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using OneForm.Catalog;
using OneForm.Data;
using OneForm.Organization;

namespace OneForm.Pages.Catalog;

public sealed class FormModel(OneFormDbContext db) : PageModel
{
    public Form Form { get; private set; } = null!;
    public List<LegacyForm> Replaced { get; private set; } = [];
    public Dictionary<int, int> SharedWith { get; private set; } = [];
    public string? Below { get; private set; }

    /// <summary>The names of the unit groups the form is limited to, if any.</summary>
    public List<string> Groups { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(int id)
    {
        var form = await db.Forms.AsNoTracking().Include(f => f.IssuingDepartment)
            .Include(f => f.Sections).ThenInclude(s => s.Fields).ThenInclude(f => f.DataElement).AsSplitQuery()
            .SingleOrDefaultAsync(f => f.Id == id);
        if (form is null)
        {
            return NotFound();
        }
        Form = form;
        Below = form.TargetSubtreePath is { } path ? (await OrgUnitQueries.NamesByPathAsync(db, [path])).GetValueOrDefault(path) : null;
        Groups = form.Groups.Count == 0 ? [] : [.. (await UnitGroupQueries.ByCodesAsync(db, form.Groups)).Select(g => g.Name)];
        Replaced = await db.LegacyForms.AsNoTracking().Where(l => l.ReplacedByFormCode == form.Code).OrderBy(l => l.No).ToListAsync();
        var ids = form.Fields.Select(f => f.DataElementId).ToList();
        // How many other admitted forms share each element: those fields are filled once for all of them.
        SharedWith = (await db.FormFields.Where(f => ids.Contains(f.DataElementId))
                .Join(db.FormSections, f => f.SectionId, s => s.Id, (f, s) => new { f.DataElementId, s.FormId })
                .Join(db.Forms.Where(f => f.Status == FormStatus.Admitted && f.Id != id), x => x.FormId, f => f.Id, (x, _) => x.DataElementId)
                .ToListAsync())
            .GroupBy(e => e).ToDictionary(g => g.Key, g => g.Count());
        return Page();
    }
}
