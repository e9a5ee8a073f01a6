using System.Globalization;
using System.Reflection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using OneForm.Common;
using OneForm.Localization;

namespace OneForm.Data.Backup;

/// <summary>
/// The <c>backup</c> and <c>restore</c> verbs: the database as one consistent snapshot, then the file store beside it,
/// and a manifest that says what both hold. A restore goes only into an empty database and file store and checks every
/// file's hash before it changes anything. docs/backup.md is the operator's side of this.
/// </summary>
public sealed class Backups(DatabaseSettings settings, IConfiguration configuration, IDatabaseDialect dialect, IFileStore store,
    LocalFileStore localStore, OneFormDbContext db, TimeProvider time)
{
    private const string FilesFolder = "files";

    private IBackupDatabase Database => dialect.Backup(settings, configuration);

    /// <summary>The object store has its own tools for copies (versioning, replication, mirroring); the files stay there.</summary>
    private bool FilesInObjectStore => store is not LocalFileStore;

    private static string Version =>
        typeof(Backups).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    private static string When(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    public async Task<BackupManifest> BackupAsync(string folder, TextWriter output, CancellationToken cancellationToken = default)
    {
        var l = LocalizationModule.Localizer;
        folder = Path.GetFullPath(folder);
        if (Directory.Exists(folder) && Directory.EnumerateFileSystemEntries(folder).Any())
        {
            throw new BackupProblem(l["The folder {0} is not empty: back up into a new folder, so that no earlier backup is overwritten.", folder]);
        }
        Directory.CreateDirectory(folder);
        try
        {
            return await WriteAsync(folder, output, cancellationToken);
        }
        catch
        {
            // The folder was empty: what is in it now is this unfinished backup, which would only stand in the way of the next try.
            foreach (var entry in new DirectoryInfo(folder).EnumerateFileSystemInfos())
            {
                if (entry is DirectoryInfo directory)
                {
                    directory.Delete(recursive: true);
                }
                else
                {
                    entry.Delete();
                }
            }
            throw;
        }
    }

    private async Task<BackupManifest> WriteAsync(string folder, TextWriter output, CancellationToken cancellationToken)
    {
        var l = LocalizationModule.Localizer;
        var database = Database;
        await output.WriteLineAsync(l["Backing up the {0} database ({1}) into {2}…", settings.Provider, settings.Describe(), folder]);
        var takenAt = time.GetUtcNow();
        var snapshot = await database.SnapshotAsync(Path.Combine(folder, database.FileName), cancellationToken);
        var databaseFile = await BackupFile.DescribeAsync(folder, database.FileName, cancellationToken);

        // Files after the snapshot: a photo or an evidence file is stored before the row that names it commits, and is
        // never changed (its key is its content's hash), so every file the snapshot names is here. Files that came after
        // the snapshot are copied too; nothing names them, and they do no harm.
        List<BackupFile> files = [];
        if (FilesInObjectStore)
        {
            await output.WriteLineAsync(l["The files are in an object store (Storage:Provider S3) and are not in this backup: copy the bucket with the store's own tools (see docs/backup.md)."]);
        }
        else
        {
            files = await CopyFilesAsync(localStore.Root, folder, cancellationToken);
        }

        var manifest = new BackupManifest(BackupManifest.CurrentFormat, settings.Provider, takenAt, snapshot.LastMigration, Version, databaseFile,
            FilesInObjectStore ? "S3" : "Local", snapshot.Counts, files);
        await manifest.WriteAsync(folder, cancellationToken);
        await output.WriteLineAsync(l["Backed up {0} tables with {1} rows and {2} files (schema {3}), as they were at {4}.",
            snapshot.Counts.Count, snapshot.Counts.Values.Sum(), files.Count, snapshot.LastMigration ?? "-", When(takenAt)]);
        return manifest;
    }

    private static async Task<List<BackupFile>> CopyFilesAsync(string root, string folder, CancellationToken cancellationToken)
    {
        List<BackupFile> files = [];
        if (!Directory.Exists(root))
        {
            return files;
        }
        var paths = Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Where(p => !p.EndsWith(".part", StringComparison.Ordinal))  // a file being written: LocalFileStore moves it into place when whole
            .Order(StringComparer.Ordinal);
        foreach (var path in paths)
        {
            var relative = FilesFolder + "/" + Path.GetRelativePath(root, path).Replace(Path.DirectorySeparatorChar, '/');
            try
            {
                await using var source = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 81920, FileOptions.Asynchronous);
                files.Add(await BackupFile.CopyAsync(source, folder, relative, cancellationToken));
            }
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
            {
                // An expired export deleted meanwhile: the snapshot may name it, as the live database did a moment ago.
            }
        }
        return files;
    }

    public async Task<BackupManifest> RestoreAsync(string folder, TextWriter output, CancellationToken cancellationToken = default)
    {
        var l = LocalizationModule.Localizer;
        folder = Path.GetFullPath(folder);
        var manifest = await BackupManifest.ReadAsync(folder, cancellationToken);
        if (manifest.Provider != settings.Provider)
        {
            throw new BackupProblem(l["This is a backup of a {0} database, but the configured database is {1}: restore it into a {0} database (Database:Provider).",
                manifest.Provider, settings.Provider]);
        }
        if (manifest.LastMigration is { } last && !db.Database.GetMigrations().Contains(last))
        {
            throw new BackupProblem(l["The backup's schema ends with migration {0}, which this OneForm does not know: restore it with the version that made it ({1}) or a newer one.",
                last, manifest.OneFormVersion]);
        }
        await manifest.VerifyAsync(folder, cancellationToken);

        var database = Database;
        var creator = db.GetService<IRelationalDatabaseCreator>();
        if (!await creator.ExistsAsync(cancellationToken))
        {
            await creator.CreateAsync(cancellationToken);
        }
        else if (await database.TablesAsync(cancellationToken) is > 0 and var tables)
        {
            throw new BackupProblem(l["The database {0} is not empty ({1} tables): restore only into a new, empty database.", settings.Describe(), tables]);
        }
        if (manifest.Files.Count > 0 && !FilesInObjectStore && Directory.Exists(localStore.Root)
            && Directory.EnumerateFiles(localStore.Root, "*", SearchOption.AllDirectories).Any())
        {
            throw new BackupProblem(l["The file store {0} is not empty: restore only into a new, empty folder (Storage:Directory).", localStore.Root]);
        }

        await output.WriteLineAsync(l["Restoring the backup of {0} into the {1} database ({2})…", When(manifest.CreatedAt), settings.Provider, settings.Describe()]);
        await database.RestoreAsync(BackupFile.Resolve(folder, manifest.Database.Path), cancellationToken);
        foreach (var file in manifest.Files)
        {
            // Through the configured store, so a backup of local files can also fill an object store.
            await store.PutFileAsync(file.Path[(FilesFolder.Length + 1)..], BackupFile.Resolve(folder, file.Path), cancellationToken);
        }

        var restored = await database.DescribeAsync(cancellationToken);
        var differ = manifest.Counts
            .Where(c => restored.Counts.GetValueOrDefault(c.Key, -1) != c.Value)
            .Select(c => $"{c.Key} {restored.Counts.GetValueOrDefault(c.Key)}/{c.Value}")
            .ToList();
        if (differ.Count > 0)
        {
            throw new BackupProblem(l["The restored database does not hold the rows the backup's manifest lists (restored/listed): {0}.", string.Join(", ", differ)]);
        }
        if (manifest.FileStore != "Local")
        {
            await output.WriteLineAsync(l["The backup holds no files: they were in an object store. Restore the bucket as it was at {0} with the store's own tools (see docs/backup.md).",
                When(manifest.CreatedAt)]);
        }
        await output.WriteLineAsync(l["Restored {0} tables with {1} rows and {2} files, as they were at {3}. Start OneForm as usual: it brings the schema up to date.",
            restored.Counts.Count, restored.Counts.Values.Sum(), manifest.Files.Count, When(manifest.CreatedAt)]);
        return manifest;
    }
}
