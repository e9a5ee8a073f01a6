using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OneForm.Accounts;
using OneForm.Data;
using OneForm.Ledgers;
using OneForm.Localization;
using OneForm.Organization;
using OneForm.Pages.Shared;
using Microsoft.Extensions.Localization;

namespace OneForm.Pages.Ledgers;

/// <summary>
/// A unit's ledgers (台账) on the phone: pick a ledger and a month, see its entries, add or correct one, download the
/// xlsx. The unit's own people record; the reviewers above it and the department owning a ledger read.
/// </summary>
public sealed class IndexModel(OneFormDbContext db, OneForm.Ledgers.Ledgers ledgers, ActorNames names, DisplayTime time,
    IStringLocalizer<SharedResource> l) : PageModel
{
    public List<LedgerKind> Kinds { get; private set; } = [];
    public LedgerKind? Kind { get; private set; }
    public OrgUnit? Unit { get; private set; }
    public Period Period { get; private set; }
    public List<LedgerEntry> Entries { get; private set; } = [];
    public ActorNames Names => names;
    public bool Records { get; private set; }
    public string? Typed { get; private set; }
    public string? PeriodProblem { get; private set; }
    public List<Period> Offered { get; private set; } = [];

    /// <summary>After a recording or correction that sent forms back to the unit: which.</summary>
    [TempData]
    public string? Notice { get; set; }

    public async Task<IActionResult> OnGetAsync(int? kind, string? unit, string? period)
    {
        var scope = User.Scope();
        Unit = unit is { Length: > 0 } ? await OrgUnitQueries.ByCodeAsync(db, unit)
            : scope.OrgUnitId is { } own ? await OrgUnitQueries.ByIdAsync(db, own) : null;
        if (Unit is null)
        {
            return NotFound();
        }
        Kinds = [.. (await ledgers.KindsAsync()).Where(k => OneForm.Ledgers.Ledgers.CanRead(scope, Unit, k))];
        if (Kinds.Count == 0)
        {
            return NotFound();
        }
        Kind = Kinds.FirstOrDefault(k => k.Id == kind) ?? Kinds[0];
        Offered = PickerReading.Recent(OneForm.Common.ReportingCycle.Monthly, time.Today, 12);
        Period = Offered[0];
        Records = scope.CanFillFor(Unit) && scope.Admits(Operations.LedgerEntriesRecord);
        if (!string.IsNullOrWhiteSpace(period))
        {
            // A month, quarter or year by its code (2026M11) or its name (2026年11月); one that is neither is named.
            if (PickerReading.ReadPeriod(period, null, Offered, l, out var problem) is { } read)
            {
                Period = read;
            }
            else
            {
                Typed = period;
                PeriodProblem = problem;
                return Page();
            }
        }
        Entries = await ledgers.EntriesAsync(Kind.Id, Unit.Id, Period);
        await names.LoadAsync(Entries.Select(e => e.CreatedBy));
        return Page();
    }
}
