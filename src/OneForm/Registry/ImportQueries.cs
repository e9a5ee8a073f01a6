using Microsoft.EntityFrameworkCore;
using OneForm.Data;

namespace OneForm.Registry;

/// <summary>Registry imports as other modules' pages read them (the administrator's to-do).</summary>
public static class ImportQueries
{
    /// <summary>
    /// Imports that failed or were interrupted and have not been made good since: no later import of the same kind
    /// completed. Those are the ones an administrator still has to look at.
    /// </summary>
    public static async Task<List<ImportBatch>> FailedAsync(OneFormDbContext db, DateTimeOffset now)
    {
        var stale = now - ImportBatch.Heartbeat;
        var failed = await db.ImportBatches.AsNoTracking()
            .Where(b => b.State == BatchState.Failed || b.State == BatchState.Running)
            .Where(b => !db.ImportBatches.Any(later => later.Kind == b.Kind && later.Id > b.Id && later.State == BatchState.Completed))
            .OrderByDescending(b => b.Id).Take(50).ToListAsync();
        // Interrupted is decided in memory: comparing DateTimeOffset columns does not translate on SQLite.
        return [.. failed.Where(b => b.State == BatchState.Failed || b.UpdatedAt < stale)];
    }
}
