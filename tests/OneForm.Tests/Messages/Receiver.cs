using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace OneForm.Tests.Messages;

/// <summary>
/// A real HTTP receiver on 127.0.0.1 (a push service or a messaging robot, as the test plays it): Kestrel on a free
/// port; every request is read whole and answered with the status <paramref name="answer"/> decides.
/// </summary>
public sealed class Receiver(Func<Receiver.Received, (int Status, string Body)> answer) : IAsyncDisposable
{
    public sealed record Received(string Method, string PathAndQuery, IReadOnlyDictionary<string, string> Headers, byte[] Body, int Status);

    private WebApplication? app;
    private readonly ConcurrentQueue<Received> received = new();
    private TaskCompletionSource next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IReadOnlyCollection<Received> All => received;
    public Uri Origin { get; private set; } = null!;

    public async Task<Receiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        app = builder.Build();
        app.Run(async context =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
            var request = new Received(context.Request.Method, context.Request.Path + context.Request.QueryString, headers, body.ToArray(), 0);
            var (status, text) = answer(request);
            received.Enqueue(request with { Status = status });
            context.Response.StatusCode = status;
            await context.Response.WriteAsync(text);
            next.TrySetResult();
        });
        await app.StartAsync();
        Origin = new Uri(app.Urls.First());
        return this;
    }

    /// <summary>Waits (at most 10 s, for a receiver that never gets it) until some request has come since the last call.</summary>
    public async Task WaitAsync()
    {
        await next.Task.WaitAsync(TimeSpan.FromSeconds(10));
        next = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    public async ValueTask DisposeAsync()
    {
        if (app is not null)
        {
            await app.DisposeAsync();
        }
    }
}
