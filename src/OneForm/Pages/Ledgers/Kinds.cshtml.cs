using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OneForm.Data;
using OneForm.Ledgers;
using OneForm.Organization;

namespace OneForm.Pages.Ledgers;

/// <summary>The ledger kinds and their fields; the gatekeeper defines new ones here (a form of blank field rows, no script needed).</summary>
public sealed class KindsModel(OneFormDbContext db, OneForm.Ledgers.Ledgers ledgers) : PageModel
{
    public const int Rows = 10;

    public sealed class FieldRow
    {
        public string? Name { get; set; }
        public LedgerFieldType Type { get; set; } = LedgerFieldType.Text;
        public bool Required { get; set; }
        public string? Options { get; set; }
    }

    [BindProperty] public string? Name { get; set; }
    [BindProperty] public string? EnglishName { get; set; }
    [BindProperty] public string? Department { get; set; }
    [BindProperty] public List<FieldRow> Fields { get; set; } = [];

    public List<LedgerKind> Kinds { get; private set; } = [];
    public List<Department> Departments { get; private set; } = [];
    public Dictionary<string, string[]> Errors { get; private set; } = [];
    public bool Defines { get; private set; }

    public async Task OnGetAsync() => await LoadAsync();

    public async Task<IActionResult> OnPostAsync()
    {
        if (!User.Scope().Admits(Operations.LedgerKindsChange))
        {
            return Forbid();
        }
        var rows = Fields.Where(f => !string.IsNullOrWhiteSpace(f.Name)).ToList();
        var request = new LedgerKindRequest(Name ?? "", EnglishName ?? "", Department ?? "",
            [.. rows.Select(f => new LedgerFieldRequest(f.Name!, f.Type, f.Required,
                f.Options?.Split(['\n', ',', '，', '、', ';', '；'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))]);
        var (kind, errors) = await ledgers.DefineAsync(request);
        if (kind is null)
        {
            Errors = errors;
            await LoadAsync();
            return Page();
        }
        return Redirect($"/Ledgers/Kinds#k{kind.Id}");
    }

    private async Task LoadAsync()
    {
        Defines = User.Scope().Admits(Operations.LedgerKindsChange);
        Kinds = await ledgers.KindsAsync();
        Departments = await DepartmentQueries.AllAsync(db);
        while (Fields.Count < Rows)
        {
            Fields.Add(new FieldRow { Type = Fields.Count == 0 ? LedgerFieldType.Date : LedgerFieldType.Text, Required = Fields.Count == 0, Name = null });
        }
    }
}
