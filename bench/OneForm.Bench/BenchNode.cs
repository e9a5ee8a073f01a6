using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace OneForm.Bench;

/// <summary>
/// One OneForm app node as an operator runs it: `serve` (with `--demo` for the first node) as its own process on a free
/// loopback port. Its console goes to a log file; with a profile, every EF Core command it logs is summed by statement.
/// </summary>
internal sealed partial class BenchNode : IAsyncDisposable
{
    private readonly Process process;
    private readonly StreamWriter log;
    private readonly Lock gate = new();
    private readonly StatementProfile? profile;
    private readonly TaskCompletionSource exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int failLines;

    // Nodes still running: killed when the bench itself is stopped (Ctrl+C, SIGTERM), so no app outlives it.
    private static readonly HashSet<Process> Running = [];

    private static readonly PosixSignalRegistration[] Signals =
    [
        PosixSignalRegistration.Create(PosixSignal.SIGTERM, _ => KillAll()),
        PosixSignalRegistration.Create(PosixSignal.SIGINT, _ => KillAll()),
        PosixSignalRegistration.Create(PosixSignal.SIGHUP, _ => KillAll()),
    ];

    static BenchNode() => AppDomain.CurrentDomain.ProcessExit += (_, _) => KillAll();

    private static void KillAll()
    {
        lock (Running)
        {
            foreach (var process in Running.Where(p => !p.HasExited))
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

    public string Name { get; }
    public HttpClient Http { get; }
    public string LogFile { get; }
    public bool Killed { get; private set; }
    public int FailLines => Volatile.Read(ref failLines);
    public StatementProfile? Profile => profile;
    public int ProcessId => process.Id;

    private BenchNode(string name, Process process, HttpClient http, string logFile, StatementProfile? profile)
    {
        Name = name;
        this.process = process;
        Http = http;
        LogFile = logFile;
        log = new StreamWriter(logFile) { AutoFlush = true };
        this.profile = profile;
    }

    /// <summary>Starts a node and waits (at most fifteen minutes) until /health answers.</summary>
    public static async Task<BenchNode> StartAsync(string name, Data.DatabaseProvider provider, string connectionString, string files, bool demo, string work,
        bool profile = false, IDictionary<string, string>? settings = null)
    {
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "OneForm.dll"));
        start.ArgumentList.Add("serve");
        if (demo)
        {
            start.ArgumentList.Add("--demo");
        }
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{port}");
        start.Environment["LANG"] = "en_US.UTF-8";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["Database__Provider"] = provider.ToString();
        start.Environment["ConnectionStrings__OneForm"] = connectionString;
        // Every village's cadre signs in from 127.0.0.1 before the run; the limits protect against other things.
        start.Environment["SignIn__AttemptsPerMinute"] = "1000000";
        start.Environment["Api__RequestsPerMinutePerToken"] = "1000000";
        // Nodes share the file store (photos, finished exports), as several nodes on one local or network disk do.
        start.Environment["Storage__Directory"] = files;
        if (profile)
        {
            start.Environment["Logging__LogLevel__Microsoft.EntityFrameworkCore.Database.Command"] = "Information";
        }
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromMinutes(5) };
        var node = new BenchNode(name, process, http, Path.Combine(work, $"{name}.log"), profile ? new StatementProfile() : null);
        process.OutputDataReceived += (_, e) => node.Line(e.Data);
        process.ErrorDataReceived += (_, e) => node.Line(e.Data);
        process.Exited += (_, _) => node.exited.TrySetResult();
        process.Start();
        lock (Running)
        {
            Running.Add(process);
        }
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await node.WaitUntilUpAsync();
        }
        catch
        {
            await node.DisposeAsync();
            throw;
        }
        return node;
    }

    private void Line(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (gate)
        {
            log.WriteLine(line);
            if (line.StartsWith("fail:", StringComparison.Ordinal))
            {
                failLines++;
            }
            profile?.Feed(line);
        }
    }

    private async Task WaitUntilUpAsync()
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromMinutes(15))
        {
            if (exited.Task.IsCompleted)
            {
                throw new InvalidOperationException($"{Name} stopped while starting; see {LogFile}");
            }
            try
            {
                if ((await Http.GetAsync("/health")).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            await Task.Delay(250);
        }
        throw new TimeoutException($"{Name} did not start within fifteen minutes");
    }

    /// <summary>SIGKILL: the node gets no chance to finish a request, flush or release anything.</summary>
    public async Task KillAsync()
    {
        Killed = true;
        process.Kill(entireProcessTree: false);
        await process.WaitForExitAsync();
    }

    /// <summary>The node's resident memory now, from /proc (0 once it has stopped).</summary>
    public long ResidentBytes() => process.HasExited ? 0 : RegistryBench.ResidentBytes(process.Id);

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await process.WaitForExitAsync(wait.Token);
        }
        catch (Exception e) when (e is InvalidOperationException or OperationCanceledException)
        {
            // Never started, or already gone.
        }
        lock (Running)
        {
            Running.Remove(process);
        }
        Http.Dispose();
        process.Dispose();
        lock (gate)
        {
            log.Dispose();
        }
    }

    /// <summary>CPU seconds the node has used so far (user and system, from /proc; 0 once it has stopped).</summary>
    public double CpuSeconds()
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{process.Id}/stat");
            // Fields after the command name in parentheses: utime and stime are the 14th and 15th of the line, in clock ticks (100 a second).
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
        }
        catch (Exception e) when (e is IOException or InvalidOperationException)
        {
            return 0;
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>
    /// Sums the EF Core commands a node logs (`Executed DbCommand (N ms)` and the SQL after it) by statement, parameters
    /// and numbered placeholders folded, so a run can say which statement its time goes to.
    /// </summary>
    internal sealed partial class StatementProfile
    {
        private readonly Dictionary<string, (int Count, double Milliseconds)> statements = [];
        private double? pending;
        private readonly List<string> sql = [];
        private bool on;

        /// <summary>Counts only between <see cref="Start"/> and <see cref="Stop"/> (the timed part of a run).</summary>
        public void Start()
        {
            lock (statements)
            {
                statements.Clear();
                on = true;
            }
        }

        public void Stop()
        {
            lock (statements)
            {
                Flush();
                on = false;
            }
        }

        public void Feed(string line)
        {
            lock (statements)
            {
                Read(line);
            }
        }

        private void Read(string line)
        {
            if (line.StartsWith("      ", StringComparison.Ordinal) && pending is not null)
            {
                var text = line.Trim();
                if (text.StartsWith("Executed DbCommand", StringComparison.Ordinal))
                {
                    return;
                }
                if (sql.Count < 6)
                {
                    sql.Add(text);
                }
                return;
            }
            Flush();
            var executed = Executed().Match(line);
            if (executed.Success)
            {
                pending = double.Parse(executed.Groups[1].Value.Replace(",", "", StringComparison.Ordinal), CultureInfo.InvariantCulture);
            }
        }

        private void Flush()
        {
            if (pending is { } ms && on && sql.Count > 0)
            {
                var key = Placeholders().Replace(string.Join(' ', sql), "@p");
                key = key.Length > 160 ? key[..160] : key;
                var (count, total) = statements.GetValueOrDefault(key);
                statements[key] = (count + 1, total + ms);
            }
            pending = null;
            sql.Clear();
        }

        public List<(string Statement, int Count, double Milliseconds)> Top(int n)
        {
            lock (statements)
            {
                return [.. statements.OrderByDescending(s => s.Value.Milliseconds).Take(n).Select(s => (s.Key, s.Value.Count, s.Value.Milliseconds))];
            }
        }

        public (int Count, double Milliseconds) Total()
        {
            lock (statements)
            {
                return (statements.Values.Sum(s => s.Count), statements.Values.Sum(s => s.Milliseconds));
            }
        }

        [GeneratedRegex(@"Executed DbCommand \(([\d,]+)ms\)")]
        private static partial Regex Executed();

        [GeneratedRegex(@"@(p|__\w+?_)\d+")]
        private static partial Regex Placeholders();
    }
}
