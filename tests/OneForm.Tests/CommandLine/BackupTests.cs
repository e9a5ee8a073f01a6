using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using OneForm.Collection;
using OneForm.Data;
using OneForm.Data.Backup;
using OneForm.Media;
using OneForm.Testing;
using OneForm.Tests.Collection;
using OneForm.Tests.Hosting;
using OneForm.Tests.Media;
using SkiaSharp;

namespace OneForm.Tests.CommandLine;

/// <summary>
/// The <c>backup</c> and <c>restore</c> verbs, run as an operator runs them, beside the app that goes on serving: what a
/// backup's manifest lists is what a restore brings back, into a new database and a new file store.
/// </summary>
[Collection(nameof(AppsCollection))]
public sealed class BackupTests(Apps apps) : IDisposable
{
    private const string Tingzhou = "652301006005";  // 庭州社区: values no other test writes
    private const string Tunhe = "652301006006";     // 屯河社区
    private const int MostSavesDuringTheBackup = 2000;

    private readonly string workDir = Directory.CreateTempSubdirectory("oneform-backup-").FullName;

    private sealed record Run(int ExitCode, string Output, string Error);

    private static async Task<Run> RunAsync(IDictionary<string, string> environment, params string[] args)
    {
        var start = OneFormProcess.StartInfo(environment, args);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(3));
        return new Run(process.ExitCode, await output, await error);
    }

    private static Dictionary<string, string> Settings(TestDatabase database, string files) => new()
    {
        ["Database__Provider"] = database.Provider.ToString(),
        ["ConnectionStrings__OneForm"] = database.ConnectionString,
        ["Storage__Directory"] = files,
    };

    private static string FilesOf(OneFormHost app) => app.Services.GetRequiredService<LocalFileStore>().Root;

    private static async Task<PhotoView> UploadAsync(HttpClient cadre, string unit, int seed)
    {
        var content = new ByteArrayContent(TestPhotos.Jpeg(320, 240, new SKColor((byte)(seed * 37 % 256), (byte)(seed * 11 % 256), 90)));
        content.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
        var response = await cadre.PostAsync($"/api/v1/photos?unit={unit}", content);
        Assert.True(response.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<PhotoView>(TestJson.Options))!;
    }

    private static DbConnection Open(TestDatabase database) => database.Provider == DatabaseProvider.Sqlite
        ? new SqliteConnection(database.ConnectionString)
        : new NpgsqlConnection(database.ConnectionString);

    /// <summary>Rows of every table, counted straight from the database before any host starts on it.</summary>
    private static async Task<Dictionary<string, long>> CountAsync(TestDatabase database, IEnumerable<string> tables)
    {
        await using var connection = Open(database);
        await connection.OpenAsync();
        var counts = new Dictionary<string, long>();
        foreach (var table in tables)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT COUNT(*) FROM \"{table}\"";
            counts[table] = Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
        }
        return counts;
    }

    private static async Task<int> TablesAsync(TestDatabase database)
    {
        if (database.Provider == DatabaseProvider.Sqlite && !File.Exists(new SqliteConnectionStringBuilder(database.ConnectionString).DataSource))
        {
            return 0;
        }
        await using var connection = Open(database);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = database.Provider == DatabaseProvider.Sqlite
            ? "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'"
            : "SELECT COUNT(*) FROM pg_tables WHERE schemaname = 'public'";
        return Convert.ToInt32(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    /// <summary>The restored audit's last row before a host starts on it (and adds rows of its own).</summary>
    private static async Task<long> LastAuditAsync(TestDatabase database)
    {
        await using var connection = Open(database);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT MAX(\"Id\") FROM \"AuditEntries\"";
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    private static int FilesIn(string folder) => Directory.Exists(folder) ? Directory.GetFiles(folder, "*", SearchOption.AllDirectories).Length : 0;

    private static void NoStackTrace(Run run) => Assert.DoesNotMatch(@"\n\s+at [\w.]+", run.Output + run.Error);

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task A_backup_taken_while_values_are_saved_restores_every_value_resident_photo_and_audit_row_it_lists(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var user = await app.CreateUserAsync(Role.Cadre, Tingzhou);
        var cadre = await PageSession.BearerAsync(app, user.UserName!);
        var taskId = await Filling.TaskIdAsync(app, Tingzhou, "CJ-DJ-01");
        async Task SaveAsync(int members)
        {
            var task = await Filling.GetAsync(cadre, taskId);
            var saved = await cadre.PutAsJsonAsync($"/api/v1/tasks/{taskId}/values",
                new ValuesRequest([Filling.Change(task, "PARTY_MEMBERS", members.ToString(CultureInfo.InvariantCulture))]));
            Assert.True(saved.StatusCode == HttpStatusCode.OK, await saved.Content.ReadAsStringAsync());
        }

        // Before the backup: ten saves and two photos, which must all come back.
        const int SavedBefore = 10;
        for (var members = 1; members <= SavedBefore; members++)
        {
            await SaveAsync(members);
        }
        List<PhotoView> photosBefore = [await UploadAsync(cadre, Tingzhou, 1), await UploadAsync(cadre, Tingzhou, 2)];

        // The backup runs as its own process while the cadre goes on saving (and uploading a photo every tenth save).
        var folder = Path.Combine(workDir, "backup");
        var backup = RunAsync(Settings(app.Database, FilesOf(app)), "backup", folder);
        var saves = SavedBefore;
        while (!backup.IsCompleted && saves < SavedBefore + MostSavesDuringTheBackup)
        {
            await SaveAsync(++saves);
            if (saves % 10 == 0)
            {
                await UploadAsync(cadre, Tingzhou, saves);
            }
        }
        var run = await backup;
        Assert.True(run.ExitCode == 0, run.Output + run.Error);
        Assert.True(saves < SavedBefore + MostSavesDuringTheBackup, "the saves went on for as long as the backup ran");
        var manifest = await BackupManifest.ReadAsync(folder, CancellationToken.None);
        Assert.Equal(provider, manifest.Provider);
        Assert.NotNull(manifest.LastMigration);
        Assert.All(["DataValues", "DataValueChanges", "Residents", "Photos", "AuditEntries", "AspNetUsers"], t => Assert.True(manifest.Counts[t] > 0, t));

        // Restored into a new database and a new file store, the database holds exactly the rows the manifest lists.
        await using var target = await TestDatabase.CreateAsync(provider);
        var targetFiles = Path.Combine(workDir, "restored-files");
        var restore = await RunAsync(Settings(target, targetFiles), "restore", folder);
        Assert.True(restore.ExitCode == 0, restore.Output + restore.Error);
        Assert.Equal(manifest.Counts.OrderBy(c => c.Key), (await CountAsync(target, manifest.Counts.Keys)).OrderBy(c => c.Key));
        Assert.Equal(manifest.Files.Count, FilesIn(targetFiles));
        var lastAudit = await LastAuditAsync(target);

        await using var restored = await OneFormHost.StartOnAsync(target, demo: false, settings: new Dictionary<string, string?> { ["Storage:Directory"] = targetFiles });

        // The values: every save before the backup, then the saves during it without a gap (one snapshot), each row as it was.
        var element = await app.WithDbAsync(db => db.DataElements.Where(e => e.Code == "PARTY_MEMBERS").Select(e => e.Id).SingleAsync());
        var unit = await app.WithDbAsync(db => db.OrgUnits.Where(u => u.Code == Tingzhou).Select(u => u.Id).SingleAsync());
        var period = (await Filling.GetAsync(cadre, taskId)).Task.Period;
        Task<List<DataValueChange>> HistoryAsync(OneFormHost host) => host.WithDbAsync(db => db.DataValueChanges.AsNoTracking()
            .Where(c => c.DataElementId == element && c.OrgUnitId == unit && c.PeriodCode == period && c.ChangedBy == user.Id).OrderBy(c => c.Id).ToListAsync());
        var history = await HistoryAsync(restored);
        var kept = history.Count;
        Assert.InRange(kept, SavedBefore, saves);
        Assert.Equal(Enumerable.Range(1, kept).Select(n => n.ToString(CultureInfo.InvariantCulture)), history.Select(c => c.NewValue));
        var source = (await HistoryAsync(app)).ToDictionary(c => c.Id);
        Assert.All(history, c =>
        {
            // A change's place in the cursor's order is given just after its save commits: a save that committed before
            // the backup's snapshot may have been placed after it, and the restored database places it when next asked.
            var was = source[c.Id];
            Assert.True(c.Sequence == was.Sequence || c.Sequence is null, $"change {c.Id}: place {c.Sequence} restored, {was.Sequence} at the source");
            c.Sequence = was.Sequence;
            Assert.Equivalent(was, c, strict: true);
        });
        var restoredCadre = await PageSession.BearerAsync(restored, user.UserName!);
        Assert.Equal(kept.ToString(CultureInfo.InvariantCulture), (await Filling.GetAsync(restoredCadre, taskId)).Values.Single(v => v.Element == "PARTY_MEMBERS").Value);

        // Residents and audit rows: each restored row is the source's row.
        var residents = await restored.WithDbAsync(db => db.Residents.AsNoTracking().OrderBy(r => r.Id)
            .Select(r => new { r.Id, r.Name, r.IdentityHash, r.IdentityProtected, r.HouseholdNumber, r.OrgUnitId, r.Status, r.RowVersion }).ToListAsync());
        var sourceResidents = await app.WithDbAsync(db => db.Residents.AsNoTracking().OrderBy(r => r.Id)
            .Select(r => new { r.Id, r.Name, r.IdentityHash, r.IdentityProtected, r.HouseholdNumber, r.OrgUnitId, r.Status, r.RowVersion }).ToListAsync());
        Assert.Equal(manifest.Counts["Residents"], residents.Count);
        var restoredIds = residents.Select(r => r.Id).ToHashSet();
        Assert.Equal(sourceResidents.Where(r => restoredIds.Contains(r.Id)), residents);
        var audit = await restored.WithDbAsync(db => db.AuditEntries.AsNoTracking().Where(a => a.Id <= lastAudit)
            .Select(a => new { a.Id, a.At, a.ActorId, a.Kind, a.EntityType, a.EntityKey }).ToListAsync());
        var sourceAudit = (await app.WithDbAsync(db => db.AuditEntries.AsNoTracking().Where(a => a.Id <= lastAudit)
            .Select(a => new { a.Id, a.At, a.ActorId, a.Kind, a.EntityType, a.EntityKey }).ToListAsync())).ToDictionary(a => a.Id);
        Assert.Equal(manifest.Counts["AuditEntries"], audit.Count);
        Assert.All(audit, a => Assert.Equal(sourceAudit[a.Id], a));

        // Photos: every photo row's file is there with the bytes its key names, and the cadre sees the same photos.
        var photos = await restored.WithDbAsync(db => db.Photos.AsNoTracking().Select(p => new { p.Id, p.StoredKey, p.ThumbnailKey }).ToListAsync());
        Assert.Equal(manifest.Counts["Photos"], photos.Count);
        var store = restored.Services.GetRequiredService<IFileStore>();
        foreach (var key in photos.SelectMany(p => new[] { p.StoredKey, p.ThumbnailKey }))
        {
            await using var file = await store.OpenAsync(key);
            Assert.True(file is not null, $"{key} was restored");
            Assert.Equal(Path.GetFileNameWithoutExtension(key), Convert.ToHexStringLower(await SHA256.HashDataAsync(file)));
        }
        foreach (var photo in photosBefore)
        {
            Assert.Equal(await cadre.GetByteArrayAsync($"/api/v1/photos/{photo.Id}/file"), await restoredCadre.GetByteArrayAsync($"/api/v1/photos/{photo.Id}/file"));
        }
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task A_restore_refuses_a_database_that_is_not_empty_a_changed_file_a_missing_or_broken_manifest_and_another_provider(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var cadre = await PageSession.BearerAsync(app, (await app.CreateUserAsync(Role.Cadre, Tunhe)).UserName!);
        var photo = await UploadAsync(cadre, Tunhe, 7);
        var stored = await app.WithDbAsync(db => db.Photos.Where(p => p.Id == photo.Id).Select(p => p.StoredKey).SingleAsync());
        var folder = Path.Combine(workDir, "backup");
        Assert.Equal(0, (await RunAsync(Settings(app.Database, FilesOf(app)), "backup", folder)).ExitCode);
        var again = await RunAsync(Settings(app.Database, FilesOf(app)), "backup", folder);

        string Copy(string name)
        {
            var copy = Path.Combine(workDir, name);
            foreach (var file in Directory.GetFiles(folder, "*", SearchOption.AllDirectories))
            {
                var target = Path.Combine(copy, Path.GetRelativePath(folder, file));
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(file, target);
            }
            return copy;
        }
        var tampered = Copy("tampered");
        var photoFile = Path.Combine(tampered, "files", stored);
        var bytes = await File.ReadAllBytesAsync(photoFile);
        bytes[bytes.Length / 2] ^= 0x55;
        await File.WriteAllBytesAsync(photoFile, bytes);
        var noManifest = Copy("no-manifest");
        File.Delete(Path.Combine(noManifest, BackupManifest.FileName));
        var brokenManifest = Copy("broken-manifest");
        await File.WriteAllTextAsync(Path.Combine(brokenManifest, BackupManifest.FileName), "{\"format\": \"oneform-backup/1\", \"provider\": ");

        await using var target = await TestDatabase.CreateAsync(provider);
        var targetFiles = Path.Combine(workDir, "restored-files");
        var empty = Settings(target, targetFiles);
        var other = provider == DatabaseProvider.Sqlite
            ? new Dictionary<string, string> { ["Database__Provider"] = "Postgres", ["ConnectionStrings__OneForm"] = "Host=127.0.0.1;Port=1;Username=nobody;Database=none" }
            : new Dictionary<string, string> { ["ConnectionStrings__OneForm"] = $"Data Source={Path.Combine(workDir, "other.db")}" };

        var intoLive = await RunAsync(Settings(app.Database, Path.Combine(workDir, "other-files")), "restore", folder);
        var changed = await RunAsync(empty, "restore", tampered);
        var missing = await RunAsync(empty, "restore", noManifest);
        var broken = await RunAsync(empty, "restore", brokenManifest);
        var otherProvider = await RunAsync(other, "restore", folder);

        Assert.Contains("is not empty", again.Error);
        Assert.Contains("is not empty", intoLive.Error);
        Assert.Contains("restore only into a new, empty database", intoLive.Error);
        Assert.Contains($"files/{stored}", changed.Error);
        Assert.Contains("does not match its SHA-256", changed.Error);
        Assert.Contains("manifest.json is missing", missing.Error);
        Assert.Contains("cannot be read", broken.Error);
        Assert.Contains($"This is a backup of a {provider} database", otherProvider.Error);
        Run[] refused = [again, intoLive, changed, missing, broken, otherProvider];
        Assert.All(refused, r => Assert.Equal(1, r.ExitCode));
        Assert.All(refused, NoStackTrace);
        // Refused before anything was written: the empty database and file store are as they were.
        Assert.Equal(0, await TablesAsync(target));
        Assert.Equal(0, FilesIn(targetFiles));

        if (provider == DatabaseProvider.Postgres)
        {
            var noTools = await RunAsync(new Dictionary<string, string>(Settings(app.Database, FilesOf(app))) { ["Backup__PostgresBinDirectory"] = workDir },
                "backup", Path.Combine(workDir, "no-tools"));
            Assert.Equal(1, noTools.ExitCode);
            Assert.Contains($"pg_dump was not found in {workDir}", noTools.Error);
            Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(workDir, "no-tools")));  // nothing half-written left behind
            NoStackTrace(noTools);
        }

        // The intact backup then restores into that same empty database and file store.
        var restore = await RunAsync(empty, "restore", folder);
        Assert.True(restore.ExitCode == 0, restore.Output + restore.Error);
        Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(FilesOf(app), stored)), await File.ReadAllBytesAsync(Path.Combine(targetFiles, stored)));
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(workDir, recursive: true);
    }
}
