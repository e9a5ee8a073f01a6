using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;

namespace OneForm.Data;

/// <summary>Anything two people can edit carries a row version that works the same on every provider.</summary>
public interface IHasRowVersion
{
    uint RowVersion { get; set; }
}

internal static class ConcurrencyTokens
{
    public static void Advance(ChangeTracker tracker)
    {
        foreach (var entry in tracker.Entries<IHasRowVersion>())
        {
            if (entry.State == EntityState.Modified)
            {
                entry.Entity.RowVersion++;
            }
        }
    }
}
