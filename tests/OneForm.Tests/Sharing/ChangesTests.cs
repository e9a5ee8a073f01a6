using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using OneForm.Collection;
using OneForm.Data;
using OneForm.Sharing;
using OneForm.Testing;
using OneForm.Tests.Collection;
using OneForm.Tests.Hosting;

namespace OneForm.Tests.Sharing;

/// <summary>The incremental cursor: every change after a point, in commit order, while units keep writing.</summary>
[Collection(nameof(AppsCollection))]
public sealed class ChangesTests(Apps apps)
{
    private static readonly System.Text.Json.JsonSerializerOptions Json = TestJson.Options;

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task The_cursor_neither_skips_nor_repeats_a_change_while_two_units_write_at_once(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var reader = await PageSession.BearerAsync(app, "gatekeeper", Demo.DemoSeed.DefaultPassword);
        string[] units = ["652301004008", "652301004009"];
        var writers = new List<(HttpClient Client, int Task)>();
        foreach (var unit in units)
        {
            var cadre = await app.CreateUserAsync(OneForm.Common.Role.Cadre, unit);
            writers.Add((await PageSession.BearerAsync(app, cadre.UserName!), await Filling.TaskIdAsync(app, unit, "CJ-DJ-01")));
        }
        var start = await app.WithDbAsync(db => ValueChangeOrder.LatestAsync(db));

        var seen = new ConcurrentBag<long>();
        var done = 0;
        async Task WriteAsync(HttpClient client, int taskId)
        {
            for (var i = 1; i <= 12; i++)
            {
                var task = await Filling.GetAsync(client, taskId);
                var saved = await client.PutAsJsonAsync($"/api/v1/tasks/{taskId}/values", new ValuesRequest([Filling.Change(task, "PARTY_MEMBERS_MOBILE", i.ToString())]));
                Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
            }
            Interlocked.Increment(ref done);
        }
        async Task ReadAsync()
        {
            var cursor = start;
            while (true)
            {
                var finished = Volatile.Read(ref done) == writers.Count;
                var page = (await reader.GetFromJsonAsync<SharedChangesPage>($"/api/v1/data/changes?after={cursor}&take=7", Json))!;
                foreach (var change in page.Items)
                {
                    seen.Add(change.Id);
                }
                cursor = page.Cursor;
                if (finished && page.Items.Count == 0)
                {
                    return;
                }
            }
        }
        await Task.WhenAll(writers.Select(w => WriteAsync(w.Client, w.Task)).Append(ReadAsync()));

        var written = await app.WithDbAsync(db => db.DataValueChanges.Where(c => c.Sequence > start).Select(c => c.Sequence!.Value).OrderBy(place => place).ToListAsync());
        Assert.Equal(0, await app.WithDbAsync(db => db.DataValueChanges.CountAsync(c => c.Sequence == null)));  // every committed one placed
        Assert.True(written.Count >= 24, $"{written.Count} changes written");
        Assert.Equal(written, seen.Order().ToList());  // all of them, each once

        // A department reads only the changes of elements it owns or is granted: 党员 are the organisation department's.
        var police = await PageSession.BearerAsync(app, "dept.gongan", Demo.DemoSeed.DefaultPassword);
        var theirs = (await police.GetFromJsonAsync<SharedChangesPage>($"/api/v1/data/changes?after={start}", Json))!;
        Assert.DoesNotContain(theirs.Items, c => c.Element == "PARTY_MEMBERS_MOBILE");
        Assert.Equal(HttpStatusCode.Forbidden, (await writers[0].Client.GetAsync("/api/v1/data/changes")).StatusCode);
    }
}
