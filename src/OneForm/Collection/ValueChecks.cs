using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.Extensions.Localization;
using OneForm.Data;
using OneForm.Dictionary;
using OneForm.Dictionary.Validation;

namespace OneForm.Collection;

/// <summary>
/// The checks across fields (Dictionary's validation rules) over the values Collection holds: for one unit and a set of
/// periods, so a task checks its own period and a category sheet all of its periods at once.
/// </summary>
public static class ValueChecks
{
    /// <summary>The values held, as numbers for the rules.</summary>
    public static IQueryable<HeldNumber> Numbers(IQueryable<DataValue> values) =>
        values.Where(v => v.Number != null)
            .Select(v => new HeldNumber { OrgUnitId = v.OrgUnitId, DataElementId = v.DataElementId, PeriodCode = v.PeriodCode, Number = v.Number!.Value });

    /// <summary>
    /// The rules broken by a unit's values in <paramref name="periods"/>. With <paramref name="elementIds"/>, only the rules that name one
    /// of those elements (the fields of a form). <paramref name="pending"/> are values about to be written (null: cleared), checked in place
    /// of those stored, so a save is checked on what it would leave.
    /// </summary>
    public static async Task<List<RuleViolation>> CheckAsync(OneFormDbContext db, IStringLocalizer l, int unitId, IReadOnlyCollection<string> periods,
        IReadOnlyCollection<int>? elementIds = null, IReadOnlyDictionary<(int ElementId, string Period), double?>? pending = null,
        CancellationToken cancellationToken = default)
    {
        var rules = await ValidationRules.LoadAsync(db, l, cancellationToken);
        var elements = await ValidationRules.ElementsAsync(db, rules, cancellationToken);
        if (elementIds is not null)
        {
            var codes = elements.Values.Where(e => elementIds.Contains(e.Id)).Select(e => e.Code).ToHashSet();
            rules = [.. rules.Where(r => r.References.Any(reference => codes.Contains(reference.Code)))];
        }
        if (rules.Count == 0)
        {
            return [];
        }
        var ids = elements.Values.Select(e => e.Id).ToList();
        var read = ValidationRules.PeriodsRead(rules, periods);
        var held = await Numbers(db.DataValues.AsNoTracking())
            .Where(n => n.OrgUnitId == unitId && ids.Contains(n.DataElementId) && read.Contains(n.PeriodCode))
            .Select(n => new { n.DataElementId, n.PeriodCode, n.Number })
            .ToListAsync(cancellationToken);
        var lookup = held.ToDictionary(n => (n.DataElementId, n.PeriodCode), n => (double?)n.Number);
        foreach (var (key, number) in pending ?? new Dictionary<(int, string), double?>())
        {
            lookup[key] = number;
        }
        return ValidationRules.Evaluate(rules,
            (code, period) => elements.TryGetValue(code, out var element) ? lookup.GetValueOrDefault((element.Id, period)) : null,
            periods, elements, l);
    }
}

/// <summary>
/// A warning the cadre confirmed on submitting, with the reason, for the reviewer: which rule, what it said, why the
/// values stand. Replaced at each submission of the task.
/// </summary>
public sealed class ConfirmedWarning
{
    public const int MaxReasonLength = 500;

    public int Id { get; set; }
    public int FillingTaskId { get; set; }
    public int RuleId { get; set; }
    public required string PeriodCode { get; set; }
    public required string Rule { get; set; }
    public required string Message { get; set; }
    public required string Reason { get; set; }
    public required string ConfirmedBy { get; set; }
    public DateTimeOffset ConfirmedAt { get; set; }
}

internal sealed class ConfirmedWarningConfiguration : IEntityTypeConfiguration<ConfirmedWarning>
{
    public void Configure(EntityTypeBuilder<ConfirmedWarning> warning)
    {
        warning.ToTable("ConfirmedWarnings");
        warning.HasIndex(w => w.FillingTaskId);
        warning.HasOne<FillingTask>().WithMany().HasForeignKey(w => w.FillingTaskId).OnDelete(DeleteBehavior.Cascade);
        warning.Property(w => w.PeriodCode).HasMaxLength(8);
        warning.Property(w => w.Rule).HasMaxLength(ValidationRule.MaxNameLength);
        warning.Property(w => w.Message).HasMaxLength(1000);
        warning.Property(w => w.Reason).HasMaxLength(ConfirmedWarning.MaxReasonLength);
        warning.Property(w => w.ConfirmedBy).HasMaxLength(256);
    }
}
