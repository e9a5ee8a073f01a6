using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using OneForm.Accounts;
using OneForm.Collection;
using OneForm.Data;
using OneForm.Dictionary;
using OneForm.Localization;
using OneForm.Organization;
using OneForm.Registry;
using OneForm.Registry.Derivation;
using OneForm.Pages.Shared;

namespace OneForm.Pages.Dictionary;

/// <summary>
/// How a derived element is computed, built from choices (never SQL) and previewed for any unit before it is saved.
/// Everyone may read it; the gatekeeper changes it.
/// </summary>
public sealed class RuleModel(OneFormDbContext db, Deriver deriver, IDerivedValues derived, DisplayTime time, IStringLocalizer<SharedResource> l) : PageModel
{
    public sealed class RuleInput
    {
        public DerivationCount Counts { get; set; }
        public int? MinAge { get; set; }
        public int? MaxAge { get; set; }
        public Sex? Sex { get; set; }
        public string? Ethnicities { get; set; }
        public string? ExcludedEthnicities { get; set; }
        public int? MinHouseholdSize { get; set; }
        public int? MaxHouseholdSize { get; set; }
        public string? AttributeCode { get; set; }
        public bool AttributeValue { get; set; } = true;
    }

    [BindProperty(SupportsGet = true)] public string Code { get; set; } = "";
    [BindProperty(SupportsGet = true)] public string? Unit { get; set; }
    [BindProperty] public RuleInput Input { get; set; } = new();

    public DataElement Element { get; private set; } = null!;
    public string? Description { get; private set; }
    public List<DataElement> Attributes { get; private set; } = [];
    public (string Unit, string Period, int Value)? Preview { get; private set; }
    public UnitLookup UnitLookup { get; private set; } = UnitLookup.Empty;
    public bool CanEdit => User.Scope().KeepsCatalogue;

    public async Task<IActionResult> OnGetAsync()
    {
        if (!await LoadAsync())
        {
            return NotFound();
        }
        var rule = await RuleQueries.ForElementAsync(db, Element.Id);
        if (rule is not null)
        {
            Description = RuleText.Describe(rule, l);
            Input = new RuleInput
            {
                Counts = rule.Counts, MinAge = rule.MinAge, MaxAge = rule.MaxAge, Sex = rule.Sex, Ethnicities = rule.Ethnicities,
                ExcludedEthnicities = rule.ExcludedEthnicities, MinHouseholdSize = rule.MinHouseholdSize, MaxHouseholdSize = rule.MaxHouseholdSize,
                AttributeCode = rule.AttributeElement?.Code, AttributeValue = rule.AttributeValue != "false",
            };
            await PreviewAsync(rule);
        }
        return Page();
    }

    /// <summary>Shows the figure the choices give for the chosen unit, without saving them.</summary>
    public async Task<IActionResult> OnPostPreviewAsync()
    {
        if (!await LoadAsync())
        {
            return NotFound();
        }
        if (!User.Scope().CanTryRules)
        {
            return Forbid();
        }
        var attribute = Input.AttributeCode is { Length: > 0 } code ? await db.DataElements.AsNoTracking().SingleOrDefaultAsync(e => e.Code == code) : null;
        var rule = new DerivationRule
        {
            DataElementId = Element.Id, Counts = Input.Counts, MinAge = Input.MinAge, MaxAge = Input.MaxAge, Sex = Input.Sex,
            Ethnicities = Input.Ethnicities, ExcludedEthnicities = Input.ExcludedEthnicities, MinHouseholdSize = Input.MinHouseholdSize,
            MaxHouseholdSize = Input.MaxHouseholdSize, AttributeElementId = attribute?.Id, AttributeElement = attribute,
            AttributeValue = attribute is null ? null : Input.AttributeValue ? "true" : "false",
        };
        Description = RuleText.Describe(rule, l);
        await PreviewAsync(rule);
        return Page();
    }

    public async Task<IActionResult> OnPostSaveAsync()
    {
        if (!await LoadAsync())
        {
            return NotFound();
        }
        if (!CanEdit)
        {
            return Forbid();
        }
        var request = new RuleRequest(Input.Counts, Input.MinAge, Input.MaxAge, Input.Sex, Input.Ethnicities, Input.ExcludedEthnicities,
            Input.MinHouseholdSize, Input.MaxHouseholdSize, Input.AttributeCode, Input.AttributeValue ? "true" : "false");
        var (rule, errors) = await RuleEditing.ApplyAsync(db, Element, request, l);
        if (rule is null)
        {
            foreach (var (field, messages) in errors)
            {
                ModelState.AddModelError("", messages[0]);
            }
            return Page();
        }
        await derived.RecomputeAsync();
        return RedirectToPage(new { code = Code, unit = Unit });
    }

    private async Task<bool> LoadAsync()
    {
        var element = await db.DataElements.AsNoTracking().SingleOrDefaultAsync(e => e.Code == Code);
        if (element is null)
        {
            return false;
        }
        Element = element;
        Attributes = await db.DataElements.AsNoTracking().Where(e => e.Source == ElementSource.PersonAttribute && !e.IsRetired).OrderBy(e => e.Code).ToListAsync();
        return true;
    }

    private async Task PreviewAsync(DerivationRule rule)
    {
        var scope = User.Scope();
        UnitLookup = await this.ReadUnitAsync(db, nameof(Unit), Unit);
        if (UnitLookup.Unsettled())
        {
            return;
        }
        var code = UnitLookup.Unit?.Code ?? (scope.OrgUnitId is { } own ? (await OrgUnitQueries.ByIdAsync(db, own)).Code : Demo.DemoRegistry.DefaultScope);
        var unit = await OrgUnitQueries.ByCodeAsync(db, code);
        if (unit is null || !scope.CanPreviewFigures(unit, Element.OwnerDepartmentId))
        {
            return;
        }
        var period = Period.Containing(ReportingCycle.Quarterly, time.Today);
        var counts = await deriver.CountAsync(rule, period.End, OrgUnitQueries.Subtree(db, unit.Path));
        Preview = (unit.Name, PeriodNames.Name(period, l), counts.Values.Sum());
    }
}
