namespace OneForm.Common;

/// <summary>
/// Work every node does once an hour, in a scope of its own. The work must be idempotent (two nodes may run it at the
/// same moment); a failure is logged and tried again at the next tick, so a node that cannot reach the database keeps serving.
/// </summary>
internal abstract class HourlyWork(IServiceScopeFactory scopes, TimeProvider time, ILogger log) : BackgroundService
{
    /// <summary>What the work is, for the log when it fails.</summary>
    protected abstract string What { get; }

    protected abstract Task RunAsync(IServiceProvider services, CancellationToken cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromHours(1), time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await RunAsync(scope.ServiceProvider, stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogWarning(e, "{Work} failed", What);
            }
        }
    }
}
