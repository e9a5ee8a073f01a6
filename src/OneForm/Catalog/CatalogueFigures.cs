using Microsoft.EntityFrameworkCore;
using OneForm.Data;

namespace OneForm.Catalog;

/// <summary>
/// The catalogue against its baseline: forms in force, the legacy forms before them, and the compression rate,
/// always computed from the inventory, never typed in.
/// </summary>
public sealed record CatalogueFigures(int FormsInForce, int Baseline, double CompressionRate,
    IReadOnlyList<CatalogueFigures.LegacyCategory> LegacyCategories, IReadOnlyList<CatalogueFigures.CategoryInForce> Categories)
{
    public sealed record LegacyCategory(string Category, int Forms, int Merged, int SharedData, int Abolished);

    public sealed record CategoryInForce(FormCategory Category, int Forms, int LegacyMergedIn);

    public static async Task<CatalogueFigures> ComputeAsync(OneFormDbContext db, CancellationToken cancellationToken = default)
    {
        var inForce = await db.Forms.Where(f => f.Status == FormStatus.Admitted)
            .Select(f => new { f.Code, f.Category }).Distinct().ToListAsync(cancellationToken);
        var legacy = await db.LegacyForms.Select(l => new { l.Category, l.Disposition, l.ReplacedByFormCode }).ToListAsync(cancellationToken);
        var baseline = legacy.Count;
        var rate = baseline == 0 ? 0 : 1 - (double)inForce.Count / baseline;
        var legacyCategories = legacy.GroupBy(l => l.Category).OrderByDescending(g => g.Count())
            .Select(g => new LegacyCategory(g.Key, g.Count(), g.Count(l => l.Disposition == LegacyDisposition.Merged),
                g.Count(l => l.Disposition == LegacyDisposition.SharedData), g.Count(l => l.Disposition == LegacyDisposition.Abolished)))
            .ToList();
        var mergedInto = legacy.Where(l => l.ReplacedByFormCode is not null).ToLookup(l => l.ReplacedByFormCode!);
        var categories = inForce.GroupBy(f => f.Category).OrderBy(g => g.Key)
            .Select(g => new CategoryInForce(g.Key, g.Count(), g.Sum(f => mergedInto[f.Code].Count())))
            .ToList();
        return new CatalogueFigures(inForce.Count, baseline, rate, legacyCategories, categories);
    }
}
