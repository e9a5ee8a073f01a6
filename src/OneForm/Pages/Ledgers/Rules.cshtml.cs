using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using OneForm.Data;
using OneForm.Dictionary;
using OneForm.Ledgers;
using OneForm.Localization;
using OneForm.Media;
using OneForm.Organization;
using OneForm.Pages.Shared;

namespace OneForm.Pages.Ledgers;

/// <summary>
/// The ledger rules: which element each fills from which ledger or activity records, and how. The gatekeeper tries a
/// rule on a unit and period before saving it, as with the registry's rules; saving writes its figures at once.
/// </summary>
public sealed class RulesModel(OneForm.Ledgers.Ledgers ledgers, LedgerRules rules, OneFormDbContext db, DisplayTime time,
    IStringLocalizer<SharedResource> l) : PageModel
{
    public sealed class RuleInput
    {
        public string? Element { get; set; }
        public LedgerSource Source { get; set; }
        public LedgerMeasure Measure { get; set; }
        public int? Kind { get; set; }
        public ActivityKind? Activity { get; set; }
        public string? Field { get; set; }

        /// <summary>One filter a line: field = option.</summary>
        public string? Filters { get; set; }
        public string? Unit { get; set; }
        public string? Period { get; set; }
    }

    [BindProperty] public RuleInput Input { get; set; } = new();

    public List<LedgerRuleView> Rules { get; private set; } = [];
    public List<LedgerKind> Kinds { get; private set; } = [];
    public List<LedgerPreviewRow>? Preview { get; private set; }
    public Dictionary<string, string[]> Errors { get; private set; } = [];
    public bool Edits { get; private set; }
    public List<DataElement> Elements { get; private set; } = [];
    public UnitLookup UnitLookup { get; private set; } = UnitLookup.Empty;
    public string? PeriodProblem { get; private set; }
    public List<Period> Offered => PickerReading.Recent(time.Today);

    public async Task OnGetAsync() => await LoadAsync();

    public async Task<IActionResult> OnPostPreviewAsync()
    {
        if (!User.Scope().Admits(Operations.LedgerRulesChange))
        {
            return Forbid();
        }
        await LoadAsync();
        UnitLookup = await this.ReadUnitAsync(db, "Input.Unit", Input.Unit);
        var period = PickerReading.ReadPeriod(Input.Period, null, Offered, l, out var problem);
        PeriodProblem = problem;
        if (UnitLookup.Unsettled() || period is null)
        {
            return Page();
        }
        var (rows, errors) = await rules.PreviewAsync(new LedgerPreviewRequest(RuleRequest(), UnitLookup.Unit?.Code ?? "", period.Value.ToString()));
        (Preview, Errors) = (rows, errors);
        return Page();
    }

    public async Task<IActionResult> OnPostSaveAsync()
    {
        if (!User.Scope().Admits(Operations.LedgerRulesChange))
        {
            return Forbid();
        }
        await LoadAsync();
        var (rule, errors) = await rules.SaveAsync(RuleRequest());
        if (rule is null)
        {
            Errors = errors;
            return Page();
        }
        return Redirect($"/Ledgers/Rules#r{rule.Id}");
    }

    /// <summary>The element typed by its name (as the list offers it) or pasted as its code.</summary>
    private string ElementCode()
    {
        var typed = Input.Element?.Trim() ?? "";
        return Elements.FirstOrDefault(e => e.Code == typed || e.Name == typed || e.DisplayName(System.Globalization.CultureInfo.CurrentUICulture) == typed)?.Code
            ?? typed;
    }

    public string ElementName(string code) =>
        Elements.FirstOrDefault(e => e.Code == code)?.DisplayName(System.Globalization.CultureInfo.CurrentUICulture) ?? code;

    private LedgerRuleRequest RuleRequest() => new(ElementCode(), Input.Source, Input.Measure, Input.Kind, Input.Activity,
        string.IsNullOrWhiteSpace(Input.Field) ? null : Input.Field.Trim(),
        [.. (Input.Filters ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split('=', 2, StringSplitOptions.TrimEntries)).Select(p => new LedgerFilterRequest(p[0], p.Length > 1 ? p[1] : ""))]);

    private async Task LoadAsync()
    {
        Edits = User.Scope().Admits(Operations.LedgerRulesChange);
        Rules = await rules.ListAsync();
        Kinds = await ledgers.KindsAsync();
        Elements = await ElementQueries.InUseAsync(db);
    }
}
