using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OneForm.Data;
using OneForm.Sharing;
using OneForm.Tests.Hosting;

namespace OneForm.Tests.Sharing;

/// <summary>A finished export's file (names and birth dates) does not stay in the file store longer than Exports:KeepHours.</summary>
[Collection(nameof(AppsCollection))]
public sealed class ExportKeepingTests(Apps apps)
{
    /// <summary>A clock the test moves by hand.</summary>
    private sealed class ManualClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; }
        public override DateTimeOffset GetUtcNow() => Now;
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task A_finished_export_is_kept_24_hours_and_then_its_file_is_deleted(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var store = app.Services.GetRequiredService<IFileStore>();
        // As a node leaves a finished export: its file in the store. Finished 23 hours ago by the real clock, so the
        // host's own background runs keep it; the hand-moved clock decides here.
        var finished = DateTimeOffset.UtcNow.AddHours(-23);
        finished = finished.AddTicks(-(finished.Ticks % TimeSpan.TicksPerSecond));
        var stored = $"keep-{Guid.NewGuid():N}.csv";
        var key = $"exports/{stored}";
        await store.PutAsync(key, "姓名\n张三\n"u8.ToArray());
        var job = new ExportJob
        {
            RequestedBy = "keep-test", Query = "{}", Format = ExportFormat.Csv, FileName = "roster.csv", State = ExportState.Done,
            StoredName = stored, RowsDone = 1, RowsTotal = 1, CreatedAt = finished, StartedAt = finished, FinishedAt = finished,
        };
        await app.WithDbAsync(async db =>
        {
            db.ExportJobs.Add(job);
            return await db.SaveChangesAsync();
        });
        var clock = new ManualClock();
        async Task<ExportJob> RunAtAsync(DateTimeOffset now)
        {
            clock.Now = now;
            await using (var scope = app.Services.CreateAsyncScope())
            {
                await ActivatorUtilities.CreateInstance<Exports>(scope.ServiceProvider, clock).RunPendingAsync();
            }
            return await app.WithDbAsync(db => db.ExportJobs.AsNoTracking().SingleAsync(j => j.Id == job.Id));
        }

        var kept = await RunAtAsync(finished.AddHours(24).AddMinutes(-1));
        Assert.Equal((ExportState.Done, stored), (kept.State, kept.StoredName));
        Assert.True(await store.ExistsAsync(key));

        var expired = await RunAtAsync(finished.AddHours(24).AddMinutes(1));
        Assert.Equal((ExportState.Expired, (string?)null), (expired.State, expired.StoredName));
        Assert.False(await store.ExistsAsync(key));
    }
}
