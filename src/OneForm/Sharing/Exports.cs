using System.Security.Cryptography;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OneForm.Accounts;
using OneForm.Data;
using OneForm.Organization;

namespace OneForm.Sharing;

public enum ExportState
{
    Queued,
    Running,
    Done,
    Failed,
    Expired,
}

/// <summary>
/// A large export run in the background (导出任务): who asked, with which rights, what, how far it has got, and the file
/// when it is done. Only the person who asked can download the file; it is deleted after <c>Exports:KeepHours</c>.
/// </summary>
public sealed class ExportJob
{
    public int Id { get; set; }
    public required string RequestedBy { get; set; }

    // The requester's scope when they asked: rights are checked again with it when the export runs.
    public Role Role { get; set; }
    public int? OrgUnitId { get; set; }
    public string? OrgUnitPath { get; set; }
    public int? DepartmentId { get; set; }

    /// <summary>What to export, as JSON (a roster query).</summary>
    public required string Query { get; set; }
    public ExportFormat Format { get; set; }
    public required string FileName { get; set; }

    public ExportState State { get; set; }
    public long RowsDone { get; set; }
    public long RowsTotal { get; set; }
    public string? Error { get; set; }

    /// <summary>The file's name in the exports folder, random so it cannot be guessed.</summary>
    public string? StoredName { get; set; }
    public long? Bytes { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }

    /// <summary>Written with every chunk: a running export whose heartbeat stops (its node died) is taken up again.</summary>
    public DateTimeOffset? HeartbeatAt { get; set; }

    /// <summary>Why an export stopped when its grant ended between asking and running (the page shows it localised).</summary>
    public const string GrantEnded = "The grant for this roster is no longer in force.";

    public int Percent => State == ExportState.Done ? 100 : RowsTotal <= 0 ? 0 : (int)Math.Min(99, RowsDone * 100 / RowsTotal);

    public CallerScope Scope() => new(Role, OrgUnitId, OrgUnitPath, DepartmentId);
}

internal sealed class ExportJobConfiguration : IEntityTypeConfiguration<ExportJob>
{
    public void Configure(EntityTypeBuilder<ExportJob> job)
    {
        job.Property(j => j.RequestedBy).HasMaxLength(256);
        job.Property(j => j.Role).HasConversion<string>().HasMaxLength(20);
        job.Property(j => j.OrgUnitPath).HasMaxLength(400);
        job.Property(j => j.Query).HasMaxLength(2000);
        job.Property(j => j.Format).HasConversion<string>().HasMaxLength(8);
        job.Property(j => j.FileName).HasMaxLength(200);
        job.Property(j => j.State).HasConversion<string>().HasMaxLength(16);
        job.Property(j => j.Error).HasMaxLength(1000);
        job.Property(j => j.StoredName).HasMaxLength(100);
        job.HasIndex(j => new { j.RequestedBy, j.Id });
        job.HasIndex(j => j.State);
    }
}

/// <summary>Wakes the export runner on this node as soon as an export is queued (other nodes find it when they poll).</summary>
public sealed class ExportSignal
{
    private readonly Channel<bool> channel = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public void Queued() => channel.Writer.TryWrite(true);

    public async Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        wait.CancelAfter(timeout);
        try
        {
            await channel.Reader.ReadAsync(wait.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The poll interval passed: look for work queued on other nodes.
        }
    }
}

/// <summary>Queues exports, runs them (claiming each so that only one node does), and keeps their files.</summary>
/// <summary>Told when an export's file is ready, after it is stored: a listener saves what it adds itself.</summary>
public interface IExportReady
{
    Task ReadyAsync(ExportJob job, CancellationToken cancellationToken);
}

public sealed class Exports(OneFormDbContext db, RosterExporter rosters, IServiceScopeFactory scopes, ExportSignal signal, TimeProvider time,
    IConfiguration configuration, IFileStore store, ILogger<Exports> log)
{
    private static readonly TimeSpan Stalled = TimeSpan.FromMinutes(2);

    public TimeSpan Keep => TimeSpan.FromHours(configuration.GetValue("Exports:KeepHours", 24.0));

    /// <summary>Queues a roster export after checking the rights and recording it in the audit trail; null with a status when refused.</summary>
    public async Task<(ExportJob? Job, int Status)> QueueRosterAsync(CallerScope scope, string actorId, RosterQuery query, ExportFormat format)
    {
        var (plan, status) = await rosters.PlanAsync(scope, query);
        if (plan is null)
        {
            return (null, status);
        }
        var count = await rosters.CountAsync(plan);
        var job = new ExportJob
        {
            RequestedBy = actorId,
            Role = scope.Role,
            OrgUnitId = scope.OrgUnitId,
            OrgUnitPath = scope.OrgUnitPath,
            DepartmentId = scope.DepartmentId,
            Query = JsonSerializer.Serialize(query, JsonSerializerOptions.Web),
            Format = format,
            FileName = RosterExporter.FileName(plan, format),
            RowsTotal = count,
            CreatedAt = time.GetUtcNow(),
        };
        db.ExportJobs.Add(job);
        await rosters.AuditAsync(plan, count, $"queued as {format}");
        signal.Queued();
        return (job, StatusCodes.Status202Accepted);
    }

    /// <summary>The caller's own exports, newest first.</summary>
    public Task<List<ExportJob>> MineAsync(string actorId, int take) =>
        db.ExportJobs.AsNoTracking().Where(j => j.RequestedBy == actorId).OrderByDescending(j => j.Id).Take(take).ToListAsync();

    /// <summary>The requester's own export (by account or token id), or null: nobody else sees it or its file, whatever their role.</summary>
    public Task<ExportJob?> FindOwnAsync(int id, string actorId) =>
        db.ExportJobs.AsNoTracking().SingleOrDefaultAsync(j => j.Id == id && j.RequestedBy == actorId);

    /// <summary>
    /// Whether the requester may still have the file: rights as they are now, with the caller's present scope
    /// (a grant revoked or an account moved since the export ran ends access to what it wrote).
    /// </summary>
    public async Task<bool> StillPermittedAsync(ExportJob job, CallerScope caller)
    {
        var query = JsonSerializer.Deserialize<RosterQuery>(job.Query, JsonSerializerOptions.Web)!;
        var (plan, _) = await rosters.PlanAsync(caller, query);
        return plan is not null;
    }

    /// <summary>The finished file from the file store (the local disk, or the object store that all app nodes share), or null.</summary>
    public Task<Stream?> OpenAsync(ExportJob job) =>
        job.StoredName is { } name ? store.OpenAsync(Key(name)) : Task.FromResult<Stream?>(null);

    private static string Key(string storedName) => $"exports/{storedName}";

    /// <summary>Runs queued exports (and ones whose node stopped) until none is left; returns how many ran.</summary>
    public async Task<int> RunPendingAsync(CancellationToken cancellationToken = default)
    {
        var ran = 0;
        while (await ClaimAsync(cancellationToken) is { } id)
        {
            await RunAsync(id, cancellationToken);
            ran++;
        }
        await ExpireAsync(cancellationToken);
        return ran;
    }

    private async Task<int?> ClaimAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var stalled = now - Stalled;
        var candidates = await db.ExportJobs.AsNoTracking()
            .Where(j => j.State == ExportState.Queued || j.State == ExportState.Running)
            .OrderBy(j => j.Id).Select(j => new { j.Id, j.State, j.HeartbeatAt }).Take(20).ToListAsync(cancellationToken);
        foreach (var candidate in candidates.Where(c => c.State == ExportState.Queued || c.HeartbeatAt < stalled))
        {
            // Whoever changes the row first runs the export; another node's update then matches nothing.
            var claimed = await db.ExportJobs
                .Where(j => j.Id == candidate.Id && j.State == candidate.State && j.HeartbeatAt == candidate.HeartbeatAt)
                .ExecuteUpdateAsync(s => s.SetProperty(j => j.State, ExportState.Running).SetProperty(j => j.StartedAt, now).SetProperty(j => j.HeartbeatAt, now)
                    .SetProperty(j => j.RowsDone, 0), cancellationToken);
            if (claimed == 1)
            {
                return candidate.Id;
            }
        }
        return null;
    }

    private async Task RunAsync(int id, CancellationToken cancellationToken)
    {
        var job = await db.ExportJobs.AsNoTracking().SingleAsync(j => j.Id == id, cancellationToken);
        var stored = $"{job.Id}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12))}{Path.GetExtension(job.FileName)}";
        var path = Path.GetTempFileName();
        try
        {
            var query = JsonSerializer.Deserialize<RosterQuery>(job.Query, JsonSerializerOptions.Web)!;
            // Rights as they are now: a grant revoked since the export was queued stops it.
            var (plan, _) = await rosters.PlanAsync(job.Scope(), query, cancellationToken);
            if (plan is null)
            {
                await FinishAsync(id, ExportState.Failed, ExportJob.GrantEnded, null, null, null, cancellationToken);
                return;
            }
            long rows;
            await using (var file = new FileStream(path, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 81920))
            {
                rows = await Task.Run(() => rosters.Write(plan, job.RowsTotal, file, job.Format, done => Progress(id, done), cancellationToken), cancellationToken);
            }
            // Written on this node's disk, kept in the file store: any node can hand it to the requester.
            await store.PutFileAsync(Key(stored), path, cancellationToken);
            await FinishAsync(id, ExportState.Done, null, stored, new FileInfo(path).Length, rows, cancellationToken);
            await TellReadyAsync(job, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogError(e, "Export {Export} failed", id);
            await FinishAsync(id, ExportState.Failed, e.Message.Length > 1000 ? e.Message[..1000] : e.Message, null, null, null, CancellationToken.None);
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>Progress from the writing thread, through a context of its own (the writer's is busy reading rows).</summary>
    private void Progress(int id, long rows)
    {
        using var scope = scopes.CreateScope();
        var now = time.GetUtcNow();
        scope.ServiceProvider.GetRequiredService<OneFormDbContext>().ExportJobs.Where(j => j.Id == id)
            .ExecuteUpdate(s => s.SetProperty(j => j.RowsDone, rows).SetProperty(j => j.HeartbeatAt, now));
    }

    /// <summary>The file is stored whatever a listener does: a message that fails is logged, the export stays done.</summary>
    private async Task TellReadyAsync(ExportJob job, CancellationToken cancellationToken)
    {
        try
        {
            await using var told = scopes.CreateAsyncScope();
            foreach (var listener in told.ServiceProvider.GetServices<IExportReady>())
            {
                await listener.ReadyAsync(job, cancellationToken);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogWarning(e, "Telling that export {Id} is ready failed", job.Id);
        }
    }

    private async Task FinishAsync(int id, ExportState state, string? error, string? stored, long? bytes, long? rows, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await db.ExportJobs.Where(j => j.Id == id).ExecuteUpdateAsync(s => s.SetProperty(j => j.State, state).SetProperty(j => j.Error, error)
            .SetProperty(j => j.StoredName, stored).SetProperty(j => j.Bytes, bytes).SetProperty(j => j.FinishedAt, now)
            .SetProperty(j => j.RowsDone, j => rows ?? j.RowsDone).SetProperty(j => j.RowsTotal, j => rows ?? j.RowsTotal), cancellationToken);
    }

    /// <summary>Deletes the files of exports older than the keeping time.</summary>
    private async Task ExpireAsync(CancellationToken cancellationToken)
    {
        var before = time.GetUtcNow() - Keep;
        var old = await db.ExportJobs.Where(j => j.State == ExportState.Done && j.FinishedAt < before).ToListAsync(cancellationToken);
        foreach (var job in old)
        {
            await store.DeleteAsync(Key(job.StoredName!), cancellationToken);
            (job.State, job.StoredName) = (ExportState.Expired, null);
        }
        await db.SaveChangesAsync(cancellationToken);
    }
}

/// <summary>Runs exports in the background: when the node starts, at once when one is queued on this node, and every <c>Exports:PollSeconds</c> (10).</summary>
internal sealed class ExportService(IServiceScopeFactory scopes, ExportSignal signal, IConfiguration configuration, ILogger<ExportService> log)
    : BackgroundRounds(scopes, log)
{
    private bool started;

    protected override string What => "Running exports";

    protected override async Task<bool> WaitAsync(CancellationToken stoppingToken)
    {
        if (started)
        {
            await signal.WaitAsync(TimeSpan.FromSeconds(configuration.GetValue("Exports:PollSeconds", 10.0)), stoppingToken);
        }
        started = true;
        return !stoppingToken.IsCancellationRequested;
    }

    protected override Task RunAsync(IServiceProvider services, CancellationToken cancellationToken) =>
        services.GetRequiredService<Exports>().RunPendingAsync(cancellationToken);
}
