using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OneForm.Collection;
using OneForm.Data;
using OneForm.Sharing;
using OneForm.Testing;
using OneForm.Tests.Collection;
using OneForm.Tests.Hosting;

namespace OneForm.Tests.Sharing;

/// <summary>
/// The races of sharing, forced rather than hoped for: one party holds its transaction (or its claim) open at the
/// worst moment, the other goes ahead, and the test looks at what a reader or a receiver got.
/// </summary>
[Collection(nameof(AppsCollection))]
public sealed class RaceTests(Apps apps)
{
    private static readonly System.Text.Json.JsonSerializerOptions Json = TestJson.Options;

    /// <summary>
    /// A value change that took its id first but commits last must reach a reader who asked in between, once. PostgreSQL
    /// hands out ids when rows are written, not when they commit, so a cursor over ids would move past the held change
    /// (a smaller id) and never deliver it. The cursor follows places instead, given after commit (ValueChangeOrder),
    /// and the later writer does not wait for the held one: its save returns while the held transaction is still open.
    /// On SQLite the held transaction holds the file's only write lock, so the later writer waits in the driver and the
    /// race cannot happen there at all; the SQLite case shows the same reader outcome (the cursor does not pass an
    /// uncommitted change, reading on delivers both once).
    /// </summary>
    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task A_change_that_commits_after_a_later_one_is_still_delivered_once_to_a_reader_who_asked_in_between(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var reader = await PageSession.BearerAsync(app, "gatekeeper", Demo.DemoSeed.DefaultPassword);
        const string heldUnit = "652301004001", lateUnit = "652301004004";
        var heldCadre = await app.CreateUserAsync(Role.Cadre, heldUnit);
        var heldClient = await PageSession.BearerAsync(app, heldCadre.UserName!);
        var lateClient = await PageSession.BearerAsync(app, (await app.CreateUserAsync(Role.Cadre, lateUnit)).UserName!);
        var heldTask = await Filling.GetAsync(heldClient, await Filling.TaskIdAsync(app, heldUnit, "CJ-DJ-01"));
        var lateTask = await Filling.GetAsync(lateClient, await Filling.TaskIdAsync(app, lateUnit, "CJ-DJ-01"));
        var start = await app.WithDbAsync(db => ValueChangeOrder.LatestAsync(db));
        var startId = await app.WithDbAsync(db => db.DataValueChanges.MaxAsync(c => (long?)c.Id)) ?? 0;

        // The held change: written through the product's writer on a connection of its own, inside a transaction the
        // test keeps open, so it has its id but is not committed.
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OneFormDbContext>();
        await using var held = await db.Database.BeginTransactionAsync();
        var task = await db.FillingTasks.Include(t => t.OrgUnit)
            .Include(t => t.Form!).ThenInclude(f => f.Sections).ThenInclude(s => s.Fields).ThenInclude(f => f.DataElement)
            .AsSplitQuery().SingleAsync(t => t.Id == heldTask.Task.Id);
        var saved = await scope.ServiceProvider.GetRequiredService<ValueWriter>().SaveAsync(task, task.Form!,
            [Filling.Change(heldTask, "PARTY_MEMBERS_MOBILE", Next(heldTask))], heldCadre.Id, ValueSource.Entered, null, submit: false);
        Assert.True(saved.Saved);
        // The quarter's change (the half-year and the year made of it follow in the same transaction).
        var heldId = db.ChangeTracker.Entries<DataValueChange>().Single(e => e.Entity.PeriodCode == heldTask.Task.Period).Entity.Id;

        // The later change, through the API; then the reader asks while the held one is still open.
        // On a thread of its own: SQLite's driver waits for the write lock synchronously, inside the call.
        var lateSave = Task.Run(() => lateClient.PutAsJsonAsync($"/api/v1/tasks/{lateTask.Task.Id}/values",
            new ValuesRequest([Filling.Change(lateTask, "PARTY_MEMBERS_MOBILE", Next(lateTask))])));
        if (provider == DatabaseProvider.Postgres)
        {
            Assert.Equal(HttpStatusCode.OK, (await lateSave).StatusCode);  // it did not wait for the held transaction
            var late = await app.WithDbAsync(db => db.DataValueChanges.Where(c => c.Id > startId && c.PeriodCode == lateTask.Task.Period
                && db.OrgUnits.Any(u => u.Id == c.OrgUnitId && u.Code == lateUnit)).Select(c => new { c.Id, c.Sequence }).SingleAsync());
            Assert.True(heldId < late.Id, $"the held change has id {heldId}, the later one {late.Id}");  // the race is real
            Assert.NotNull(late.Sequence);  // placed by its own save, right after it committed: no reader needed for that
        }
        var meanwhile = await ReadOnAsync(reader, start);

        await held.CommitAsync();
        Assert.Equal(HttpStatusCode.OK, (await lateSave).StatusCode);
        var heldAt = await app.WithDbAsync(db => db.DataValueChanges.Where(c => c.Id == heldId).Select(c => c.ChangedAt).SingleAsync());
        if (provider == DatabaseProvider.Postgres)
        {
            // Committed, not yet placed (its writer's placement ran inside the held transaction): an answer read now, before
            // a placement reaches the database read from, does not hold it, and must not say it holds everything until now.
            var now = DateTimeOffset.UtcNow;
            var completeUpTo = await app.WithDbAsync(db => ValueChangeOrder.CompleteUpToAsync(db, now));
            Assert.True(completeUpTo < heldAt, $"complete up to {completeUpTo:O}, the unplaced change was made at {heldAt:O}");
        }
        var afterwards = await ReadOnAsync(reader, meanwhile.Cursor);
        var asOf = (await reader.GetFromJsonAsync<SharedChangesPage>($"/api/v1/data/changes?after={afterwards.Cursor}", Json))!.DataAsOf;
        Assert.True(asOf > heldAt, $"placed by the reader, the held change is in the answers, and their moment is after it: {asOf:O}, made at {heldAt:O}");

        string[] ours = [heldUnit, lateUnit];
        List<string> Units(SharedChangesPage page) => [.. page.Items.Where(c => ours.Contains(c.Unit) && c.Period == heldTask.Task.Period).Select(c => c.Unit)];
        Assert.DoesNotContain(heldUnit, Units(meanwhile));  // not yet committed
        if (provider == DatabaseProvider.Postgres)
        {
            Assert.Equal([lateUnit], Units(meanwhile));
        }
        Assert.Equal(ours.Order(), Units(meanwhile).Concat(Units(afterwards)).Order());  // each once, the held one too
        var places = meanwhile.Items.Concat(afterwards.Items).Select(c => c.Id).ToList();
        Assert.Equal(places.Distinct().Order(), places);  // in the order of their places, none twice
    }

    private static string Next(TaskDetail task) =>
        ((int.TryParse(task.Values.Single(v => v.Element == "PARTY_MEMBERS_MOBILE").Value, out var n) ? n : 0) + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Reads every page after the cursor, as a client catching up does: the changes, and the cursor to ask with next.</summary>
    private static async Task<SharedChangesPage> ReadOnAsync(HttpClient reader, long cursor)
    {
        var items = new List<SharedChange>();
        while (true)
        {
            var page = (await reader.GetFromJsonAsync<SharedChangesPage>($"/api/v1/data/changes?after={cursor}&take=2", Json))!;
            items.AddRange(page.Items);
            cursor = page.Cursor;
            if (page.Items.Count == 0)
            {
                return new SharedChangesPage(items, cursor);
            }
        }
    }

    /// <summary>
    /// Two app nodes on one PostgreSQL database run their webhook round at the same moment: node A has claimed the round
    /// (the advisory lock) and is in the middle of sending, the receiver holding its request, when node B starts its
    /// round. B must leave the round to A; otherwise it would send the delivery A has not yet marked as sent, and the
    /// department would get it twice. PostgreSQL only: several nodes share a PostgreSQL database, never a SQLite file,
    /// and on SQLite the round takes no claim.
    /// </summary>
    [Fact]
    public async Task Two_nodes_running_a_webhook_round_at_the_same_moment_send_each_delivery_once()
    {
        var (receiver, url, got, arrived, release) = await HoldingReceiverAsync();
        await using var _ = receiver;
        await using var nodeA = await OneFormHost.StartAsync(DatabaseProvider.Postgres);
        await using var nodeB = await OneFormHost.StartOnAsync(nodeA.Database);
        var welfare = await PageSession.BearerAsync(nodeA, "dept.minzheng", Demo.DemoSeed.DefaultPassword);
        var cadre = await PageSession.BearerAsync(nodeB, "cadre.jinxiu", Demo.DemoSeed.DefaultPassword);
        Assert.Equal(HttpStatusCode.Created, (await welfare.PostAsJsonAsync("/api/v1/webhooks", new WebhookRequest(url))).StatusCode);
        var task = await Filling.GetAsync(cadre, await Filling.TaskIdAsync(nodeB, "652301004002", "CJ-MS-01"));
        Assert.Equal(HttpStatusCode.OK, (await cadre.PutAsJsonAsync($"/api/v1/tasks/{task.Task.Id}/values",
            new ValuesRequest([Filling.Change(task, "TEMP_ASSISTANCE_CASES", "23")]))).StatusCode);

        var roundA = Round(nodeA);
        await Task.WhenAny(arrived.Task, roundA);
        Assert.True(arrived.Task.IsCompleted, "node A sent nothing");
        var tookB = await Round(nodeB);  // while A's request is held and A's claim with it
        release.SetResult();
        var tookA = await roundA;
        var tookBAfterwards = await Round(nodeB);

        var delivery = await nodeA.WithDbAsync(db => db.WebhookDeliveries.AsNoTracking().SingleAsync());
        Assert.Equal([delivery.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)], got);  // received once
        Assert.Equal(1, delivery.Attempts);
        Assert.NotNull(delivery.DeliveredAt);
        // A sent it; B left the round to A while A held it, and found nothing to send once A was done.
        Assert.Equal((true, false, true), (tookA, tookB, tookBAfterwards));
    }

    /// <summary>The product's own round of a node, with its claim, as its timer would run it.</summary>
    private static Task<bool> Round(OneFormHost node) =>
        node.Services.GetServices<IHostedService>().OfType<WebhookService>().Single().RunRoundAsync(CancellationToken.None);

    /// <summary>
    /// A department's system on 127.0.0.1 that keeps the delivery id of every post, and holds the first post (answering
    /// it only when the test releases it), so the sender stays in the middle of its round.
    /// </summary>
    private static async Task<(WebApplication App, string Url, ConcurrentQueue<string> Got, TaskCompletionSource Arrived, TaskCompletionSource Release)> HoldingReceiverAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var got = new ConcurrentQueue<string>();
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var posts = 0;
        app.MapPost("/hook", async (HttpRequest request) =>
        {
            got.Enqueue(request.Headers["X-OneForm-Delivery"].ToString());
            if (Interlocked.Increment(ref posts) == 1)
            {
                arrived.SetResult();
                await release.Task;
            }
            return Results.Ok();
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return (app, address + "/hook", got, arrived, release);
    }
}
