using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using OneForm.Accounts;
using OneForm.Data;
using OneForm.Dictionary;
using OneForm.Localization;
using OneForm.Organization;

namespace OneForm.Pages.Dictionary;

/// <summary>The gatekeeper adds, changes and retires data elements.</summary>
public sealed class EditModel(OneFormDbContext db, IElementUses uses, IStringLocalizer<SharedResource> l) : PageModel
{
    public sealed class ElementInput
    {
        public string Code { get; set; } = "";
        public string Name { get; set; } = "";
        public string? NameEn { get; set; }
        public string? Synonyms { get; set; }
        public ElementValueType ValueType { get; set; }
        public string? Unit { get; set; }
        public Aggregation Aggregation { get; set; }
        public TimeAggregation TimeAggregation { get; set; }
        public string OwnerDepartmentCode { get; set; } = "";
        public ElementSource Source { get; set; }
        public bool Required { get; set; }
        public decimal? Min { get; set; }
        public decimal? Max { get; set; }
        public string? Pattern { get; set; }

        /// <summary>An indicator's formula over other elements' codes; empty for an element that holds values of its own.</summary>
        public string? Formula { get; set; }

        /// <summary>One option a line: <c>CODE=label</c>.</summary>
        public string? Options { get; set; }
    }

    [BindProperty(SupportsGet = true)] public string? Code { get; set; }
    [BindProperty] public ElementInput Input { get; set; } = new();

    public List<Department> Departments { get; private set; } = [];
    public bool IsNew => string.IsNullOrEmpty(Code);
    public bool IsRetired { get; private set; }

    /// <summary>The stored formula in words, with the parts' names.</summary>
    public string? FormulaDescription { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        if (!User.Scope().KeepsCatalogue)
        {
            return Forbid();
        }
        Departments = await DepartmentQueries.AllAsync(db);
        if (IsNew)
        {
            return Page();
        }
        var e = await db.DataElements.AsNoTracking().Include(x => x.OwnerDepartment).SingleOrDefaultAsync(x => x.Code == Code);
        if (e is null)
        {
            return NotFound();
        }
        IsRetired = e.IsRetired;
        Input = new ElementInput
        {
            Code = e.Code, Name = e.Name, NameEn = e.NameEn, Synonyms = string.Join("; ", e.SynonymList), ValueType = e.ValueType, Unit = e.Unit,
            Aggregation = e.Aggregation, TimeAggregation = e.TimeAggregation, OwnerDepartmentCode = e.OwnerDepartment!.Code, Source = e.Source, Required = e.Required,
            Min = e.Min, Max = e.Max, Pattern = e.Pattern, Options = string.Join("\n", e.Options.Select(o => $"{o.Code}={o.Label}")),
            Formula = e.Formula,
        };
        FormulaDescription = (await ElementFormulas.DescribedAsync(db, [e], System.Globalization.CultureInfo.CurrentUICulture)).GetValueOrDefault(e.Id);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (!User.Scope().KeepsCatalogue)
        {
            return Forbid();
        }
        var existing = IsNew ? null : await db.DataElements.SingleOrDefaultAsync(x => x.Code == Code);
        if (!IsNew && existing is null)
        {
            return NotFound();
        }
        var options = (Input.Options ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split('=', 2)).Select(p => new ElementOption(p[0].Trim(), p.Length > 1 ? p[1].Trim() : "", null)).ToList();
        var request = new ElementRequest(existing?.Code ?? Input.Code, Input.Name, Input.NameEn, Input.Synonyms, Input.ValueType, Input.Unit,
            Input.Aggregation, Input.OwnerDepartmentCode, Input.Source, Input.Required, Input.Min, Input.Max, Input.Pattern, options,
            Input.TimeAggregation, Input.Formula);
        var formulaBefore = existing?.Formula;
        var (element, errors) = await ElementEditing.ApplyAsync(db, uses, existing, request, l);
        if (element is null)
        {
            foreach (var (field, messages) in errors)
            {
                ModelState.AddModelError($"Input.{field}", messages[0]);
            }
            Departments = await DepartmentQueries.AllAsync(db);
            return Page();
        }
        await db.SaveChangesAsync();
        if (element.Formula is not null && element.Formula != formulaBefore)
        {
            await uses.FormulaChangedAsync(element, User.ActorId());
        }
        return RedirectToPage("Index", new { q = element.Code });
    }

    public async Task<IActionResult> OnPostRetireAsync()
    {
        if (!User.Scope().KeepsCatalogue)
        {
            return Forbid();
        }
        var element = await db.DataElements.SingleOrDefaultAsync(x => x.Code == Code);
        if (element is null)
        {
            return NotFound();
        }
        element.IsRetired = true;
        await db.SaveChangesAsync();
        return RedirectToPage("Index", new { q = element.Code, retired = true });
    }
}
