using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using OneForm.Localization;

namespace OneForm.Data.Backup;

/// <summary>
/// What a backup folder holds, written last (a folder without it is an unfinished backup): the provider, when, the
/// schema's last migration, the rows of every table as the snapshot had them, and every file with its SHA-256.
/// </summary>
/// <param name="FileStore">Local (the files are in the folder) or S3 (they are not: the object store is backed up with its own tools).</param>
public sealed record BackupManifest(
    string Format,
    DatabaseProvider Provider,
    DateTimeOffset CreatedAt,
    string? LastMigration,
    string OneFormVersion,
    BackupFile Database,
    string FileStore,
    IReadOnlyDictionary<string, long> Counts,
    IReadOnlyList<BackupFile> Files)
{
    public const string FileName = "manifest.json";
    public const string CurrentFormat = "oneform-backup/1";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
    };

    public async Task WriteAsync(string folder, CancellationToken cancellationToken)
    {
        // Written beside, then moved into place: a manifest is either whole or absent.
        var path = Path.Combine(folder, FileName);
        await using (var file = File.Create(path + ".part"))
        {
            await JsonSerializer.SerializeAsync(file, this, Json, cancellationToken);
        }
        File.Move(path + ".part", path, overwrite: true);
    }

    /// <summary>The manifest of the folder; a <see cref="BackupProblem"/> naming what is wrong when there is none or it cannot be read.</summary>
    public static async Task<BackupManifest> ReadAsync(string folder, CancellationToken cancellationToken)
    {
        var l = LocalizationModule.Localizer;
        var path = Path.Combine(folder, FileName);
        if (!File.Exists(path))
        {
            throw new BackupProblem(l["There is no backup in {0}: {1} is missing.", folder, FileName]);
        }
        BackupManifest? manifest;
        try
        {
            await using var file = File.OpenRead(path);
            manifest = await JsonSerializer.DeserializeAsync<BackupManifest>(file, Json, cancellationToken);
        }
        catch (JsonException e)
        {
            throw new BackupProblem(l["The backup's manifest {0} cannot be read: {1}", path, e.Message]);
        }
        if (manifest is null || manifest.Format != CurrentFormat || manifest.Database is null || manifest.Counts is null || manifest.Files is null)
        {
            throw new BackupProblem(l["The backup's manifest {0} cannot be read: it is not a OneForm backup manifest ({1}).", path, CurrentFormat]);
        }
        return manifest;
    }

    /// <summary>Checks every file against its hash before anything is restored, so a damaged backup changes nothing.</summary>
    public async Task VerifyAsync(string folder, CancellationToken cancellationToken)
    {
        var l = LocalizationModule.Localizer;
        foreach (var expected in Files.Prepend(Database))
        {
            var path = BackupFile.Resolve(folder, expected.Path);
            if (!File.Exists(path))
            {
                throw new BackupProblem(l["The file {0} listed in the backup's manifest is missing; nothing was restored.", expected.Path]);
            }
            await using var file = File.OpenRead(path);
            var hash = Convert.ToHexStringLower(await SHA256.HashDataAsync(file, cancellationToken));
            if (hash != expected.Sha256 || file.Length != expected.Bytes)
            {
                throw new BackupProblem(l["The file {0} in the backup does not match its SHA-256 in the manifest: the backup is damaged or was changed; nothing was restored.",
                    expected.Path]);
            }
        }
    }
}

/// <param name="Path">Relative to the backup folder, with forward slashes.</param>
public sealed record BackupFile(string Path, long Bytes, string Sha256)
{
    /// <summary>Copies a file, hashing it on the way (read once).</summary>
    public static async Task<BackupFile> CopyAsync(Stream source, string folder, string relative, CancellationToken cancellationToken)
    {
        var target = Resolve(folder, relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(target)!);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await using var output = new FileStream(target, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous);
        var buffer = new byte[81920];
        long bytes = 0;
        int read;
        while ((read = await source.ReadAsync(buffer, cancellationToken)) > 0)
        {
            hash.AppendData(buffer, 0, read);
            await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            bytes += read;
        }
        await output.FlushAsync(cancellationToken);
        output.Flush(flushToDisk: true);
        return new BackupFile(relative, bytes, Convert.ToHexStringLower(hash.GetHashAndReset()));
    }

    public static async Task<BackupFile> DescribeAsync(string folder, string relative, CancellationToken cancellationToken)
    {
        await using var file = File.OpenRead(Resolve(folder, relative));
        return new BackupFile(relative, file.Length, Convert.ToHexStringLower(await SHA256.HashDataAsync(file, cancellationToken)));
    }

    /// <summary>The file's place in the folder; a manifest cannot point outside it.</summary>
    public static string Resolve(string folder, string relative)
    {
        var root = System.IO.Path.GetFullPath(folder);
        var path = System.IO.Path.GetFullPath(System.IO.Path.Combine(root, relative));
        if (!path.StartsWith(root + System.IO.Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new BackupProblem(LocalizationModule.Localizer["The backup's manifest names a file outside its folder: {0}.", relative]);
        }
        return path;
    }
}

/// <summary>Why a backup or a restore refuses: one message for the operator, never a stack trace.</summary>
public sealed class BackupProblem(string message, Exception? inner = null) : Exception(message, inner);
