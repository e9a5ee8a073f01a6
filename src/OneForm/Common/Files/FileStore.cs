namespace OneForm.Common;

/// <summary>
/// Where photos (and later import and export files) live, addressed by the hash of their content: the same bytes are
/// one file however often they are stored. The local disk by default; an object store for several app nodes.
/// </summary>
public interface IFileStore
{
    Task<bool> ExistsAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Stores the bytes under the key unless a file is there already (same key, same content).</summary>
    Task PutAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default);

    /// <summary>Stores a file from the local disk under the key, without reading it into memory (large exports).</summary>
    Task PutFileAsync(string key, string path, CancellationToken cancellationToken = default);

    /// <summary>The file, or null when there is none.</summary>
    Task<Stream?> OpenAsync(string key, CancellationToken cancellationToken = default);

    Task DeleteAsync(string key, CancellationToken cancellationToken = default);
}

/// <summary>Files under <c>Storage:Directory</c> (<c>data/files</c>), written to a temporary name first and then moved into place.</summary>
public sealed class LocalFileStore(IConfiguration configuration) : IFileStore
{
    public string Root { get; } = Path.GetFullPath(configuration["Storage:Directory"] is { Length: > 0 } folder ? folder : "data/files");

    private string PathOf(string key)
    {
        if (key.Contains("..", StringComparison.Ordinal) || Path.IsPathRooted(key))
        {
            throw new ArgumentException($"'{key}' is not a storage key", nameof(key));
        }
        return Path.Combine(Root, key);
    }

    public Task<bool> ExistsAsync(string key, CancellationToken cancellationToken = default) => Task.FromResult(File.Exists(PathOf(key)));

    public async Task PutAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        var path = PathOf(key);
        if (File.Exists(path))
        {
            return;
        }
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = $"{path}.{Guid.NewGuid():N}.part";
        try
        {
            await File.WriteAllBytesAsync(temporary, content.ToArray(), cancellationToken);
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    public Task PutFileAsync(string key, string path, CancellationToken cancellationToken = default)
    {
        var target = PathOf(key);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var temporary = $"{target}.{Guid.NewGuid():N}.part";
        try
        {
            File.Copy(path, temporary);
            File.Move(temporary, target, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
        return Task.CompletedTask;
    }

    public Task<Stream?> OpenAsync(string key, CancellationToken cancellationToken = default)
    {
        var path = PathOf(key);
        return Task.FromResult<Stream?>(File.Exists(path)
            ? new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.Asynchronous)
            : null);
    }

    public Task DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        File.Delete(PathOf(key));
        return Task.CompletedTask;
    }
}
