using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using OneForm.Accounts;
using OneForm.Admission;
using OneForm.Catalog;
using OneForm.Collection;
using OneForm.Data;
using OneForm.Organization;

namespace OneForm.Bench;

/// <summary>
/// The deadline surge: every village and community of the demo saves a form of many fields through the API and then
/// submits it, arrivals spread evenly over a window (the last minute before a deadline), with a bounded number of
/// requests in flight; on SQLite and, when ONEFORM_BENCH_POSTGRES names a server, PostgreSQL. The form is proposed by a
/// department and admitted by the gatekeeper through the API, as any new form is; each village has its own cadre.
/// </summary>
internal static class SurgeBench
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    /// <summary>surge [window seconds, 55] [requests in flight at most, 40] [fields, 60]</summary>
    public static async Task RunAsync(string[] args)
    {
        var window = Arg(args, 0, 55.0);
        var inFlight = (int)Arg(args, 1, 40);
        var fields = (int)Arg(args, 2, 60);
        var profile = Environment.GetEnvironmentVariable("ONEFORM_BENCH_PROFILE") == "1";
        var work = Directory.CreateTempSubdirectory("oneform-surge-bench-").FullName;
        var lines = new List<string>();
        try
        {
            await foreach (var database in BenchDatabase.TargetsAsync("surge", work))
            {
                await using (database)
                {
                    var files = Path.Combine(work, $"files-{database.Provider}");
                    await using var node = await BenchNode.StartAsync($"surge-{database.Provider}", database.Provider, database.ConnectionString, files, demo: true, work,
                        profile);
                    await using var db = database.Context();
                    var cadres = await CadresAsync(node.Http, db);
                    var form = await AdmitFormAsync(node.Http, db, "汛期防汛物资储备情况月报", fields, ReportingCycle.Monthly, FormCategory.SafetyGovernance, cadres);
                    Console.Error.WriteLine($"{database.Provider}: {cadres.Count} cadres signed in, form {form.Code} of {form.Elements.Count} fields open for {form.Tasks.Count} units");
                    var villages = cadres.Where(c => form.Tasks.ContainsKey(c.UnitId)).Select(c => new Village(c, form.Tasks[c.UnitId], node)).ToList();
                    node.Profile?.Start();
                    var run = await RunSurgeAsync(villages, form, window, inFlight, failover: null, midway: null);
                    node.Profile?.Stop();
                    var first = lines.Count;
                    lines.Add(run.Describe($"{database.Provider}: surge of {villages.Count} villages x {form.Elements.Count} fields", window, inFlight));
                    lines.Add($"{database.Provider}: app log lines starting fail: {node.FailLines} ({node.LogFile})");
                    if (node.Profile is { } statements)
                    {
                        lines.AddRange(Describe(statements, run.Requests));
                    }
                    Console.Error.WriteLine(string.Join(Environment.NewLine, lines.Skip(first)));
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

    public static double Arg(string[] args, int index, double fallback) =>
        args.Length > index ? double.Parse(args[index], CultureInfo.InvariantCulture) : fallback;

    public static IEnumerable<string> Describe(BenchNode.StatementProfile statements, int requests)
    {
        var (count, ms) = statements.Total();
        yield return string.Create(CultureInfo.InvariantCulture,
            $"  profile: {count:N0} SQL commands, {(double)count / Math.Max(1, requests):F1} per request, {ms / 1000:F1} s in all (as the app's EF Core log times them); the largest:");
        foreach (var (statement, n, total) in statements.Top(8))
        {
            yield return string.Create(CultureInfo.InvariantCulture, $"  {total / 1000,7:F1} s {n,7:N0}x {total / n,7:F1} ms  {statement}");
        }
    }

    public sealed record Cadre(string Unit, int UnitId, string Token);

    public sealed record Village(Cadre Cadre, int Task, BenchNode Node);

    /// <param name="Tasks">The form's task per unit id.</param>
    public sealed record AdmittedForm(string Code, int FormId, string Period, IReadOnlyList<string> Elements, IReadOnlyDictionary<int, int> Tasks);

    /// <summary>
    /// A cadre for every village and community (created in the database with one password hash computed once, as an
    /// administrator's import of accounts would), each signed in through the API: a bearer token per village.
    /// </summary>
    public static async Task<List<Cadre>> CadresAsync(HttpClient http, OneFormDbContext db)
    {
        const string password = "Surge-2026-bench";
        var units = await db.OrgUnits.AsNoTracking().Where(u => u.Level == OrgUnitLevel.Village).OrderBy(u => u.Code).Select(u => new { u.Id, u.Code }).ToListAsync();
        var existing = (await db.Users.Where(u => u.UserName!.StartsWith("surge.")).Select(u => u.UserName!).ToListAsync()).ToHashSet();
        var hash = new PasswordHasher<OneFormUser>().HashPassword(new OneFormUser(), password);
        foreach (var unit in units.Where(u => !existing.Contains($"surge.{u.Code}")))
        {
            var name = $"surge.{unit.Code}";
            db.Users.Add(new OneFormUser
            {
                UserName = name,
                NormalizedUserName = name.ToUpperInvariant(),
                DisplayName = "压测填报员",
                Role = Role.Cadre,
                OrgUnitId = unit.Id,
                PasswordHash = hash,
                SecurityStamp = Guid.NewGuid().ToString("N").ToUpperInvariant(),
                ConcurrencyStamp = Guid.NewGuid().ToString(),
                CreatedAt = DateTimeOffset.UtcNow,
            });
        }
        await db.SaveChangesAsync();
        db.ChangeTracker.Clear();
        var cadres = new ConcurrentBag<Cadre>();
        await Parallel.ForEachAsync(units, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (unit, _) =>
            cadres.Add(new Cadre(unit.Code, unit.Id, await LoginAsync(http, $"surge.{unit.Code}", password))));
        return [.. cadres.OrderBy(c => c.Unit, StringComparer.Ordinal)];
    }

    public static async Task<string> LoginAsync(HttpClient http, string userName, string password)
    {
        for (var attempt = 1; ; attempt++)
        {
            using var response = await http.PostAsJsonAsync("/api/v1/auth/login", new { userName, password });
            if (response.IsSuccessStatusCode)
            {
                return (await response.Content.ReadFromJsonAsync<Token>())!.AccessToken;
            }
            if (attempt == 3)
            {
                throw new InvalidOperationException($"{userName} could not sign in: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            }
        }
    }

    private sealed record Token(string AccessToken);

    /// <summary>
    /// A form of <paramref name="fields"/> whole-number fields for every village and community: proposed by the civil
    /// affairs bureau (every suggested match of the dictionary declined, so each field is new), submitted, admitted by
    /// the gatekeeper; its tasks open for the current period.
    /// </summary>
    public static async Task<AdmittedForm> AdmitFormAsync(HttpClient http, OneFormDbContext db, string title, int fields, ReportingCycle cycle,
        FormCategory category, IReadOnlyList<Cadre> cadres)
    {
        var department = await LoginAsync(http, "dept.minzheng", Demo.DemoSeed.DefaultPassword);
        var gatekeeper = await LoginAsync(http, "gatekeeper", Demo.DemoSeed.DefaultPassword);
        var body = new AdmissionBody(title, "压力测试：截止日前全部村（社区）集中填报", category, cycle, [OrgUnitLevel.Village], 15, "压测（民政局）",
            [.. Enumerable.Range(1, fields).Select(i => new ProposedFieldBody($"{title}第{i}项数量", Unit: "件"))]);
        var detail = await SendJsonAsync<AdmissionDetail>(http, HttpMethod.Post, "/api/v1/admission-requests", department, body, HttpStatusCode.Created);
        foreach (var field in detail.Analysis.Fields.Where(f => f.Status != FieldStatus.New || f.EffectiveCode is not null))
        {
            detail = await SendJsonAsync<AdmissionDetail>(http, HttpMethod.Post, $"/api/v1/admission-requests/{detail.Id}/accept", department,
                new AcceptBody(field.Id, AcceptBody.Decline), HttpStatusCode.OK);
        }
        await SendJsonAsync<AdmissionDetail>(http, HttpMethod.Post, $"/api/v1/admission-requests/{detail.Id}/submit", department, null, HttpStatusCode.OK);
        var admitted = await SendJsonAsync<AdmissionDetail>(http, HttpMethod.Post, $"/api/v1/admission-requests/{detail.Id}/admit", gatekeeper,
            new DecisionBody(null), HttpStatusCode.OK);
        var form = await db.Forms.AsNoTracking().Where(f => f.Code == admitted.FormCode).OrderByDescending(f => f.Version).Select(f => new { f.Id, f.Code }).FirstAsync();
        var tasks = await db.FillingTasks.AsNoTracking().Where(t => t.FormId == form.Id).Select(t => new { t.Id, t.OrgUnitId, t.PeriodCode }).ToListAsync();
        // The fields as a cadre reads them through the API.
        var first = cadres.First(c => tasks.Any(t => t.OrgUnitId == c.UnitId));
        var task = await SendJsonAsync<TaskDetail>(http, HttpMethod.Get, $"/api/v1/tasks/{tasks.First(t => t.OrgUnitId == first.UnitId).Id}", first.Token, null, HttpStatusCode.OK);
        return new AdmittedForm(form.Code, form.Id, tasks[0].PeriodCode, [.. task.Values.Select(v => v.Element)], tasks.ToDictionary(t => t.OrgUnitId, t => t.Id));
    }

    public static async Task<T> SendJsonAsync<T>(HttpClient http, HttpMethod method, string url, string token, object? body, HttpStatusCode expected)
    {
        using var request = new HttpRequestMessage(method, url);
        request.Headers.Authorization = new("Bearer", token);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, body.GetType(), options: Json);
        }
        using var response = await http.SendAsync(request);
        if (response.StatusCode != expected)
        {
            throw new InvalidOperationException($"{method} {url} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
        return (await response.Content.ReadFromJsonAsync<T>(Json))!;
    }

    /// <summary>One timed request: its answer's status (null when none came: refused connection, reset, timeout) and time.</summary>
    public sealed record Sample(string Kind, string Node, int? Status, double Milliseconds, double StartedAt, string? Problem);

    public static async Task<Sample> TimedAsync(string kind, BenchNode node, HttpMethod method, string url, string token, object? body, Stopwatch run)
    {
        using var request = new HttpRequestMessage(method, url);
        request.Headers.Authorization = new("Bearer", token);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, body.GetType(), options: Json);
        }
        var started = run.Elapsed.TotalSeconds;
        var clock = Stopwatch.StartNew();
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            using var response = await node.Http.SendAsync(request, timeout.Token);
            var text = await response.Content.ReadAsStringAsync(timeout.Token);
            return new Sample(kind, node.Name, (int)response.StatusCode, clock.Elapsed.TotalMilliseconds, started,
                response.IsSuccessStatusCode ? null : text.Length > 300 ? text[..300] : text);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or IOException)
        {
            return new Sample(kind, node.Name, null, clock.Elapsed.TotalMilliseconds, started, e.GetType().Name + ": " + e.Message);
        }
    }

    /// <summary>Values for a form's fields, different for each unit so a lost or misplaced write shows.</summary>
    public static List<ValueInput> ValuesFor(AdmittedForm form, int unitId, IReadOnlyDictionary<string, TaskValue>? current = null) =>
        [.. form.Elements.Select((code, i) => new ValueInput(code, ((unitId * 31 + i * 7) % 1000).ToString(CultureInfo.InvariantCulture),
            current?.GetValueOrDefault(code)?.Value, current?.GetValueOrDefault(code)?.Version ?? 0))];

    public sealed record SurgeRun(IReadOnlyList<Sample> Samples, TimeSpan Elapsed, int Villages, int Done, LoadAverage Load,
        IReadOnlyList<(Village Village, string Kind, List<ValueInput>? Values)> Acknowledged, double AppCpu, double BenchCpu)
    {
        public int Requests => Samples.Count;

        public string Describe(string what, double window, int inFlight)
        {
            var saves = Samples.Where(s => s.Kind == "save" && s.Status == 200).Select(s => s.Milliseconds).ToList();
            var submits = Samples.Where(s => s.Kind == "submit" && s.Status == 200).Select(s => s.Milliseconds).ToList();
            var errors = Samples.Where(s => s.Status != 200).GroupBy(s => s.Status?.ToString(CultureInfo.InvariantCulture) ?? "no answer")
                .Select(g => $"{g.Count()} x {g.Key} (first: {g.First().Problem})").ToList();
            var fields = Acknowledged.FirstOrDefault(a => a.Values is not null).Values?.Count ?? 0;
            return string.Create(CultureInfo.InvariantCulture,
                $"{what} (save, then submit), arrivals spread over {window:F0} s, at most {inFlight} in flight: {Done}/{Villages} villages saved and submitted in {Elapsed.TotalSeconds:F1} s; " +
                $"{Samples.Count / Elapsed.TotalSeconds:F1} requests/s, {saves.Count * fields / Elapsed.TotalSeconds:F0} values/s; " +
                $"save p50/p95/p99/max {Percentiles(saves)} ms; submit p50/p95/p99/max {Percentiles(submits)} ms; " +
                $"errors: {(errors.Count == 0 ? "0" : string.Join("; ", errors))}; load average (1 min) {Load}; " +
                $"CPU: the app {AppCpu:F1} s ({AppCpu * 1000 / Math.Max(1, Samples.Count):F1} ms a request), the bench's client {BenchCpu:F1} s");
        }
    }

    public static string Percentiles(List<double> times) => times.Count == 0 ? "-"
        : string.Create(CultureInfo.InvariantCulture, $"{Percentile(times, 50):F0}/{Percentile(times, 95):F0}/{Percentile(times, 99):F0}/{times.Max():F0}");

    public static double Percentile(List<double> times, double p)
    {
        var sorted = times.Order().ToList();
        return sorted[Math.Clamp((int)Math.Ceiling(sorted.Count * p / 100) - 1, 0, sorted.Count - 1)];
    }

    /// <summary>
    /// Starts the villages at even intervals over the window (at most <paramref name="inFlight"/> at once); each saves its
    /// values, then submits. <paramref name="failover"/>, when given, is the node a village turns to after its node did not
    /// answer; <paramref name="midway"/> runs once, when half the villages have started.
    /// </summary>
    public static async Task<SurgeRun> RunSurgeAsync(List<Village> villages, AdmittedForm form, double window, int inFlight, BenchNode? failover,
        Func<Stopwatch, Task>? midway)
    {
        var samples = new ConcurrentBag<Sample>();
        var acknowledged = new ConcurrentBag<(Village, string, List<ValueInput>?)>();
        var done = 0;
        using var slots = new SemaphoreSlim(inFlight);
        using var load = LoadAverage.Sample();
        var nodes = villages.Select(v => v.Node).Distinct().ToList();
        var cpuBefore = nodes.ToDictionary(n => n, n => n.CpuSeconds());
        var benchCpu = Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;
        var run = Stopwatch.StartNew();
        var started = new List<Task>();
        Task? middle = null;
        for (var i = 0; i < villages.Count; i++)
        {
            var due = TimeSpan.FromSeconds(window * i / villages.Count);
            if (due > run.Elapsed)
            {
                await Task.Delay(due - run.Elapsed);
            }
            if (i == villages.Count / 2 && midway is not null)
            {
                middle = midway(run);
            }
            await slots.WaitAsync();
            var village = villages[i];
            started.Add(Task.Run(async () =>
            {
                try
                {
                    if (await VillageAsync(village, form, failover, samples, acknowledged, run))
                    {
                        Interlocked.Increment(ref done);
                    }
                }
                finally
                {
                    slots.Release();
                }
            }));
        }
        await Task.WhenAll(started);
        var elapsed = run.Elapsed;
        // A killed node's CPU is lost with it: the figure then counts the surviving node only.
        var cpu = nodes.Where(n => !n.Killed).Sum(n => n.CpuSeconds() - cpuBefore[n]);
        benchCpu = Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds - benchCpu;
        if (middle is not null)
        {
            await middle;
        }
        return new SurgeRun([.. samples.OrderBy(s => s.StartedAt)], elapsed, villages.Count, done, load.Stop(), [.. acknowledged], cpu, benchCpu);
    }

    private static async Task<bool> VillageAsync(Village village, AdmittedForm form, BenchNode? failover, ConcurrentBag<Sample> samples,
        ConcurrentBag<(Village, string, List<ValueInput>?)> acknowledged, Stopwatch run)
    {
        var url = $"/api/v1/tasks/{village.Task}/values";
        var values = ValuesFor(form, village.Cadre.UnitId);
        var node = village.Node;
        var save = await TimedAsync("save", node, HttpMethod.Put, url, village.Cadre.Token, new ValuesRequest(values), run);
        samples.Add(save);
        if (save.Status is null && failover is not null)
        {
            // No answer: the node may have died before or after committing. The cadre's phone tries again on the other node,
            // starting from what that node shows (the versions tell whether the first save landed).
            node = failover;
            var task = await SendJsonAsync<TaskDetail>(node.Http, HttpMethod.Get, $"/api/v1/tasks/{village.Task}", village.Cadre.Token, null, HttpStatusCode.OK);
            if (task.Task.Status == nameof(TaskState.Submitted))
            {
                return true;
            }
            values = ValuesFor(form, village.Cadre.UnitId, task.Values.ToDictionary(v => v.Element));
            save = await TimedAsync("save", node, HttpMethod.Put, url, village.Cadre.Token, new ValuesRequest(values), run);
            samples.Add(save);
        }
        if (save.Status != 200)
        {
            return false;
        }
        acknowledged.Add((village, "save", values));
        var submit = await TimedAsync("submit", node, HttpMethod.Put, url, village.Cadre.Token, new ValuesRequest([], Submit: true), run);
        samples.Add(submit);
        if (submit.Status is null && failover is not null && node != failover)
        {
            node = failover;
            var task = await SendJsonAsync<TaskDetail>(node.Http, HttpMethod.Get, $"/api/v1/tasks/{village.Task}", village.Cadre.Token, null, HttpStatusCode.OK);
            if (task.Task.Status == nameof(TaskState.Submitted))
            {
                return true;
            }
            submit = await TimedAsync("submit", node, HttpMethod.Put, url, village.Cadre.Token, new ValuesRequest([], Submit: true), run);
            samples.Add(submit);
        }
        if (submit.Status != 200)
        {
            return false;
        }
        acknowledged.Add((village, "submit", null));
        return true;
    }
}

/// <summary>The machine's one-minute load average, read from /proc every second while a run lasts.</summary>
internal sealed class LoadAverage : IDisposable
{
    private readonly List<double> samples = [];
    private readonly CancellationTokenSource stop = new();
    private Task? reading;

    public static LoadAverage Sample()
    {
        var load = new LoadAverage();
        load.reading = load.ReadAsync();
        return load;
    }

    private async Task ReadAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            var text = await File.ReadAllTextAsync("/proc/loadavg");
            lock (samples)
            {
                samples.Add(double.Parse(text.Split(' ')[0], CultureInfo.InvariantCulture));
            }
            try
            {
                await Task.Delay(1000, stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    public LoadAverage Stop()
    {
        stop.Cancel();
        reading?.Wait();
        return this;
    }

    public override string ToString()
    {
        lock (samples)
        {
            return samples.Count == 0 ? "-" : string.Create(CultureInfo.InvariantCulture, $"{samples[0]:F1} at the start, {samples.Max():F1} at most, {samples[^1]:F1} at the end ({samples.Count} samples)");
        }
    }

    public void Dispose()
    {
        stop.Cancel();
        stop.Dispose();
    }
}

/// <summary>A throwaway database for one run: a SQLite file in the work folder, or a new database on the PostgreSQL server, dropped afterwards.</summary>
internal sealed class BenchDatabase : IAsyncDisposable
{
    private readonly string? server;

    public DatabaseProvider Provider { get; }
    public string ConnectionString { get; }

    private BenchDatabase(DatabaseProvider provider, string connectionString, string? server)
    {
        Provider = provider;
        ConnectionString = connectionString;
        this.server = server;
    }

    /// <summary>SQLite (unless ONEFORM_BENCH_ONLY_POSTGRES is set) and PostgreSQL when ONEFORM_BENCH_POSTGRES names a server.</summary>
    public static async IAsyncEnumerable<BenchDatabase> TargetsAsync(string name, string work, bool sqlite = true)
    {
        if (sqlite && Environment.GetEnvironmentVariable("ONEFORM_BENCH_ONLY_POSTGRES") is null)
        {
            yield return new BenchDatabase(DatabaseProvider.Sqlite, $"Data Source={Path.Combine(work, $"{name}.db")}", null);
        }
        if (Environment.GetEnvironmentVariable("ONEFORM_BENCH_POSTGRES") is { Length: > 0 } postgres)
        {
            yield return await PostgresAsync(name, postgres);
        }
    }

    public static async Task<BenchDatabase> PostgresAsync(string name, string server)
    {
        var database = $"oneform_{name}_bench_{Guid.NewGuid().ToString("N")[..8]}";
        await using (var connection = new Npgsql.NpgsqlConnection(server))
        {
            await connection.OpenAsync();
            await using var create = new Npgsql.NpgsqlCommand($"CREATE DATABASE {database}", connection);
            await create.ExecuteNonQueryAsync();
        }
        return new BenchDatabase(DatabaseProvider.Postgres, new Npgsql.NpgsqlConnectionStringBuilder(server) { Database = database }.ConnectionString, server);
    }

    public OneFormDbContext Context() => Provider == DatabaseProvider.Postgres
        ? new PostgresOneFormDbContext(new DbContextOptionsBuilder<PostgresOneFormDbContext>().UseNpgsql(ConnectionString, o => o.CommandTimeout(900)).Options, AuditActor.ForCommandLine("bench"))
        : new SqliteOneFormDbContext(new DbContextOptionsBuilder<SqliteOneFormDbContext>().UseSqlite(ConnectionString).Options, AuditActor.ForCommandLine("bench"));

    public async ValueTask DisposeAsync()
    {
        if (server is null || Environment.GetEnvironmentVariable("ONEFORM_BENCH_KEEP") == "1")
        {
            return;
        }
        Npgsql.NpgsqlConnection.ClearAllPools();
        await using var connection = new Npgsql.NpgsqlConnection(server);
        await connection.OpenAsync();
        var name = new Npgsql.NpgsqlConnectionStringBuilder(ConnectionString).Database;
        await using var drop = new Npgsql.NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }
}
