using Microsoft.EntityFrameworkCore;

namespace OneForm.Registry;

/// <summary>
/// Runs an uploaded registry import after the request that started it has answered, so the page can show its
/// progress (kept in the batch row) and the person can leave and come back.
/// </summary>
public sealed class ImportRunner(IServiceScopeFactory scopes, IHostApplicationLifetime lifetime, ILogger<ImportRunner> log)
{
    public async Task<long> StartAsync(Stream upload, string fileName, long length, string startedBy)
    {
        // The upload goes to a temporary file: the request's stream ends with the request.
        var path = Path.Combine(Path.GetTempPath(), $"oneform-import-{Guid.NewGuid():N}");
        await using (var copy = File.Create(path))
        {
            await upload.CopyToAsync(copy);
        }
        long batchId;
        await using (var scope = scopes.CreateAsyncScope())
        {
            batchId = (await scope.ServiceProvider.GetRequiredService<ResidentImporter>().StartAsync(fileName, length, startedBy)).Id;
        }
        _ = Task.Run(async () =>
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                scope.ServiceProvider.GetRequiredService<AuditActor>().ActAs(startedBy);
                await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.DeleteOnClose);
                await scope.ServiceProvider.GetRequiredService<ResidentImporter>()
                    .RunAsync(batchId, file, fileName.EndsWith(".xlsx", StringComparison.OrdinalIgnoreCase), cancellationToken: lifetime.ApplicationStopping);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogError(e, "Registry import {Batch} failed", batchId);
                // A file the importer gave up on (an unreadable line) is marked and audited by the importer; anything else here.
                await MarkFailedAsync(batchId);
                await AuditFailureAsync(batchId, startedBy, e.Message);
            }
        });
        return batchId;
    }

    /// <summary>A failed import is in the trail too, by whom it was started; a failure to write that is only logged.</summary>
    private async Task AuditFailureAsync(long batchId, string startedBy, string failure)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var actor = scope.ServiceProvider.GetRequiredService<AuditActor>();
            actor.ActAs(startedBy);
            var db = scope.ServiceProvider.GetRequiredService<Data.OneFormDbContext>();
            var reason = failure.Length > 900 ? failure[..900] : failure;
            db.AuditEntries.Add(actor.Entry("Registry.ImportFailed", "Residents", batchId.ToString(System.Globalization.CultureInfo.InvariantCulture), null, null,
                $"batch {batchId} failed: {reason}"));
            await db.SaveChangesAsync();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogError(e, "Recording the failure of registry import {Batch} failed", batchId);
        }
    }

    /// <summary>A run that broke off for any other reason still ends in a state that says so, never "Running" for ever.</summary>
    private async Task MarkFailedAsync(long batchId)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<Data.OneFormDbContext>();
            var l = scope.ServiceProvider.GetRequiredService<Microsoft.Extensions.Localization.IStringLocalizer<Localization.SharedResource>>();
            var batch = await db.ImportBatches.SingleAsync(b => b.Id == batchId);
            if (batch.State == BatchState.Running)
            {
                batch.State = BatchState.Failed;
                batch.Problem = l["The import stopped after {0} rows because of an error on the server; import the same file again to complete it.", batch.Read];
                batch.FinishedAt = batch.UpdatedAt = scope.ServiceProvider.GetRequiredService<TimeProvider>().GetUtcNow();
                await db.SaveChangesAsync();
            }
        }
        catch (Exception e)
        {
            log.LogError(e, "Registry import {Batch} could not be marked failed", batchId);
        }
    }
}
