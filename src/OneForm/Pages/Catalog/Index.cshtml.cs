using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using OneForm.Catalog;
using OneForm.Data;

namespace OneForm.Pages.Catalog;

/// <summary>The forms in force, against the legacy baseline they replaced, with the compression rate computed from the inventory.</summary>
public sealed class IndexModel(OneFormDbContext db) : PageModel
{
    public sealed record Row(Form Form, int Fields, int Replaced);

    public CatalogueFigures Figures { get; private set; } = null!;
    public List<Row> Forms { get; private set; } = [];

    public async Task OnGetAsync()
    {
        Figures = await CatalogueFigures.ComputeAsync(db);
        var forms = await db.Forms.AsNoTracking().Include(f => f.IssuingDepartment)
            .Where(f => f.Status == FormStatus.Admitted).OrderBy(f => f.Category).ThenBy(f => f.Code).ToListAsync();
        var fields = await db.FormSections.Join(db.FormFields, s => s.Id, f => f.SectionId, (s, _) => s.FormId)
            .GroupBy(id => id).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count);
        var replaced = await db.LegacyForms.Where(l => l.ReplacedByFormCode != null)
            .GroupBy(l => l.ReplacedByFormCode!).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count);
        Forms = forms.Select(f => new Row(f, fields.GetValueOrDefault(f.Id), replaced.GetValueOrDefault(f.Code))).ToList();
    }
}
