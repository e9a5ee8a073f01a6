using Microsoft.EntityFrameworkCore;
using OneForm.Data;

namespace OneForm.Common;

/// <summary>
/// Work a node does in rounds in the background, each round in a scope of its own. A failed round is logged and the
/// next one tries again, so a node that cannot reach the database keeps serving. With a lease only one node at a time
/// runs a round (on PostgreSQL an advisory lock held by the round's connection, given back if the node dies; SQLite
/// has one writer process and always grants it): work that must not be done twice, such as sending, waits for it.
/// </summary>
internal abstract class BackgroundRounds(IServiceScopeFactory scopes, ILogger log) : BackgroundService
{
    /// <summary>What the work is, for the log when a round fails.</summary>
    protected abstract string What { get; }

    /// <summary>The lease a round holds, or null when every node may run a round at the same moment (the work is idempotent).</summary>
    protected virtual long? Lease => null;

    /// <summary>Waits until the next round is due; false when the node is stopping.</summary>
    protected abstract Task<bool> WaitAsync(CancellationToken stoppingToken);

    protected abstract Task RunAsync(IServiceProvider services, CancellationToken cancellationToken);

    private PeriodicTimer? timer;

    /// <summary>For rounds at a fixed interval: the next tick of one timer kept for the node's life.</summary>
    protected async Task<bool> EveryAsync(TimeSpan interval, TimeProvider time, CancellationToken stoppingToken) =>
        await (timer ??= new PeriodicTimer(interval, time)).WaitForNextTickAsync(stoppingToken);

    public override void Dispose()
    {
        timer?.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (await WaitAsync(stoppingToken))
        {
            try
            {
                await RunRoundAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogWarning(e, "{Work} failed", What);
            }
        }
    }

    /// <summary>
    /// This node's round, unless another node holds the lease: then it leaves the round to that node and answers false.
    /// Until the lease is given back the holder's work is not recorded as done, so a second node would do it again.
    /// </summary>
    internal async Task<bool> RunRoundAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        IAsyncDisposable? lease = null;
        if (Lease is { } key)
        {
            var db = scope.ServiceProvider.GetRequiredService<OneFormDbContext>();
            await db.Database.OpenConnectionAsync(cancellationToken);
            if ((lease = await db.Dialect.TryLeaseAsync(db.Database, key, cancellationToken)) is null)
            {
                return false;
            }
        }
        await using (lease)
        {
            await RunAsync(scope.ServiceProvider, cancellationToken);
        }
        return true;
    }
}

/// <summary>
/// How a delivery that failed is tried again: after <c>{section}:RetryBaseSeconds</c> (30 by default), then twice as
/// long after each failure, until <c>{section}:MaxAttempts</c> attempts have been made.
/// </summary>
public sealed record RetrySchedule(int MaxAttempts, double BaseSeconds)
{
    public static RetrySchedule From(IConfiguration configuration, string section, int maxAttempts) =>
        new(configuration.GetValue($"{section}:MaxAttempts", maxAttempts), configuration.GetValue($"{section}:RetryBaseSeconds", 30.0));

    /// <summary>When to try again after the attempt numbered <paramref name="attempts"/> failed at <paramref name="failedAt"/>.</summary>
    public DateTimeOffset NextAttempt(DateTimeOffset failedAt, int attempts) => failedAt.AddSeconds(BaseSeconds * Math.Pow(2, attempts - 1));
}
