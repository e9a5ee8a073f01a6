using System.Net;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace OneForm.Common;

/// <summary>
/// Files in an S3-compatible object store (MinIO, Ceph, a cloud's object storage), for several app nodes:
/// <c>Storage:Provider</c> = S3 with <c>Storage:S3:ServiceUrl</c>, <c>Bucket</c>, <c>AccessKey</c>, <c>SecretKey</c>,
/// optionally <c>Region</c> and <c>Prefix</c>. Keys are the same content-addressed keys as on the local disk.
/// </summary>
public sealed class ObjectStore : IFileStore, IDisposable
{
    private readonly AmazonS3Client client;
    private readonly string bucket;
    private readonly string prefix;

    public ObjectStore(IConfiguration configuration)
    {
        var section = configuration.GetSection("Storage:S3");
        bucket = section["Bucket"] is { Length: > 0 } name ? name : throw new InvalidOperationException("Storage:S3:Bucket is not set.");
        prefix = section["Prefix"] ?? "";
        var config = new AmazonS3Config
        {
            ServiceURL = section["ServiceUrl"] is { Length: > 0 } url ? url : throw new InvalidOperationException("Storage:S3:ServiceUrl is not set."),
            ForcePathStyle = section.GetValue("ForcePathStyle", true),
            AuthenticationRegion = section["Region"] ?? "us-east-1",
            // S3-compatible stores do not all know the newer checksums: send and check them only where required.
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        };
        client = new AmazonS3Client(new BasicAWSCredentials(section["AccessKey"], section["SecretKey"]), config);
    }

    private string Name(string key) => prefix + key;

    public async Task<bool> ExistsAsync(string key, CancellationToken cancellationToken = default)
    {
        try
        {
            await client.GetObjectMetadataAsync(bucket, Name(key), cancellationToken);
            return true;
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    public async Task PutAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        if (await ExistsAsync(key, cancellationToken))
        {
            return;
        }
        using var body = new MemoryStream(content.ToArray(), writable: false);
        await client.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = Name(key), InputStream = body, AutoCloseStream = false }, cancellationToken);
    }

    public async Task PutFileAsync(string key, string path, CancellationToken cancellationToken = default) =>
        await client.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = Name(key), FilePath = path }, cancellationToken);

    public async Task<Stream?> OpenAsync(string key, CancellationToken cancellationToken = default)
    {
        try
        {
            return new Download(await client.GetObjectAsync(bucket, Name(key), cancellationToken));
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public Task DeleteAsync(string key, CancellationToken cancellationToken = default) =>
        client.DeleteObjectAsync(bucket, Name(key), cancellationToken);

    public void Dispose() => client.Dispose();

    /// <summary>The object's content as it arrives, closing the answer with the stream (a large export is not held in memory).</summary>
    private sealed class Download(GetObjectResponse response) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => response.ContentLength;
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => response.ResponseStream.Read(buffer, offset, count);
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            response.ResponseStream.ReadAsync(buffer, cancellationToken);
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                response.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}
