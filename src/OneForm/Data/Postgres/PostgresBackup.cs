using System.Data;
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Npgsql;
using OneForm.Localization;

using OneForm.Data.Backup;

namespace OneForm.Data.Postgres;

/// <summary>
/// PostgreSQL through pg_dump (custom format) and pg_restore. The rows are counted in a repeatable-read transaction whose
/// snapshot pg_dump is given (<c>--snapshot</c>), so the manifest describes exactly what the dump holds while the app
/// goes on writing. The password goes to the tools in <c>PGPASSWORD</c>, never on a command line others can read.
/// </summary>
internal sealed partial class PostgresBackup(DatabaseSettings settings, IConfiguration configuration) : IBackupDatabase
{
    public const string BinDirectorySetting = "Backup:PostgresBinDirectory";

    private const string TablesQuery =
        "SELECT CASE WHEN schemaname = 'public' THEN tablename ELSE schemaname || '.' || tablename END, " +
        "quote_ident(schemaname) || '.' || quote_ident(tablename) FROM pg_tables " +
        "WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1";

    public string FileName => "database.dump";

    public async Task<DatabaseSnapshot> SnapshotAsync(string file, CancellationToken cancellationToken)
    {
        var pgDump = Tool("pg_dump");
        await using var connection = new NpgsqlConnection(settings.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        var toolVersion = await MajorVersionAsync(pgDump, cancellationToken);
        if (toolVersion < connection.PostgreSqlVersion.Major)
        {
            throw new BackupProblem(LocalizationModule.Localizer["pg_dump {0} ({1}) cannot dump a PostgreSQL {2} server: install the client tools of PostgreSQL {2} or newer, or set {3}.",
                toolVersion, pgDump, connection.PostgreSqlVersion.Major, BinDirectorySetting]);
        }
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
        var snapshot = (string)(await TableCounts.ScalarAsync(connection, transaction, "SELECT pg_export_snapshot()", cancellationToken))!;
        var described = await TableCounts.DescribeAsync(connection, transaction,
            await TableCounts.TablesAsync(connection, transaction, TablesQuery, cancellationToken), cancellationToken);
        // The exported snapshot lives as long as this transaction: it stays open until pg_dump is done.
        await RunAsync(pgDump, ["--format=custom", $"--file={file}", $"--snapshot={snapshot}"], cancellationToken);
        await transaction.RollbackAsync(cancellationToken);
        return described;
    }

    public async Task<int> TablesAsync(CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(settings.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        return (await TableCounts.TablesAsync(connection, null, TablesQuery, cancellationToken)).Count;
    }

    public async Task RestoreAsync(string file, CancellationToken cancellationToken)
    {
        var pgRestore = Tool("pg_restore");
        // One transaction: a restore that fails leaves the database as empty as it was. Objects belong to the configured
        // user, whoever owned them where the backup was made.
        await RunAsync(pgRestore, ["--no-owner", "--no-privileges", "--single-transaction", "--exit-on-error", file], cancellationToken);
    }

    public async Task<DatabaseSnapshot> DescribeAsync(CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(settings.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        return await TableCounts.DescribeAsync(connection, null, await TableCounts.TablesAsync(connection, null, TablesQuery, cancellationToken), cancellationToken);
    }

    /// <summary>
    /// The tool from <c>Backup:PostgresBinDirectory</c> when set; otherwise the newest under /usr/lib/postgresql (where
    /// Debian and Ubuntu keep each version's own), then PATH.
    /// </summary>
    private string Tool(string name)
    {
        var l = LocalizationModule.Localizer;
        var executable = OperatingSystem.IsWindows() ? name + ".exe" : name;
        if (configuration[BinDirectorySetting] is { Length: > 0 } configured)
        {
            var path = Path.Combine(configured, executable);
            return File.Exists(path) ? path : throw new BackupProblem(l["{0} was not found in {1} ({2}).", name, configured, BinDirectorySetting]);
        }
        const string Versions = "/usr/lib/postgresql";
        if (Directory.Exists(Versions))
        {
            var newest = Directory.GetDirectories(Versions)
                .Select(d => (Major: int.TryParse(Path.GetFileName(d), NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : -1, Path: Path.Combine(d, "bin", executable)))
                .Where(t => t.Major >= 0 && File.Exists(t.Path))
                .OrderByDescending(t => t.Major)
                .Select(t => t.Path)
                .FirstOrDefault();
            if (newest is not null)
            {
                return newest;
            }
        }
        foreach (var folder in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var path = Path.Combine(folder, executable);
            if (File.Exists(path))
            {
                return path;
            }
        }
        throw new BackupProblem(l["{0} was not found on PATH or under /usr/lib/postgresql: install the PostgreSQL client tools (the server's major version or newer), or set {1} to their folder.",
            name, BinDirectorySetting]);
    }

    private static async Task<int> MajorVersionAsync(string tool, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("--version");
        using var process = Process.Start(start)!;
        var text = await process.StandardOutput.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return VersionPattern().Match(text) is { Success: true } match ? int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
    }

    /// <summary>The connection string as libpq's options and environment: host, port, user, database, TLS; the password only in the environment.</summary>
    private void Connect(ProcessStartInfo start)
    {
        var connection = new NpgsqlConnectionStringBuilder(settings.ConnectionString);
        void Option(string option, string? value)
        {
            if (!string.IsNullOrEmpty(value))
            {
                start.ArgumentList.Add($"--{option}={value}");
            }
        }
        void Variable(string variable, string? value)
        {
            if (!string.IsNullOrEmpty(value))
            {
                start.Environment[variable] = value;
            }
        }
        Option("host", connection.Host);
        Option("port", connection.Port.ToString(CultureInfo.InvariantCulture));
        Option("username", connection.Username);
        Option("dbname", connection.Database);
        start.ArgumentList.Add("--no-password");
        Variable("PGPASSWORD", connection.Password);
        Variable("PGPASSFILE", connection.Passfile);
        Variable("PGSSLMODE", connection.SslMode switch
        {
            SslMode.Disable => "disable",
            SslMode.Allow => "allow",
            SslMode.Prefer => "prefer",
            SslMode.Require => "require",
            SslMode.VerifyCA => "verify-ca",
            SslMode.VerifyFull => "verify-full",
            _ => null,
        });
        Variable("PGSSLROOTCERT", connection.RootCertificate);
        Variable("PGSSLCERT", connection.SslCertificate);
        Variable("PGSSLKEY", connection.SslKey);
        Variable("PGCONNECT_TIMEOUT", connection.Timeout.ToString(CultureInfo.InvariantCulture));
        Variable("PGAPPNAME", "oneform-backup");
    }

    private async Task RunAsync(string tool, IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        Connect(start);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        await output;
        if (process.ExitCode != 0)
        {
            throw new BackupProblem(LocalizationModule.Localizer["{0} failed (exit code {1}): {2}", Path.GetFileName(tool), process.ExitCode, (await error).Trim()]);
        }
    }

    [GeneratedRegex(@"\)\s*(\d+)")]
    private static partial Regex VersionPattern();
}
