using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using OneForm.Collection;
using OneForm.Data;
using OneForm.Localization;
using OneForm.Media;

namespace OneForm.Ledgers;

/// <summary>
/// Tells the one writer which elements a ledger rule fills (counted from a ledger's entries or from activity records),
/// in words: those are never typed; the entries are recorded or corrected instead.
/// </summary>
internal sealed class LedgerOrigins(OneFormDbContext db, LedgerValues values, IStringLocalizer<SharedResource> l) : IElementOrigins
{
    public async Task<Dictionary<int, string>> DescribeAsync(IReadOnlyCollection<int> elementIds, CancellationToken cancellationToken = default)
    {
        var ids = elementIds.ToList();
        var rules = await db.LedgerRules.AsNoTracking().Include(r => r.LedgerKind).Where(r => ids.Contains(r.DataElementId)).ToListAsync(cancellationToken);
        var culture = CultureInfo.CurrentUICulture;
        return rules.ToDictionary(r => r.DataElementId, r => r.Source == LedgerSource.Activities && r.ActivityKind is { } kind
            ? l["Counted from the activity records ({0})", ActivityKinds.Name(kind, l)].Value
            : l["Counted from the ledger {0}", r.LedgerKind?.DisplayName(culture) ?? ""].Value);
    }

    public async Task<Dictionary<int, string>> RecordsAsync(IReadOnlyCollection<int> elementIds, string unitCode, string period,
        CancellationToken cancellationToken = default)
    {
        var ids = elementIds.ToList();
        // A ledger's page lists a unit's entries in any period; activity records are read on their own page, by unit below.
        return await db.LedgerRules.AsNoTracking().Where(r => ids.Contains(r.DataElementId) && r.Source == LedgerSource.Ledger && r.LedgerKindId != null)
            .ToDictionaryAsync(r => r.DataElementId, r => string.Create(CultureInfo.InvariantCulture,
                $"/Ledgers?kind={r.LedgerKindId}&unit={Uri.EscapeDataString(unitCode)}&period={Uri.EscapeDataString(period)}"), cancellationToken);
    }

    public async Task<int> FillAsync(int unitId, IReadOnlyCollection<(int ElementId, string Period)> cells, CancellationToken cancellationToken = default)
    {
        var ids = cells.Select(c => c.ElementId).Distinct().ToList();
        var rules = await db.LedgerRules.AsNoTracking().Where(r => ids.Contains(r.DataElementId)).ToListAsync(cancellationToken);
        var written = 0;
        foreach (var rule in rules)
        {
            foreach (var (_, period) in cells.Where(c => c.ElementId == rule.DataElementId))
            {
                written += await values.FillAsync(rule, unitId, Period.Parse(period), cancellationToken);
            }
        }
        return written;
    }
}
