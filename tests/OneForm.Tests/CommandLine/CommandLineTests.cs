using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using OneForm.Data;
using OneForm.Testing;

namespace OneForm.Tests.CommandLine;

/// <summary>The executable's verbs, run as a separate process the way an operator runs them.</summary>
public sealed partial class CommandLineTests : IDisposable
{
    private readonly string workDir = Directory.CreateTempSubdirectory("oneform-cli-").FullName;

    private sealed record Run(int ExitCode, string Output, string Error);

    private async Task<Run> RunAsync(IDictionary<string, string>? environment, params string[] args)
    {
        var start = OneFormProcess.StartInfo(environment, args);
        start.WorkingDirectory = workDir;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        return new Run(process.ExitCode, await output, await error);
    }

    private static void NoStackTrace(Run run) =>
        Assert.DoesNotMatch(@"\n\s+at [\w.]+", run.Output + run.Error);

    [Fact]
    public async Task Help_lists_the_verbs()
    {
        var run = await RunAsync(null, "help");

        Assert.Equal(0, run.ExitCode);
        foreach (var verb in new[] { "serve", "migrate", "import divisions", "seed demo", "backup FOLDER", "restore FOLDER" })
        {
            Assert.Contains(verb, run.Output);
        }
    }

    [Fact]
    public async Task An_unknown_verb_or_a_bad_argument_is_a_clear_message_and_a_nonzero_exit()
    {
        var unknown = await RunAsync(null, "frobnicate");
        var noFile = await RunAsync(null, "import", "divisions", "missing.csv");
        var noKind = await RunAsync(null, "import", "people");
        var extra = await RunAsync(null, "migrate", "now");
        var noFolder = await RunAsync(null, "backup");
        var missingFolder = await RunAsync(null, "restore", "no-such-backup");

        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("Unknown command 'frobnicate'", unknown.Error);
        Assert.Contains("missing.csv", noFile.Error);
        Assert.Contains("import divisions FILE.csv", noKind.Error);
        Assert.Contains("'migrate' takes no arguments", extra.Error);
        Assert.Contains("Use: backup FOLDER", noFolder.Error);
        Assert.Contains("The folder 'no-such-backup' does not exist", missingFolder.Error);
        Assert.All([unknown, noFile, noKind, extra, noFolder, missingFolder], r => Assert.Equal(2, r.ExitCode));
        Assert.All([unknown, noFile, noKind, extra, noFolder, missingFolder], NoStackTrace);
    }

    [Fact]
    public async Task An_unreachable_or_misconfigured_database_is_a_clear_message_and_a_nonzero_exit()
    {
        var unreachable = await RunAsync(new Dictionary<string, string>
        {
            ["Database__Provider"] = "Postgres",
            ["ConnectionStrings__OneForm"] = "Host=127.0.0.1;Port=1;Username=nobody;Password=secret-pw;Timeout=3",
        }, "migrate");
        var unknownProvider = await RunAsync(new Dictionary<string, string> { ["Database__Provider"] = "Oracle" }, "migrate");
        var noConnection = await RunAsync(new Dictionary<string, string> { ["Database__Provider"] = "Postgres" }, "serve");

        Assert.Equal(1, unreachable.ExitCode);
        Assert.Contains("Cannot prepare the Postgres database", unreachable.Error);
        Assert.DoesNotContain("secret-pw", unreachable.Error);
        Assert.Contains("Unknown database provider 'Oracle'", unknownProvider.Error);
        Assert.Contains("ConnectionStrings__OneForm", noConnection.Error);
        Assert.All([unreachable, unknownProvider, noConnection], r => Assert.NotEqual(0, r.ExitCode));
        Assert.All([unreachable, unknownProvider, noConnection], NoStackTrace);
    }

    [Fact]
    public async Task The_first_migrate_creates_an_administrator_whose_password_is_printed_once()
    {
        var database = Path.Combine(workDir, "first.db");
        var settings = new Dictionary<string, string> { ["ConnectionStrings__OneForm"] = $"Data Source={database}" };

        var first = await RunAsync(settings, "migrate");
        var second = await RunAsync(settings, "migrate");

        Assert.Equal(0, first.ExitCode);
        var password = AdminPassword().Match(first.Output);
        Assert.True(password.Success, first.Output);
        Assert.Equal(0, second.ExitCode);
        Assert.DoesNotMatch(AdminPassword(), second.Output);

        await using var host = await OneFormHost.StartOnAsync(await OpenSqliteAsync(database), demo: false);
        var signIn = await host.CreateClient().PostAsJsonAsync("/api/v1/auth/login", new { userName = "admin", password = password.Groups[1].Value });
        var demoPassword = await host.CreateClient().PostAsJsonAsync("/api/v1/auth/login", new { userName = "cadre.jinxiu", password = Demo.DemoSeed.DefaultPassword });
        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, demoPassword.StatusCode);
        Assert.Equal(1, await host.WithDbAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.CountAsync(db.Users)));
    }

    [Fact]
    public async Task Import_divisions_loads_the_good_rows_and_lists_the_rejected_ones()
    {
        var database = Path.Combine(workDir, "import.db");
        var settings = new Dictionary<string, string> { ["ConnectionStrings__OneForm"] = $"Data Source={database}" };
        var file = Path.Combine(workDir, "divisions.csv");
        await File.WriteAllTextAsync(file, "code,name,level,parent_code\n650000000000,新疆,province,\n652300000000,昌吉州,prefecture,650000000000\n65230100000,短,county,652300000000\n");

        var run = await RunAsync(settings, "import", "divisions", file);
        var again = await RunAsync(settings, "import", "divisions", Path.Combine(AppContext.BaseDirectory, "data/divisions/changji-6523.csv"));

        Assert.Equal(3, run.ExitCode);
        Assert.Contains("Added 2", run.Output);
        Assert.Contains("Line 4", run.Error);
        Assert.Equal(0, again.ExitCode);  // its root already sits under the province and stays there
        Assert.Contains("Added 1039, renamed 1, unchanged 0, rejected 0", again.Output);
        NoStackTrace(run);
    }

    [Fact]
    public async Task Import_residents_shows_progress_and_writes_the_rejected_rows_beside_the_file()
    {
        var database = Path.Combine(workDir, "registry.db");
        var settings = new Dictionary<string, string> { ["ConnectionStrings__OneForm"] = $"Data Source={database}" };
        await File.WriteAllTextAsync(Path.Combine(workDir, "tree.csv"), "code,name,level,parent_code\n652300000000,昌吉州,prefecture,\n652301000000,昌吉市,county,652300000000\n652301004000,建国路街道,township,652301000000\n652301004002,锦绣社区,village,652301004000\n");
        await RunAsync(settings, "import", "divisions", Path.Combine(workDir, "tree.csv"));
        var good = Registry.RegistryFiles.Number(new DateOnly(1970, 1, 1), OneForm.Registry.Sex.Male);
        var file = Path.Combine(workDir, "people.csv");
        await File.WriteAllTextAsync(file, string.Join("\n", Registry.RegistryFiles.Header,
            Registry.RegistryFiles.Line(good, "甲", "男", "1970-01-01", "H1", "652301004002"),
            Registry.RegistryFiles.Line("123", "乙", "男", "1970-01-01", "H1", "652301004002")) + "\n");

        var run = await RunAsync(settings, "import", "residents", file);

        Assert.Equal(3, run.ExitCode);
        Assert.Contains("100%", run.Output);
        Assert.Contains("inserted 1", run.Output);
        Assert.Contains("people.csv.rejected.csv", run.Error);
        var rejected = await File.ReadAllTextAsync(file + ".rejected.csv");
        Assert.Contains("Line 3", rejected);
        NoStackTrace(run);
    }

    private static Task<TestDatabase> OpenSqliteAsync(string file) => TestDatabase.OpenSqliteAsync(file);

    [GeneratedRegex(@"admin / (\S+)")]
    private static partial Regex AdminPassword();

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(workDir, recursive: true);
    }
}
