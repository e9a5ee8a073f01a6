using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OneForm.Accounts;
using OneForm.Data;
using OneForm.Dictionary;
using OneForm.Organization;

namespace OneForm.Pages.Dictionary;

/// <summary>The data dictionary: every element, searchable by code, name or synonym, with the forms that share it.</summary>
public sealed class IndexModel(OneFormDbContext db, IElementUses uses) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Q { get; set; }
    [BindProperty(SupportsGet = true)] public bool Retired { get; set; }

    public List<ElementResponse> Elements { get; private set; } = [];

    /// <summary>The departments by code, so the owner is shown by its name.</summary>
    public Dictionary<string, Department> Departments { get; private set; } = [];
    public bool CanEdit => User.Scope().KeepsCatalogue;

    public async Task OnGetAsync()
    {
        Elements = await DictionaryApi.ProjectAsync(db, uses, db.DataElements.Search(Q).Where(e => Retired || !e.IsRetired));
        Departments = (await DepartmentQueries.AllAsync(db)).ToDictionary(d => d.Code);
    }
}
