using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using OneForm.Data;
using OneForm.Localization;
using OneForm.Organization;

namespace OneForm.Pages.Organization;

/// <summary>The administrator's unit groups (by rule or by list) and units' urban–rural classification codes.</summary>
public sealed class GroupsModel(OneFormDbContext db, AuditActor actor, IStringLocalizer<SharedResource> l) : PageModel
{
    public sealed class GroupInput
    {
        public string Code { get; set; } = "";
        public string Name { get; set; } = "";
        public string? Description { get; set; }
        public bool ByRule { get; set; } = true;
        public List<string> UrbanRuralCodes { get; set; } = [];
        public List<OrgUnitLevel> Levels { get; set; } = [];
        public string? Below { get; set; }

        /// <summary>Unit codes, one a line or separated by commas or spaces.</summary>
        public string? Units { get; set; }
    }

    [BindProperty]
    public GroupInput Group { get; set; } = new();

    [BindProperty]
    public string? UnitCode { get; set; }

    [BindProperty]
    public string? UrbanRuralCode { get; set; }

    public List<UnitGroupResponse> Groups { get; private set; } = [];
    public string? Saved { get; private set; }

    public async Task OnGetAsync(string? edit)
    {
        if (edit is not null && (await UnitGroupQueries.ByCodesAsync(db, [edit])).SingleOrDefault() is { } group)
        {
            var listed = group.Members.Select(m => m.OrgUnitId).ToList();
            Group = new GroupInput
            {
                Code = group.Code, Name = group.Name, Description = group.Description, ByRule = group.ByRule,
                UrbanRuralCodes = [.. group.UrbanRuralCodeList], Levels = [.. group.LevelList],
                Below = group.SubtreePath is { } path ? await db.OrgUnits.Where(u => u.Path == path).Select(u => u.Code).SingleOrDefaultAsync() : null,
                Units = string.Join('\n', await db.OrgUnits.Where(u => listed.Contains(u.Id)).OrderBy(u => u.Code).Select(u => u.Code).ToListAsync()),
            };
        }
        await LoadAsync();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var units = (Group.Units ?? "").Split([',', '，', ' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries);
        var errors = await UnitGroupEditing.SaveAsync(db, actor, Group.Code, new UnitGroupBody(Group.Name, Group.Description, Group.ByRule,
            Group.UrbanRuralCodes, Group.Levels, Group.Below, units), l, HttpContext.RequestAborted);
        foreach (var (field, messages) in errors)
        {
            foreach (var message in messages)
            {
                ModelState.AddModelError("", message);
            }
        }
        if (errors.Count == 0)
        {
            Saved = l["Group {0} saved.", Group.Name];
        }
        await LoadAsync();
        return Page();
    }

    public async Task<IActionResult> OnPostClassifyAsync()
    {
        var unit = await db.OrgUnits.SingleOrDefaultAsync(u => u.Code == (UnitCode ?? "").Trim());
        if (unit is null)
        {
            ModelState.AddModelError("", l["Unit {0} does not exist.", UnitCode ?? ""]);
        }
        else if (!await UnitGroupEditing.SetUrbanRuralAsync(db, unit, UrbanRuralCode, HttpContext.RequestAborted))
        {
            ModelState.AddModelError("", l["Urban–rural code '{0}' is not one of {1}.", UrbanRuralCode ?? "", string.Join(", ", UrbanRural.Codes)]);
        }
        else
        {
            Saved = unit.UrbanRuralCode is { } code
                ? l["{0} is now classified {1}.", unit.Name, UrbanRural.Label(code, l)]
                : l["{0} has no urban–rural code now.", unit.Name];
        }
        await LoadAsync();
        return Page();
    }

    private async Task LoadAsync() => Groups = await UnitGroupApi.DescribeAsync(db, l, HttpContext.RequestAborted);
}
