using System.Diagnostics;
using System.Globalization;
using System.Net;
using Microsoft.EntityFrameworkCore;
using OneForm.Catalog;
using OneForm.Collection;
using OneForm.Sharing;

namespace OneForm.Bench;

/// <summary>
/// The surge on two app nodes (two processes on one PostgreSQL database, one shared file store), villages split between
/// them, where node A is killed with SIGKILL when half the villages have started; a village whose request got no answer
/// tries again on node B, as a phone behind a load balancer would. A roster export is queued on node A just before.
/// Afterwards the database must hold every write that was answered 200, and node B must have finished the export.
/// </summary>
internal static class KillNodeBench
{
    /// <summary>killnode [window seconds, 55] [requests in flight at most, 40] [residents imported first, 200,000]</summary>
    public static async Task RunAsync(string[] args)
    {
        var window = SurgeBench.Arg(args, 0, 55);
        var inFlight = (int)SurgeBench.Arg(args, 1, 40);
        var residents = (int)SurgeBench.Arg(args, 2, 200_000);
        if (Environment.GetEnvironmentVariable("ONEFORM_BENCH_POSTGRES") is not { Length: > 0 } server)
        {
            throw new InvalidOperationException("killnode needs PostgreSQL: set ONEFORM_BENCH_POSTGRES");
        }
        var work = Directory.CreateTempSubdirectory("oneform-killnode-bench-").FullName;
        var lines = new List<string>();
        try
        {
            await using var database = await BenchDatabase.PostgresAsync("killnode", server);
            var files = Path.Combine(work, "files");
            await using var a = await BenchNode.StartAsync("node-a", database.Provider, database.ConnectionString, files, demo: true, work);
            if (residents > 0)
            {
                // A roster large enough that its export is still running when node A dies.
                var file = await RegistryBench.RegistryFileAsync(residents, work);
                await RegistryBench.TimeAsync("dotnet", [Path.Combine(AppContext.BaseDirectory, "OneForm.dll"), "import", "residents", file],
                    new Dictionary<string, string> { ["Database__Provider"] = database.Provider.ToString(), ["ConnectionStrings__OneForm"] = database.ConnectionString });
            }
            await using var b = await BenchNode.StartAsync("node-b", database.Provider, database.ConnectionString, files, demo: false, work);
            await using var db = database.Context();
            var cadres = await SurgeBench.CadresAsync(a.Http, db);
            var form = await SurgeBench.AdmitFormAsync(a.Http, db, "汛期防汛物资储备情况月报", 60, ReportingCycle.Monthly, FormCategory.SafetyGovernance, cadres);
            var gatekeeper = await SurgeBench.LoginAsync(a.Http, "gatekeeper", Demo.DemoSeed.DefaultPassword);
            // A token from one node is good on the other (the keys are in the database).
            await SurgeBench.SendJsonAsync<System.Text.Json.JsonElement>(b.Http, HttpMethod.Get, "/api/v1/me", cadres[0].Token, null, HttpStatusCode.OK);
            var root = await db.OrgUnits.OrderBy(u => u.Depth).Select(u => u.Code).FirstAsync();
            var villages = cadres.Where(c => form.Tasks.ContainsKey(c.UnitId)).Select((c, i) => new SurgeBench.Village(c, form.Tasks[c.UnitId], i % 2 == 0 ? a : b))
                .ToList();
            Console.Error.WriteLine($"two nodes up; {villages.Count} villages; form {form.Code}");

            ExportView? export = null;
            string atKill = "";
            var killedAt = TimeSpan.Zero;
            async Task KillA(Stopwatch run)
            {
                export = await SurgeBench.SendJsonAsync<ExportView>(a.Http, HttpMethod.Post, "/api/v1/exports/roster", gatekeeper,
                    new RosterExportRequest(root, Format: ExportFormat.Xlsx), HttpStatusCode.Accepted);
                // Node A takes it up at once (it is woken on its own node); wait until it has written its first chunk.
                await using var look = database.Context();
                var clock = Stopwatch.StartNew();
                ExportJob? job = null;
                while (clock.Elapsed < TimeSpan.FromSeconds(20))
                {
                    job = await look.ExportJobs.AsNoTracking().SingleAsync(j => j.Id == export.Id);
                    if (job.State != ExportState.Queued && job.RowsDone > 0 || job.State is ExportState.Done or ExportState.Failed)
                    {
                        break;
                    }
                    await Task.Delay(100);
                }
                await a.KillAsync();
                killedAt = run.Elapsed;
                job = await look.ExportJobs.AsNoTracking().SingleAsync(j => j.Id == export.Id);
                atKill = $"{job.State}, {job.RowsDone:N0} of {job.RowsTotal:N0} rows";
                Console.Error.WriteLine($"node A killed at {killedAt.TotalSeconds:F1} s; the export then: {atKill}");
            }

            var run = await SurgeBench.RunSurgeAsync(villages, form, window, inFlight, failover: b, midway: KillA);
            lines.Add(run.Describe($"PostgreSQL, two nodes, node A killed at {killedAt.TotalSeconds:F1} s: surge of {villages.Count} villages x {form.Elements.Count} fields",
                window, inFlight));
            var unanswered = run.Samples.Count(s => s.Status is null);
            lines.Add($"  requests without an answer (node A gone): {unanswered}; each tried again on node B");

            // Every write answered 200 must be in the database: the values as sent, the submissions as submitted.
            var elements = await db.DataElements.AsNoTracking().Where(e => form.Elements.Contains(e.Code)).ToDictionaryAsync(e => e.Id, e => e.Code);
            var stored = (await db.DataValues.AsNoTracking().Where(v => elements.Keys.Contains(v.DataElementId) && v.PeriodCode == form.Period)
                    .Select(v => new { v.OrgUnitId, v.DataElementId, v.Value }).ToListAsync())
                .ToDictionary(v => (v.OrgUnitId, elements[v.DataElementId]), v => v.Value);
            var submitted = (await db.FillingTasks.AsNoTracking().Where(t => t.FormId == form.FormId && t.Status == TaskState.Submitted).Select(t => t.Id).ToListAsync())
                .ToHashSet();
            var saves = run.Acknowledged.Where(w => w.Kind == "save").ToList();
            var submits = run.Acknowledged.Where(w => w.Kind == "submit").ToList();
            var lostValues = saves.Sum(w => w.Values!.Count(v => stored.GetValueOrDefault((w.Village.Cadre.UnitId, v.ElementCode)) != v.Text));
            var lostSubmits = submits.Count(w => !submitted.Contains(w.Village.Task));
            lines.Add($"  acknowledged: {saves.Count} saves ({saves.Sum(w => w.Values!.Count):N0} values) and {submits.Count} submissions; " +
                $"missing from the database: {lostValues} values, {lostSubmits} submissions; tasks submitted in the database: {submitted.Count}");

            // Node B finishes the export node A was writing (a running export whose heartbeat stops is taken up after two minutes).
            var clock = Stopwatch.StartNew();
            var job = export!;
            while (job.State is not (nameof(ExportState.Done) or nameof(ExportState.Failed)) && clock.Elapsed < TimeSpan.FromMinutes(6))
            {
                await Task.Delay(1000);
                job = await SurgeBench.SendJsonAsync<ExportView>(b.Http, HttpMethod.Get, $"/api/v1/exports/{job.Id}", gatekeeper, null, HttpStatusCode.OK);
            }
            var download = "";
            if (job.State == nameof(ExportState.Done))
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/exports/{job.Id}/file");
                request.Headers.Authorization = new("Bearer", gatekeeper);
                using var response = await b.Http.SendAsync(request);
                var bytes = (await response.Content.ReadAsByteArrayAsync()).Length;
                download = string.Create(CultureInfo.InvariantCulture, $"; downloaded from node B: {(int)response.StatusCode}, {bytes / 1048576.0:F1} MB");
            }
            lines.Add(string.Create(CultureInfo.InvariantCulture,
                $"  roster export queued on node A: at the kill {atKill}; on node B: {job.State}, {job.RowsDone:N0} of {job.RowsTotal:N0} rows, " +
                $"{clock.Elapsed.TotalSeconds:F0} s after the surge ended{download}"));
            lines.Add($"  app log lines starting fail: node A {a.FailLines}, node B {b.FailLines}");
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
}
