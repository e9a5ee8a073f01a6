using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using Microsoft.EntityFrameworkCore;
using OneForm.Catalog;
using OneForm.Collection;
using OneForm.Data;
using OneForm.Sharing;

namespace OneForm.Bench;

/// <summary>
/// The soak ODK Central is measured by: submissions arriving at a fixed rate (50 a second for 30 seconds), each one
/// whole filled form in one request, whatever the server's answers, while the gatekeeper exports the roster of the
/// whole prefecture in the background and asks prefecture-wide statistics over and over.
/// OneForm has no OpenRosa endpoint: a submission here is its own (`PUT /api/v1/tasks/{id}/values` with the values and
/// submit=true, one request), by the village's cadre, to two admitted forms of 20 fields (1,852 tasks, so no task is
/// submitted twice).
/// </summary>
internal static class SoakBench
{
    /// <summary>soak [submissions a second, 50] [seconds, 30] [residents imported first, 0: the demo's registry]</summary>
    public static async Task RunAsync(string[] args)
    {
        var rate = SurgeBench.Arg(args, 0, 50);
        var seconds = SurgeBench.Arg(args, 1, 30);
        var residents = (int)SurgeBench.Arg(args, 2, 0);
        var profile = Environment.GetEnvironmentVariable("ONEFORM_BENCH_PROFILE") == "1";
        var work = Directory.CreateTempSubdirectory("oneform-soak-bench-").FullName;
        var lines = new List<string>();
        try
        {
            await foreach (var database in BenchDatabase.TargetsAsync("soak", work))
            {
                await using (database)
                {
                    await using var node = await BenchNode.StartAsync($"soak-{database.Provider}", database.Provider, database.ConnectionString,
                        Path.Combine(work, $"files-{database.Provider}"), demo: true, work, profile);
                    await using var db = database.Context();
                    var measured = await MeasureAsync(database, node, db, rate, seconds, residents, work);
                    lines.AddRange(measured);
                    Console.Error.WriteLine(string.Join(Environment.NewLine, measured));
                }
            }
        }
        finally
        {
            foreach (var line in lines)
            {
                Console.WriteLine(line);
            }
            if (Environment.GetEnvironmentVariable("ONEFORM_BENCH_KEEP") != "1")
            {
                Directory.Delete(work, recursive: true);
            }
        }
    }

    private static async Task<List<string>> MeasureAsync(BenchDatabase database, BenchNode node, OneFormDbContext db, double rate, double seconds, int residents,
        string work)
    {
        var provider = database.Provider;
        if (residents > 0)
        {
            var file = await RegistryBench.RegistryFileAsync(residents, work);
            await RegistryBench.TimeAsync("dotnet", [Path.Combine(AppContext.BaseDirectory, "OneForm.dll"), "import", "residents", file],
                new Dictionary<string, string> { ["Database__Provider"] = provider.ToString(), ["ConnectionStrings__OneForm"] = database.ConnectionString });
        }
        // The statistics the gatekeeper asks: as in the statistics bench, 50 elements x every village x 4 quarters, with values.
        var elements = await db.DataElements.Where(e => e.ValueType == Dictionary.ElementValueType.Integer && e.Source == Dictionary.ElementSource.Entered)
            .OrderBy(e => e.Code).Take(50).Select(e => new { e.Id, e.Code }).ToListAsync();
        string[] quarters = ["2025Q1", "2025Q2", "2025Q3", "2025Q4", "2026Q1", "2026Q2", "2026Q3", "2026Q4"];
        await StatisticsBench.AddValuesAsync(db, [.. elements.Select(e => e.Id)], quarters);
        await db.Database.ExecuteSqlRawAsync(provider == Data.DatabaseProvider.Postgres ? "VACUUM ANALYZE" : "ANALYZE");
        var root = await db.OrgUnits.OrderBy(u => u.Depth).Select(u => u.Code).FirstAsync();
        var rosterRows = await db.Residents.CountAsync(r => r.Status == Registry.ResidentStatus.Active);
        var statistics = $"/api/v1/statistics?elements={string.Join(',', elements.Select(e => e.Code))}&unit={root}&level=Village&periods=2026Q1,2026Q2,2026Q3,2026Q4";

        var cadres = await SurgeBench.CadresAsync(node.Http, db);
        List<SurgeBench.AdmittedForm> forms =
        [
            await SurgeBench.AdmitFormAsync(node.Http, db, "入户走访情况登记", 20, ReportingCycle.Monthly, FormCategory.Livelihood, cadres),
            await SurgeBench.AdmitFormAsync(node.Http, db, "农村人居环境整治情况登记", 20, ReportingCycle.Monthly, FormCategory.Development, cadres),
        ];
        var gatekeeper = await SurgeBench.LoginAsync(node.Http, "gatekeeper", Demo.DemoSeed.DefaultPassword);
        var count = (int)(rate * seconds);
        var submissions = forms.SelectMany(f => cadres.Where(c => f.Tasks.ContainsKey(c.UnitId)).Select(c => (Form: f, Cadre: c))).Take(count).ToList();
        if (submissions.Count < count)
        {
            throw new InvalidOperationException($"only {submissions.Count} tasks for {count} submissions");
        }
        Console.Error.WriteLine($"{provider}: {cadres.Count} cadres, forms {string.Join(", ", forms.Select(f => f.Code))}; {rosterRows:N0} residents in the roster");

        // Warm the statistics once (the server compiles its hot paths), outside the run.
        await SurgeBench.SendJsonAsync<System.Text.Json.JsonElement>(node.Http, HttpMethod.Get, statistics, gatekeeper, null, HttpStatusCode.OK);

        var samples = new ConcurrentBag<SurgeBench.Sample>();
        var lags = new ConcurrentBag<double>();
        using var load = LoadAverage.Sample();
        node.Profile?.Start();
        var run = Stopwatch.StartNew();
        using var stop = new CancellationTokenSource();
        var asking = AskStatisticsAsync(node, statistics, gatekeeper, run, samples, stop.Token);
        var exporting = ExportAsync(node, root, gatekeeper, run);
        // Open loop: submission i is sent at i / rate seconds whatever happened to the others (at most 400 in flight, so a
        // stalled server cannot make the bench itself run away; a submission held back by that bound shows as lag).
        using var slots = new SemaphoreSlim(400);
        var sent = new List<Task>();
        for (var i = 0; i < submissions.Count; i++)
        {
            var due = TimeSpan.FromSeconds(i / rate);
            if (due > run.Elapsed)
            {
                await Task.Delay(due - run.Elapsed);
            }
            await slots.WaitAsync();
            lags.Add((run.Elapsed - due).TotalMilliseconds);
            var (form, cadre) = submissions[i];
            sent.Add(Task.Run(async () =>
            {
                try
                {
                    samples.Add(await SurgeBench.TimedAsync("submission", node, HttpMethod.Put, $"/api/v1/tasks/{form.Tasks[cadre.UnitId]}/values", cadre.Token,
                        new ValuesRequest(SurgeBench.ValuesFor(form, cadre.UnitId), Submit: true), run));
                }
                finally
                {
                    slots.Release();
                }
            }));
        }
        await Task.WhenAll(sent);
        var soak = run.Elapsed;
        stop.Cancel();
        await asking;
        var export = await exporting;
        node.Profile?.Stop();
        load.Stop();

        var submitted = await db.FillingTasks.CountAsync(t => forms.Select(f => f.FormId).Contains(t.FormId) && t.Status == TaskState.Submitted);
        var ok = samples.Where(s => s.Kind == "submission" && s.Status == 200).Select(s => s.Milliseconds).ToList();
        var stats = samples.Where(s => s.Kind == "statistics").ToList();
        var errors = samples.Where(s => s.Status != 200).GroupBy(s => $"{s.Kind} {s.Status?.ToString(CultureInfo.InvariantCulture) ?? "no answer"}")
            .Select(g => $"{g.Count()} x {g.Key} (first: {g.First().Problem})").ToList();
        var lines = new List<string>
        {
            string.Create(CultureInfo.InvariantCulture,
                $"{provider}: soak of {submissions.Count:N0} submissions of 20 fields at {rate:F0}/s ({seconds:F0} s): sent over {lags.Count / rate:F0} s, all answered after {soak.TotalSeconds:F1} s; " +
                $"{ok.Count:N0} answered 200, {submitted:N0} tasks submitted in the database; latency p50/p95/p99/max {SurgeBench.Percentiles(ok)} ms; " +
                $"sending lag behind the schedule p99 {SurgeBench.Percentile([.. lags], 99):F0} ms; errors: {(errors.Count == 0 ? "0" : string.Join("; ", errors))}"),
            string.Create(CultureInfo.InvariantCulture,
                $"{provider}: meanwhile {stats.Count} prefecture statistics ({elements.Count} elements x villages x 4 quarters), one after another: p50/p95/max " +
                $"{SurgeBench.Percentiles([.. stats.Where(s => s.Status == 200).Select(s => s.Milliseconds)])} ms"),
            $"{provider}: meanwhile the roster export of the whole prefecture ({rosterRows:N0} residents): {export}",
            $"{provider}: load average (1 min) {load}; app log lines starting fail: {node.FailLines}",
        };
        if (node.Profile is { } statements)
        {
            lines.AddRange(SurgeBench.Describe(statements, samples.Count));
        }
        return lines;
    }

    private static async Task AskStatisticsAsync(BenchNode node, string url, string token, Stopwatch run, ConcurrentBag<SurgeBench.Sample> samples,
        CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            samples.Add(await SurgeBench.TimedAsync("statistics", node, HttpMethod.Get, url, token, null, run));
        }
    }

    /// <summary>Queues the roster export, follows it to the end (at most ten minutes) and downloads the file.</summary>
    private static async Task<string> ExportAsync(BenchNode node, string root, string token, Stopwatch run)
    {
        var queued = run.Elapsed;
        var job = await SurgeBench.SendJsonAsync<ExportView>(node.Http, HttpMethod.Post, "/api/v1/exports/roster", token,
            new RosterExportRequest(root, Format: ExportFormat.Xlsx), HttpStatusCode.Accepted);
        var clock = Stopwatch.StartNew();
        while (job.State is not (nameof(ExportState.Done) or nameof(ExportState.Failed)) && clock.Elapsed < TimeSpan.FromMinutes(10))
        {
            await Task.Delay(500);
            job = await SurgeBench.SendJsonAsync<ExportView>(node.Http, HttpMethod.Get, $"/api/v1/exports/{job.Id}", token, null, HttpStatusCode.OK);
        }
        var finished = run.Elapsed;
        if (job.State != nameof(ExportState.Done))
        {
            return $"{job.State} after {(finished - queued).TotalSeconds:F1} s ({job.Error})";
        }
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/exports/{job.Id}/file");
        request.Headers.Authorization = new("Bearer", token);
        using var file = await node.Http.SendAsync(request);
        var bytes = (await file.Content.ReadAsByteArrayAsync()).Length;
        return string.Create(CultureInfo.InvariantCulture,
            $"{job.RowsDone:N0} rows, done {(finished - queued).TotalSeconds:F1} s after it was queued; the file downloaded: {(int)file.StatusCode}, {bytes / 1048576.0:F1} MB");
    }
}
