namespace OneForm.Common;

/// <summary>
/// Work every node does once an hour. The work must be idempotent (two nodes may run it at the same moment); a failure
/// is logged and tried again at the next tick, so a node that cannot reach the database keeps serving.
/// </summary>
internal abstract class HourlyWork(IServiceScopeFactory scopes, TimeProvider time, ILogger log) : BackgroundRounds(scopes, log)
{
    protected override Task<bool> WaitAsync(CancellationToken stoppingToken) => EveryAsync(TimeSpan.FromHours(1), time, stoppingToken);
}
