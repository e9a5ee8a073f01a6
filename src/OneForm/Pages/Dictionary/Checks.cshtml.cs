using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using OneForm.Data;
using OneForm.Dictionary.Validation;
using OneForm.Localization;
using OneForm.Organization;
using OneForm.Pages.Shared;

namespace OneForm.Pages.Dictionary;

/// <summary>
/// The checks across fields (校验规则): everyone reads them; the gatekeeper adds, changes and removes them, and tests a rule
/// (saved or not) against the values already held before it reaches any cadre.
/// </summary>
public sealed class ChecksModel(OneFormDbContext db, IHeldValues held, DisplayTime time, IStringLocalizer<SharedResource> l) : PageModel
{
    public sealed class RuleInput
    {
        public string Name { get; set; } = "";
        public string Left { get; set; } = "";
        public string Operator { get; set; } = "<=";
        public string Right { get; set; } = "";
        public RuleImportance Importance { get; set; }
        public string? Message { get; set; }
        public string? MessageEn { get; set; }

        public ValidationRuleRequest Request => new(Name, Left, Operator, Right, Importance, Message, MessageEn);
    }

    /// <summary>The rule being edited; none for a new one.</summary>
    [BindProperty(SupportsGet = true)] public int? Id { get; set; }
    [BindProperty] public RuleInput Input { get; set; } = new();
    [BindProperty] public string? Period { get; set; }

    [TempData] public string? Notice { get; set; }

    public List<ValidationRuleResponse> Rules { get; private set; } = [];
    public ValidationRunResponse? Test { get; private set; }
    public string? PeriodProblem { get; private set; }
    public List<Period> Offered => PickerReading.Recent(time.Today);
    public bool CanEdit => User.Scope().KeepsCatalogue;

    public async Task<IActionResult> OnGetAsync()
    {
        if (Id is { } id)
        {
            var rule = await db.ValidationRules.AsNoTracking().SingleOrDefaultAsync(r => r.Id == id);
            if (rule is null)
            {
                return NotFound();
            }
            Input = new RuleInput
            {
                Name = rule.Name, Left = rule.Left, Operator = ValidationRules.Symbol(rule.Operator), Right = rule.Right,
                Importance = rule.Importance, Message = rule.Message, MessageEn = rule.MessageEn,
            };
        }
        await ListAsync();
        return Page();
    }

    public async Task<IActionResult> OnPostSaveAsync()
    {
        if (!CanEdit)
        {
            return Forbid();
        }
        var rule = Id is { } id ? await db.ValidationRules.SingleOrDefaultAsync(r => r.Id == id) : null;
        if (Id is not null && rule is null)
        {
            return NotFound();
        }
        var (applied, errors) = await ValidationRules.ApplyAsync(db, rule, Input.Request, l);
        if (applied is null)
        {
            return await ShowProblemsAsync(errors);
        }
        if (rule is null)
        {
            db.ValidationRules.Add(applied);
        }
        await db.SaveChangesAsync();
        Notice = l["The rule {0} was saved.", applied.Name];
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostDeleteAsync(int ruleId)
    {
        if (!CanEdit)
        {
            return Forbid();
        }
        var rule = await db.ValidationRules.SingleOrDefaultAsync(r => r.Id == ruleId);
        if (rule is null)
        {
            return NotFound();
        }
        db.ValidationRules.Remove(rule);
        await db.SaveChangesAsync();
        Notice = l["The rule {0} was removed.", rule.Name];
        return RedirectToPage(new { id = (int?)null });
    }

    /// <summary>Runs the rule as typed (not saved) over the values held, and lists the units that break it.</summary>
    public async Task<IActionResult> OnPostTestAsync()
    {
        if (!CanEdit)
        {
            return Forbid();
        }
        // A test of an edited rule must not trip over its own name.
        var existing = Id is { } id ? await db.ValidationRules.AsNoTracking().SingleOrDefaultAsync(r => r.Id == id) : null;
        var (rule, errors) = await ValidationRules.ApplyAsync(db, existing, Input.Request, l);
        if (rule is null)
        {
            return await ShowProblemsAsync(errors);
        }
        if (!string.IsNullOrWhiteSpace(Period))
        {
            // A code (2026Q4) or a name (2026年第四季度); one that is neither is named, not tested as every period.
            if (PickerReading.ReadPeriod(Period, null, Offered, l, out var problem) is not { } period)
            {
                PeriodProblem = problem;
                await ListAsync();
                return Page();
            }
            Period = period.ToString();
        }
        Test = await ValidationRulesApi.CheckAsync(ValidationRules.Parse([rule], l), Period, null, User.Scope(), db, held, l);
        await ListAsync();
        return Page();
    }

    private async Task<IActionResult> ShowProblemsAsync(Dictionary<string, string[]> errors)
    {
        foreach (var (field, messages) in errors)
        {
            ModelState.AddModelError($"{nameof(Input)}.{field}", messages[0]);
        }
        await ListAsync();
        return Page();
    }

    private async Task ListAsync()
    {
        var all = await db.ValidationRules.AsNoTracking().OrderBy(r => r.Id).ToListAsync();
        var parsed = ValidationRules.Parse(all, l).ToDictionary(r => r.Rule.Id);
        var elements = await ValidationRules.ElementsAsync(db, parsed.Values);
        Rules = [.. all.Select(r => ValidationRules.Response(r, parsed.GetValueOrDefault(r.Id), elements, l))];
    }

    public string ImportanceName(string importance) => RuleImportances.Name(Enum.Parse<RuleImportance>(importance), l);

    public static string Number(double value) => ValidationRules.Format(value);

    public static CultureInfo Culture => CultureInfo.CurrentUICulture;
}
