using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using OneForm.Accounts;
using OneForm.Collection;
using OneForm.Data;
using OneForm.Dictionary;
using OneForm.Localization;
using OneForm.Organization;
using OneForm.Pages.Shared;
using OneForm.Sharing;

namespace OneForm.Pages.Statistics;

/// <summary>A department takes its figures itself: owned or granted elements, for the units of a level below a unit, by period.</summary>
public sealed class IndexModel(OneFormDbContext db, OneForm.Sharing.Statistics statistics, DisplayTime time, TimeProvider clock,
    Microsoft.Extensions.Localization.IStringLocalizer<SharedResource> l) : PageModel
{
    [BindProperty(SupportsGet = true)] public List<string> Elements { get; set; } = [];
    [BindProperty(SupportsGet = true)] public string? Unit { get; set; }
    [BindProperty(SupportsGet = true)] public OrgUnitLevel Level { get; set; } = OrgUnitLevel.Village;
    [BindProperty(SupportsGet = true)] public string? Periods { get; set; }
    [BindProperty(SupportsGet = true)] public bool ByValue { get; set; }
    [BindProperty(SupportsGet = true)] public bool AcceptedOnly { get; set; }

    /// <summary>The unit opened in the drill-down (the query's unit when empty).</summary>
    [BindProperty(SupportsGet = true)] public string? Under { get; set; }

    /// <summary>Whether units without any figure are listed too (after those with figures).</summary>
    [BindProperty(SupportsGet = true)] public bool WithoutData { get; set; }

    [BindProperty(SupportsGet = true, Name = "p")] public int PageNumber { get; set; } = 1;

    public List<DataElement> Choosable { get; private set; } = [];
    public List<Period> RecentPeriods { get; private set; } = [];
    public UnitLookup UnitLookup { get; private set; } = UnitLookup.Empty;
    public Dictionary<int, string> DepartmentNames { get; private set; } = [];

    /// <summary>Periods typed that are not periods, named in a sentence; the query waits until they are fixed.</summary>
    public string? PeriodProblem { get; private set; }
    public StatisticsDrill? Drill { get; private set; }

    /// <summary>How current the figures are: from the primary, or from the read replica and how far it trails.</summary>
    public string? FreshnessNote { get; private set; }
    public List<string> NotGrantedNames { get; private set; } = [];
    public string QueryString { get; private set; } = "";
    public List<SavedQuery> Saved { get; private set; } = [];
    private List<string> ShownPeriods { get; set; } = [];

    /// <summary>This query again, opened at another unit, with or without the units lacking figures, at another page.</summary>
    public string Link(string? under, bool withoutData, int page = 1)
    {
        var query = new List<string>();
        query.AddRange(Elements.Select(e => "Elements=" + Uri.EscapeDataString(e)));
        query.Add("Unit=" + Uri.EscapeDataString(Unit ?? ""));
        query.Add($"Level={Level}");
        query.Add("Periods=" + Uri.EscapeDataString(string.Join(',', ShownPeriods)));
        query.AddRange(new[]
        {
            ByValue ? "ByValue=true" : null,
            AcceptedOnly ? "AcceptedOnly=true" : null,
            under is { Length: > 0 } ? "Under=" + Uri.EscapeDataString(under) : null,
            withoutData ? "WithoutData=true" : null,
            page > 1 ? $"p={page}" : null,
        }.OfType<string>());
        return "/Statistics?" + string.Join('&', query);
    }

    [BindProperty] public string? SaveName { get; set; }
    [BindProperty] public bool Share { get; set; }
    [BindProperty] public string? SaveQuery { get; set; }

    /// <summary>Keeps the query shown under a name, for oneself or for the department.</summary>
    public async Task<IActionResult> OnPostSaveAsync()
    {
        var scope = User.Scope();
        if (scope.Role != Role.Department || scope.DepartmentId is not { } department || string.IsNullOrWhiteSpace(SaveName) || string.IsNullOrWhiteSpace(SaveQuery))
        {
            return BadRequest();
        }
        db.SavedQueries.Add(new SavedQuery
        {
            DepartmentId = department,
            Name = SaveName.Trim()[..Math.Min(100, SaveName.Trim().Length)],
            Query = SaveQuery[..Math.Min(2000, SaveQuery.Length)],
            CreatedBy = User.ActorId(),
            CreatedAt = clock.GetUtcNow(),
            SharedWithDepartment = Share,
        });
        await db.SaveChangesAsync();
        return Redirect("/Statistics?" + SaveQuery);
    }

    public async Task<IActionResult> OnGetAsync()
    {
        var scope = User.Scope();
        if (!scope.Admits(Operations.SharedDataRead))
        {
            return Forbid();
        }
        Choosable = await statistics.ChoosableAsync(scope);
        DepartmentNames = (await DepartmentQueries.AllAsync(db)).ToDictionary(d => d.Id, d => d.DisplayName(System.Globalization.CultureInfo.CurrentUICulture));
        var me = User.ActorId();
        Saved = await db.SavedQueries.AsNoTracking()
            .Where(q => q.DepartmentId == scope.DepartmentId && (q.CreatedBy == me || q.SharedWithDepartment)).OrderBy(q => q.Name).ToListAsync();
        var today = time.Today;
        RecentPeriods = [.. Enumerable.Range(0, 8).Select(i => Period.Containing(ReportingCycle.Quarterly, today.AddMonths(-3 * i)))];
        Periods ??= PeriodNames.Name(RecentPeriods[0], l);
        // Periods typed as codes (2026Q4) or names (2026年第四季度), separated by commas or 、.
        var periods = new List<string>();
        foreach (var typed in Periods.Split([',', '，', '、', ';', '；'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (PickerReading.ReadPeriod(typed, null, RecentPeriods, l, out var problem) is { } period)
            {
                periods.Add(period.ToString());
            }
            else
            {
                PeriodProblem ??= problem;
            }
        }
        UnitLookup = await this.ReadUnitAsync(db, nameof(Unit), Unit);
        Unit = UnitLookup.Unit?.Code;
        // A saved query or a link may give the elements comma-separated, as the API takes them.
        Elements = [.. Elements.SelectMany(e => e.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).Distinct()];
        if (Elements.Count > 0 && PeriodProblem is null && !UnitLookup.NotFound && UnitLookup.Choices.Count == 0)
        {
            // Read before the figures, so they are at least this fresh.
            var freshness = await statistics.FreshnessAsync();
            var asOf = time.Local(freshness.AsOf).ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);
            FreshnessNote = freshness.FromReplica
                ? l["Data as of {0} (read replica, about {1} s behind).", asOf, Math.Round(freshness.LagSeconds ?? 0)]
                : l["Data as of {0} (live, from the primary database).", asOf];
            Drill = await statistics.DrillAsync(scope, new StatisticsQuery(Elements, Unit, Level, periods, ByValue, AcceptedOnly), Under, WithoutData, PageNumber);
            if (Drill is null)
            {
                return NotFound();
            }
            ShownPeriods = periods;
            // Elements not granted are named as people know them, not by code.
            var zh = System.Globalization.CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "zh";
            NotGrantedNames = Drill.NotGranted.Count == 0 ? []
                : [.. (await ElementQueries.ByCodesAsync(db, [.. Drill.NotGranted])).Select(e => zh ? e.Name : e.NameEn ?? e.Name)];
            QueryString = $"elements={Uri.EscapeDataString(string.Join(',', Elements))}&unit={Uri.EscapeDataString(Unit ?? "")}&level={Level}&periods={Uri.EscapeDataString(string.Join(',', periods))}&byValue={ByValue}&acceptedOnly={AcceptedOnly}";
        }
        // The periods are shown again by their names.
        Periods = PeriodProblem is null ? string.Join("、", periods.Select(p => PeriodNames.Name(Period.Parse(p), l))) : Periods;
        return Page();
    }
}
