using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using OneForm.Data;
using OneForm.Registry;
using OneForm.Testing;
using OneForm.Tests.Hosting;
using OneForm.Tests.Registry;

namespace OneForm.Tests.CommandLine;

/// <summary>An operator's import dies (the machine is switched off, the process is killed): the same command again completes it.</summary>
public sealed class KilledImportTests : IDisposable
{
    private readonly string workDir = Directory.CreateTempSubdirectory("oneform-kill-").FullName;

    private static ProcessStartInfo Command(IDictionary<string, string> environment, params string[] args)
    {
        return OneFormProcess.StartInfo(environment, args);
    }

    private static async Task<(int ExitCode, string Output, string Error)> RunAsync(IDictionary<string, string> environment, params string[] args)
    {
        using var process = Process.Start(Command(environment, args))!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        return (process.ExitCode, await output, await error);
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task Import_residents_killed_midway_is_completed_by_running_the_same_file_again(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var settings = new Dictionary<string, string>
        {
            ["Database__Provider"] = provider.ToString(),
            ["ConnectionStrings__OneForm"] = database.ConnectionString,
        };
        var tree = Path.Combine(workDir, "tree.csv");
        await File.WriteAllTextAsync(tree, "code,name,level,parent_code\n652300000000,昌吉州,prefecture,\n652301000000,昌吉市,county,652300000000\n" +
            "652301004000,建国路街道,township,652301000000\n652301004002,锦绣社区,village,652301004000\n");
        Assert.Equal(0, (await RunAsync(settings, "import", "divisions", tree)).ExitCode);

        // At least three chunks and 16,000 rows (a chunk is larger on PostgreSQL), so the kill comes with most of the file
        // still to write; each number made here (a fresh database: no other test's numbers to avoid).
        var chunk = IDatabaseDialect.For(provider).ImportChunkRows;
        var total = Math.Max(chunk * 3, 16_000) + 123;
        var lines = new List<string>(total + 1) { RegistryFiles.Header };
        for (var i = 0; i < total; i++)
        {
            var born = new DateOnly(1950, 1, 1).AddDays(i / 1000);
            var first17 = $"652301{born:yyyyMMdd}{i % 1000:000}";
            var male = i % 2 == 1;  // the 17th digit is odd for a man
            lines.Add(RegistryFiles.Line(first17 + IdentityNumber.CheckDigitFor(first17), $"居民{i}", male ? "男" : "女", RegistryFiles.Iso(born), $"H{i / 4}", "652301004002"));
        }
        var file = Path.Combine(workDir, "registry.csv");
        await File.WriteAllLinesAsync(file, lines);

        // The progress line (it starts with a carriage return) is written after each chunk commits: kill then, with SIGKILL,
        // while the next chunks are being read and written. A thread of its own watches the output and kills, so a busy
        // thread pool (the rest of the suite runs beside this test) cannot delay the kill until the import has finished.
        int killedWith;
        string killedOutput;
        using (var import = Process.Start(Command(settings, "import", "residents", file))!)
        {
            var error = import.StandardError.ReadToEndAsync();
            var seen = new System.Text.StringBuilder();
            var watcher = new Thread(() =>
            {
                int c;
                while ((c = import.StandardOutput.Read()) != -1 && c != '\r')
                {
                    seen.Append((char)c);
                }
                try
                {
                    import.Kill(entireProcessTree: true);
                }
                catch (InvalidOperationException)
                {
                    // Already gone: the assertion below says the import was not killed midway.
                }
            }) { IsBackground = true };
            watcher.Start();
            await import.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
            watcher.Join(TimeSpan.FromMinutes(1));
            (killedWith, killedOutput) = (import.ExitCode, seen + await error);
        }
        Assert.True(killedWith == 128 + 9, $"the import was not killed midway (exit {killedWith}): {killedOutput}");

        await using var host = await OneFormHost.StartOnAsync(database, demo: false);
        var afterKill = await host.WithDbAsync(db => db.Residents.CountAsync());
        Assert.InRange(afterKill, chunk, total - 1);
        Assert.Equal(0, afterKill % chunk);  // whole chunks only

        var again = await RunAsync(settings, "import", "residents", file);

        Assert.Equal(0, again.ExitCode);
        Assert.Contains($"read {total}, inserted {total - afterKill}, updated 0, unchanged {afterKill}, rejected 0", again.Output);
        var names = await host.WithDbAsync(db => db.Residents.Select(r => r.Name).ToListAsync());
        Assert.Equal(Enumerable.Range(0, total).Select(i => $"居民{i}").Order(StringComparer.Ordinal), names.Order(StringComparer.Ordinal));
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(workDir, recursive: true);
    }
}
