using OneForm.Catalog;
using OneForm.Collection;
using OneForm.Dictionary;

namespace OneForm.Reports;

/// <summary>
/// A unit's year from the forms that reach it, each element and period once, split by where each value comes from:
/// the registry (derived elements), ledgers (elements a ledger rule fills from entries or activity records), formulas
/// (indicators), over periods (an element the forms also ask in a shorter cycle, combined over time: its longer values
/// are computed from the shorter ones), carried forward (a stock typed in the year's first period and offered as 上期值
/// in the later ones, counted apart) and typed. <see cref="TypedTwice"/> names the elements typed in two cycles whose
/// periods overlap (a longer value that is neither computed nor filled).
/// </summary>
public sealed record YearlyModel(ValueOrigins Origins, IReadOnlyList<string> TypedTwice)
{
    public static YearlyModel Of(IEnumerable<Form> forms, IReadOnlySet<int> ledgerFilled)
    {
        // A one-off form reports for the year it takes effect: its values are the year's (TaskOpener.PeriodFor).
        var elements = forms.SelectMany(f => f.Fields.Select(x => (Element: x.DataElement!, Cycle: f.Cycle == ReportingCycle.OneOff ? ReportingCycle.Annual : f.Cycle)))
            .GroupBy(s => s.Element.Id)
            .Select(g => (g.First().Element, Cycles: g.Select(s => s.Cycle).Distinct().ToList()));
        int typed = 0, registry = 0, ledger = 0, overTime = 0, formula = 0, carried = 0;
        var twice = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var (element, cycles) in elements)
        {
            foreach (var cycle in cycles)
            {
                var periods = Period.PerYear(cycle);
                var shorter = cycles.Any(c => Period.PerYear(c) > periods);
                if (element.Formula is not null || element.Source == ElementSource.Formula)
                {
                    formula += periods;
                }
                else if (element.Source == ElementSource.Derived)
                {
                    registry += periods;
                }
                else if (ledgerFilled.Contains(element.Id))
                {
                    ledger += periods;
                }
                else if (shorter && element.TimeAggregation != TimeAggregation.None)
                {
                    overTime += periods;
                }
                else
                {
                    if (shorter)
                    {
                        twice.Add(element.Code);
                    }
                    if (element.TimeAggregation == TimeAggregation.Last)
                    {
                        // A stock: typed once in the year's first period, then offered as 上期值 and confirmed.
                        typed += 1;
                        carried += periods - 1;
                    }
                    else
                    {
                        typed += periods;
                    }
                }
            }
        }
        return new YearlyModel(new ValueOrigins(typed, registry, ledger, overTime, formula, carried), [.. twice]);
    }
}
