using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using OneForm.Data;
using OneForm.Dictionary;
using OneForm.Localization;
using OneForm.Media;
using OneForm.Organization;

namespace OneForm.Ledgers;

public sealed record LedgerFilterRequest(string Field, string Option);

/// <summary>A rule: the element it fills, what it reads (a ledger kind by id, or activities of a kind), what it takes, over which field, with which filters.</summary>
public sealed record LedgerRuleRequest(string Element, LedgerSource Source, LedgerMeasure Measure, int? Kind = null, ActivityKind? Activity = null,
    string? Field = null, IReadOnlyList<LedgerFilterRequest>? Filters = null);

public sealed record LedgerRuleView(int Id, string Element, string Source, string Measure, int? Kind, string? Activity, string? Field,
    IReadOnlyList<LedgerFilterRequest> Filters);

/// <summary>What a rule would write, before it is saved: the rule, the unit whose villages to show and the period.</summary>
public sealed record LedgerPreviewRequest(LedgerRuleRequest Rule, string Unit, string Period);

public sealed record LedgerPreviewRow(string Unit, string UnitName, string? Value, int Records);

/// <summary>Ledger rules: checked against the element and the kind's fields, saved one per element, tried before saving.</summary>
public sealed class LedgerRules(OneFormDbContext db, LedgerValues values, IStringLocalizer<SharedResource> l)
{
    /// <summary>The rule as it would be stored, or the problems by field.</summary>
    public async Task<(LedgerRule? Rule, Dictionary<string, string[]> Errors)> CheckAsync(LedgerRuleRequest request, CancellationToken cancellationToken = default)
    {
        var errors = new Dictionary<string, string[]>();
        void Problem(string field, string message) => errors.TryAdd(field, [message]);
        var element = await db.DataElements.AsNoTracking().SingleOrDefaultAsync(e => e.Code == request.Element, cancellationToken);
        if (element is null)
        {
            Problem(nameof(request.Element), l["There is no element {0}.", request.Element ?? ""]);
        }
        if (!Enum.IsDefined(request.Measure) || !Enum.IsDefined(request.Source))
        {
            Problem(nameof(request.Measure), l["Choose what the rule reads and what it takes."]);
            return (null, errors);
        }
        var rule = new LedgerRule { DataElementId = element?.Id ?? 0, Source = request.Source, Measure = request.Measure, RowVersion = 1 };
        // What the rule produces: a number, or a date (the latest date), or a text (the latest option or text).
        var produces = request.Measure == LedgerMeasure.Count ? LedgerFieldType.Integer : LedgerFieldType.Decimal;
        if (request.Source == LedgerSource.Activities)
        {
            if (request.Activity is not { } activity || !Enum.IsDefined(activity))
            {
                Problem(nameof(request.Activity), l["Choose the kind of activity the rule counts."]);
            }
            if (request.Filters is { Count: > 0 } || request.Field is { Length: > 0 })
            {
                Problem(nameof(request.Filters), l["A rule over activity records takes no field and no filters."]);
            }
            rule.ActivityKind = request.Activity;
            produces = request.Measure switch { LedgerMeasure.Latest => LedgerFieldType.Date, LedgerMeasure.Sum => LedgerFieldType.Integer, _ => produces };
        }
        else
        {
            var kind = request.Kind is { } kindId
                ? await db.LedgerKinds.AsNoTracking().Include(k => k.Fields).SingleOrDefaultAsync(k => k.Id == kindId, cancellationToken)
                : null;
            if (kind is null)
            {
                Problem(nameof(request.Kind), l["Choose the ledger the rule reads."]);
                return (null, errors);
            }
            rule.LedgerKindId = kind.Id;
            if (request.Measure != LedgerMeasure.Count)
            {
                var field = kind.Fields.FirstOrDefault(f => f.Name == request.Field);
                if (field is null)
                {
                    Problem(nameof(request.Field), l["Choose the field of {0} the rule takes.", kind.Name]);
                }
                else if (request.Measure == LedgerMeasure.Sum && !field.IsNumeric)
                {
                    Problem(nameof(request.Field), l["{0} is not a number: only numbers are summed.", field.Name]);
                }
                else
                {
                    rule.FieldId = field.Id;
                    produces = request.Measure == LedgerMeasure.Sum ? field.Type : field.Type;
                }
            }
            var filters = new List<LedgerFilter>();
            foreach (var filter in request.Filters ?? [])
            {
                var field = kind.Fields.FirstOrDefault(f => f.Name == filter.Field);
                if (field is not { Type: LedgerFieldType.Option } || !field.OptionList.Contains(filter.Option))
                {
                    Problem(nameof(request.Filters), l["A filter must name an option field of {0} and one of its options; {1} = {2} does not.", kind.Name, filter.Field, filter.Option]);
                    continue;
                }
                filters.Add(new LedgerFilter(field.Id, filter.Option));
            }
            rule.Filters = LedgerRule.WriteFilters(filters);
        }
        if (element is not null && !Fits(element.ValueType, produces))
        {
            Problem(nameof(request.Element), l["{0} cannot hold what this rule takes.", element.Name]);
        }
        return errors.Count > 0 ? (null, errors) : (rule, errors);
    }

    private static bool Fits(ElementValueType element, LedgerFieldType produces) => produces switch
    {
        LedgerFieldType.Integer => element is ElementValueType.Integer or ElementValueType.Decimal,
        LedgerFieldType.Decimal => element == ElementValueType.Decimal,
        LedgerFieldType.Date => element == ElementValueType.Date,
        _ => element == ElementValueType.Text,
    };

    /// <summary>Saves the rule (replacing the element's earlier one) and writes its figures wherever it has records.</summary>
    public async Task<(LedgerRule? Rule, Dictionary<string, string[]> Errors)> SaveAsync(LedgerRuleRequest request, CancellationToken cancellationToken = default)
    {
        var (rule, errors) = await CheckAsync(request, cancellationToken);
        if (rule is null)
        {
            return (null, errors);
        }
        var stored = await db.LedgerRules.SingleOrDefaultAsync(r => r.DataElementId == rule.DataElementId, cancellationToken);
        if (stored is null)
        {
            db.LedgerRules.Add(stored = rule);
        }
        else
        {
            (stored.Source, stored.LedgerKindId, stored.ActivityKind, stored.Measure, stored.FieldId, stored.Filters) =
                (rule.Source, rule.LedgerKindId, rule.ActivityKind, rule.Measure, rule.FieldId, rule.Filters);
        }
        await db.SaveChangesAsync(cancellationToken);
        await values.RuleChangedAsync(stored, cancellationToken);
        return (stored, errors);
    }

    /// <summary>The figures the rule would give each village or community below a unit in a period.</summary>
    public async Task<(List<LedgerPreviewRow>? Rows, Dictionary<string, string[]> Errors)> PreviewAsync(LedgerPreviewRequest request, CancellationToken cancellationToken = default)
    {
        var (rule, errors) = await CheckAsync(request.Rule, cancellationToken);
        var root = await db.OrgUnits.AsNoTracking().SingleOrDefaultAsync(u => u.Code == request.Unit, cancellationToken);
        if (root is null)
        {
            errors.TryAdd(nameof(request.Unit), [l["There is no unit {0}.", request.Unit ?? ""]]);
        }
        if (!Period.TryParse(request.Period, out var period))
        {
            errors.TryAdd(nameof(request.Period), [l["'{0}' is not a period such as 2026M03, 2026Q1, 2026H1 or 2026.", request.Period ?? ""]]);
        }
        if (rule is null || errors.Count > 0)
        {
            return (null, errors);
        }
        var units = await db.OrgUnits.InSubtree(root!.Path).Where(u => u.Level == OrgUnitLevel.Village).OrderBy(u => u.Code)
            .Select(u => new { u.Id, u.Code, u.Name }).ToListAsync(cancellationToken);
        var figures = await values.EvaluateAsync(rule, [.. units.Select(u => u.Id)], period, cancellationToken);
        return ([.. units.Select(u => figures.TryGetValue(u.Id, out var f) ? new LedgerPreviewRow(u.Code, u.Name, f.Value, f.Records) : new LedgerPreviewRow(u.Code, u.Name, null, 0))], errors);
    }

    public async Task<List<LedgerRuleView>> ListAsync(CancellationToken cancellationToken = default)
    {
        var rules = await db.LedgerRules.AsNoTracking().Include(r => r.DataElement).Include(r => r.LedgerKind).ThenInclude(k => k!.Fields)
            .OrderBy(r => r.Id).ToListAsync(cancellationToken);
        return [.. rules.Select(View)];
    }

    public static LedgerRuleView View(LedgerRule r)
    {
        var fields = r.LedgerKind?.Fields ?? [];
        string FieldName(int id) => fields.FirstOrDefault(f => f.Id == id)?.Name ?? id.ToString(CultureInfo.InvariantCulture);
        return new(r.Id, r.DataElement?.Code ?? "", r.Source.ToString(), r.Measure.ToString(), r.LedgerKindId, r.ActivityKind?.ToString(),
            r.FieldId is { } field ? FieldName(field) : null, [.. r.FilterList.Select(f => new LedgerFilterRequest(FieldName(f.Field), f.Option))]);
    }
}
