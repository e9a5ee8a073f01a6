using OneForm.Data;
using OneForm.Data.Backup;
using OneForm.Localization;
using OneForm.Organization.Divisions;
using Microsoft.EntityFrameworkCore;

namespace OneForm.CommandLine;

/// <summary>
/// One executable, several verbs: <c>serve</c> (the default), <c>migrate</c>, <c>import divisions FILE</c>,
/// <c>seed demo</c>, <c>backup FOLDER</c>, <c>restore FOLDER</c>, <c>help</c>. Options that start with <c>--</c> go to the host's configuration
/// (<c>--urls</c>, <c>--Database:Provider=Postgres</c>); <c>--demo</c> seeds and serves the demo.
/// </summary>
public sealed record OneFormCommand(string Verb, IReadOnlyList<string> Arguments, string[] HostArguments, bool Demo)
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int Usage = 2;
    public const int SomeRowsRejected = 3;

    private static readonly string[] Verbs = ["serve", "migrate", "import", "seed", "backup", "restore", "help"];

    /// <summary>Parses the arguments; returns an exit code instead when there is nothing to run (help, a mistake).</summary>
    public static (OneFormCommand? Command, int ExitCode) Parse(string[] args, TextWriter output, TextWriter error)
    {
        var l = LocalizationModule.Localizer;
        var positional = new List<string>();
        var host = new List<string>();
        var demo = false;
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            if (arg is "--help" or "-h" or "-?")
            {
                positional.Insert(0, "help");
            }
            else if (arg == "--demo")
            {
                demo = true;
            }
            else if (arg.StartsWith("--", StringComparison.Ordinal))
            {
                host.Add(arg);
                if (!arg.Contains('=', StringComparison.Ordinal) && i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
                {
                    host.Add(args[++i]);
                }
            }
            else
            {
                positional.Add(arg);
            }
        }

        var verb = positional.Count == 0 ? "serve" : positional[0].ToLowerInvariant();
        var rest = positional.Skip(1).ToList();
        if (!Verbs.Contains(verb))
        {
            error.WriteLine(l["Unknown command '{0}'.", positional[0]]);
            error.WriteLine();
            WriteHelp(error);
            return (null, Usage);
        }
        if (verb == "help")
        {
            WriteHelp(output);
            return (null, Ok);
        }
        string? mistake = verb switch
        {
            "serve" or "migrate" when rest.Count > 0 => l["'{0}' takes no arguments, but was given '{1}'.", verb, string.Join(' ', rest)].Value,
            "import" when rest.Count != 2 || rest[0] is not ("divisions" or "residents") => l["Use: import divisions FILE.csv, or import residents FILE.csv|FILE.xlsx"].Value,
            "import" when !File.Exists(rest[1]) => l["The file '{0}' does not exist.", rest[1]].Value,
            "seed" when rest.Count != 1 || rest[0] != "demo" => l["Use: seed demo"].Value,
            "backup" or "restore" when rest.Count != 1 => l["Use: {0} FOLDER", verb].Value,
            "restore" when !Directory.Exists(rest[0]) => l["The folder '{0}' does not exist.", rest[0]].Value,
            _ => null,
        };
        if (mistake is not null)
        {
            error.WriteLine(mistake);
            return (null, Usage);
        }
        if (demo)
        {
            host.Add("--Demo:Enabled=true");
        }
        return (new OneFormCommand(verb, rest, [.. host], demo), Ok);
    }

    private async Task<int> ImportResidentsAsync(WebApplication app, TextWriter output, TextWriter error)
    {
        var l = LocalizationModule.Localizer;
        var path = Arguments[1];
        await using var scope = app.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        await services.GetRequiredService<DatabaseSetup>().MigrateAsync();
        services.GetRequiredService<AuditActor>().ActAs("cli:import");
        var importer = services.GetRequiredService<Registry.ResidentImporter>();
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.SequentialScan);
        var batch = await importer.StartAsync(path, file.Length, $"cli:{Environment.UserName}");
        await importer.RunAsync(batch.Id, file, path.EndsWith(".xlsx", StringComparison.OrdinalIgnoreCase),
            b => output.Write("\r" + l["{0}% · {1} rows read · {2} rejected", b.Percent, b.Read, b.Rejected] + "   "));
        await output.WriteLineAsync();
        var db = services.GetRequiredService<OneFormDbContext>();
        var done = await db.ImportBatches.AsNoTracking().SingleAsync(b => b.Id == batch.Id);
        if (done.Problem is not null)
        {
            await error.WriteLineAsync(done.Problem);
            return Usage;
        }
        await output.WriteLineAsync(l["Batch {0}: read {1}, inserted {2}, updated {3}, unchanged {4}, rejected {5}.",
            done.Id, done.Read, done.Inserted, done.Updated, done.Unchanged, done.Rejected]);
        if (done.Rejected == 0)
        {
            return Ok;
        }
        var rejectedPath = path + ".rejected.csv";
        await using (var writer = new StreamWriter(rejectedPath, false, new System.Text.UTF8Encoding(true)))
        {
            await writer.WriteLineAsync("line,column,value,reason");
            await foreach (var r in db.ImportRejections.AsNoTracking().Where(r => r.BatchId == done.Id).OrderBy(r => r.Line).AsAsyncEnumerable())
            {
                await writer.WriteLineAsync($"{r.Line},{r.Column},{r.Value},\"{r.Reason.Replace("\"", "\"\"", StringComparison.Ordinal)}\"");
            }
        }
        await error.WriteLineAsync(l["The rejected rows are in {0}.", rejectedPath]);
        return SomeRowsRejected;
    }

    /// <summary>Neither migrates: a backup copies the database as it is, and a restore goes into an empty one that the next start brings up to date.</summary>
    private async Task<int> BackupOrRestoreAsync(WebApplication app, TextWriter output, TextWriter error)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var backups = scope.ServiceProvider.GetRequiredService<Backups>();
        try
        {
            if (Verb == "backup")
            {
                await backups.BackupAsync(Arguments[0], output);
            }
            else
            {
                await backups.RestoreAsync(Arguments[0], output);
            }
            return Ok;
        }
        catch (BackupProblem problem)
        {
            await error.WriteLineAsync(problem.Message);
            return Failed;
        }
        catch (Exception e) when (e is System.Data.Common.DbException or IOException or UnauthorizedAccessException or System.ComponentModel.Win32Exception)
        {
            // An unreachable database, a full disk, a folder not writable: the operator's to fix, so a message and no stack trace.
            var l = LocalizationModule.Localizer;
            await error.WriteLineAsync(Verb == "backup" ? l["The backup failed: {0}", e.GetBaseException().Message] : l["The restore failed: {0}", e.GetBaseException().Message]);
            return Failed;
        }
    }

    public static void WriteHelp(TextWriter output)
    {
        var l = LocalizationModule.Localizer;
        output.WriteLine(l["OneForm (一表通): enter each fact once, share it with every department."]);
        output.WriteLine();
        output.WriteLine(l["Usage: OneForm [command] [options]"]);
        output.WriteLine();
        output.WriteLine("  serve [--demo] [--urls URL]   " + l["migrate, then serve the web app (the default); --demo seeds the Changji demo"]);
        output.WriteLine("  migrate                       " + l["bring the database up to date and create the first administrator"]);
        output.WriteLine("  import divisions FILE.csv     " + l["load an org tree (code,name,level,parent_code) into the database"]);
        output.WriteLine("  import residents FILE         " + l["load residents from a registry export (CSV or xlsx); rejected rows go to FILE.rejected.csv"]);
        output.WriteLine("  seed demo                     " + l["load the Changji demo: divisions, departments, demo accounts"]);
        output.WriteLine("  backup FOLDER                 " + l["copy the database and the file store into a new folder, while the app runs"]);
        output.WriteLine("  restore FOLDER                " + l["restore a backup into an empty database and file store"]);
        output.WriteLine("  help                          " + l["show this text"]);
        output.WriteLine();
        output.WriteLine(l["Database: Sqlite by default (data/oneform.db); set Database__Provider=Postgres and ConnectionStrings__OneForm for PostgreSQL."]);
    }

    public async Task<int> RunAsync(WebApplication app, TextWriter output, TextWriter error)
    {
        var l = LocalizationModule.Localizer;
        switch (Verb)
        {
            case "serve":
                await StartupPreparation.PrepareAsync(app.Services, Demo || app.Configuration.GetValue("Demo:Enabled", false), output);
                await app.RunAsync();
                return Ok;

            case "migrate":
                await StartupPreparation.PrepareAsync(app.Services, demo: false, output);
                await output.WriteLineAsync(l["The database is up to date."]);
                return Ok;

            case "seed":
                await StartupPreparation.PrepareAsync(app.Services, demo: true, output);
                await output.WriteLineAsync(l["The demo is loaded."]);
                return Ok;

            case "backup" or "restore":
                return await BackupOrRestoreAsync(app, output, error);

            case "import" when Arguments[0] == "residents":
                return await ImportResidentsAsync(app, output, error);

            default:
                await using (var scope = app.Services.CreateAsyncScope())
                {
                    await scope.ServiceProvider.GetRequiredService<DatabaseSetup>().MigrateAsync();
                    scope.ServiceProvider.GetRequiredService<AuditActor>().ActAs("cli:import");
                    await using var file = File.OpenRead(Arguments[1]);
                    var report = await scope.ServiceProvider.GetRequiredService<DivisionImporter>().ImportAsync(file, Path.GetFileName(Arguments[1]));
                    if (report.FileError is not null)
                    {
                        await error.WriteLineAsync(report.FileError);
                        return Usage;
                    }
                    await output.WriteLineAsync(l["Added {0}, renamed {1}, unchanged {2}, rejected {3}.",
                        report.Added, report.Updated, report.Unchanged, report.Rejected.Count]);
                    foreach (var row in report.Rejected)
                    {
                        await error.WriteLineAsync(row.Reason);
                    }
                    return report.Rejected.Count == 0 ? Ok : SomeRowsRejected;
                }
        }
    }
}
