using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using OneForm.Data;
using OneForm.Localization;
using OneForm.Organization;
using OneForm.Pages.Shared;

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

        /// <summary>Units by code or name, one a line or separated by commas (and codes also by spaces).</summary>
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
    public UnitLookup BelowLookup { get; private set; } = UnitLookup.Empty;
    public UnitLookup UnitLookup { get; private set; } = UnitLookup.Empty;

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
        BelowLookup = await OrgUnitSearch.ResolveAsync(db, User.Scope(), Group.Below);
        await LoadAsync();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        BelowLookup = await this.ReadUnitAsync(db, "Group.Below", Group.Below);
        if (BelowLookup.Unsettled())
        {
            await LoadAsync();
            return Page();
        }
        Group.Below = BelowLookup.Unit?.Code;
        // Each line a code or a name; a name that is not exactly one unit is named, never guessed.
        var units = new List<string>();
        foreach (var line in (Group.Units ?? "").Split([',', '，', '、', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).All(p => p.Length == OrgUnit.CodeLength && p.All(char.IsAsciiDigit))
                ? line.Split(' ', StringSplitOptions.RemoveEmptyEntries) : [line];
            foreach (var part in parts)
            {
                var found = await OrgUnitSearch.ResolveAsync(db, User.Scope(), part);
                if (found.Unit is { } unit)
                {
                    units.Add(unit.Code);
                }
                else
                {
                    ModelState.AddModelError("", found.Choices.Count > 0
                        ? l["Several units match “{0}”: {1}. Write one of their codes instead.", part, string.Join("、", found.Choices.Select(c => $"{c.Path}（{c.Code}）"))]
                        : PickerReading.Problem(found, l)!);
                }
            }
        }
        if (!ModelState.IsValid)
        {
            await LoadAsync();
            return Page();
        }
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
        UnitLookup = await this.ReadUnitAsync(db, nameof(UnitCode), UnitCode);
        var unit = UnitLookup.Unit is { } found ? await db.OrgUnits.SingleAsync(u => u.Id == found.Id) : null;
        if (unit is null)
        {
            // The unit field names what was typed (or lists the units it matches); an empty one is said here.
            if (UnitLookup.IsEmpty)
            {
                ModelState.AddModelError("", l["Choose a unit."]);
            }
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
