using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using Amazon.Runtime;
using Amazon.S3;
using Microsoft.Extensions.DependencyInjection;
using OneForm.Data;
using OneForm.Media;
using OneForm.Testing;
using OneForm.Tests.Hosting;
using SkiaSharp;

namespace OneForm.Tests.Media;

/// <summary>
/// Photos in an S3-compatible object store, as several app nodes keep them. No S3 or MinIO can run on this machine;
/// moto's S3 server (Python, installed with the machine) answers the S3 protocol over HTTP on 127.0.0.1, so the real
/// SDK talks to a real server process.
/// </summary>
public sealed class ObjectStoreTests
{
    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [Fact]
    public async Task Photos_go_to_the_object_store_once_each_and_come_back_from_it()
    {
        var port = FreePort();
        using var server = Process.Start(new ProcessStartInfo("moto_server", ["-H", "127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        }) ?? throw new InvalidOperationException("moto_server (Python moto[server]) is needed for this test");
        try
        {
            var url = $"http://127.0.0.1:{port}";
            using var s3 = new AmazonS3Client(new BasicAWSCredentials("oneform", "oneform-secret"),
                new AmazonS3Config { ServiceURL = url, ForcePathStyle = true, AuthenticationRegion = "us-east-1" });
            for (var attempt = 0; ; attempt++)
            {
                try
                {
                    await s3.PutBucketAsync("oneform-photos");
                    break;
                }
                catch (Exception e) when (attempt < 100 && e is HttpRequestException or AmazonServiceException or AmazonClientException)
                {
                    await Task.Delay(100);  // the server is still starting
                }
            }
            await using var app = await OneFormHost.StartAsync(DatabaseProvider.Sqlite, settings: new Dictionary<string, string?>
            {
                ["Storage:Provider"] = "S3",
                ["Storage:S3:ServiceUrl"] = url,
                ["Storage:S3:Bucket"] = "oneform-photos",
                ["Storage:S3:AccessKey"] = "oneform",
                ["Storage:S3:SecretKey"] = "oneform-secret",
                ["Storage:S3:Prefix"] = "changji/",
            });
            var cadre = await PageSession.BearerAsync(app, "cadre.jinxiu", Demo.DemoSeed.DefaultPassword);
            var meeting = (await (await cadre.PostAsJsonAsync("/api/v1/activities",
                new ActivityRequest(OneForm.Media.ActivityKind.GroupMeeting, DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8)), Participants: 9), TestJson.Options))
                .Content.ReadFromJsonAsync<ActivityView>(TestJson.Options))!;
            var photo = TestPhotos.Jpeg(2000, 1500, SKColors.IndianRed);
            PhotoView? view = null;
            for (var i = 0; i < 2; i++)
            {
                var content = new ByteArrayContent(photo);
                content.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
                var response = await cadre.PostAsync($"/api/v1/photos?activity={meeting.Id}", content);
                Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
                view = await response.Content.ReadFromJsonAsync<PhotoView>(TestJson.Options);
            }

            var objects = (await s3.ListObjectsV2Async(new Amazon.S3.Model.ListObjectsV2Request { BucketName = "oneform-photos" })).S3Objects;
            Assert.Equal(2, objects.Count);  // the photo and its thumbnail, once, however often it was sent
            Assert.All(objects, o => Assert.StartsWith("changji/", o.Key, StringComparison.Ordinal));
            using var served = SKBitmap.Decode(await cadre.GetByteArrayAsync(view!.File));
            Assert.Equal(1600, served.Width);

            // A finished export goes to the same store, so whichever node answers can hand it over.
            var gatekeeper = await PageSession.BearerAsync(app, "gatekeeper", Demo.DemoSeed.DefaultPassword);
            var queued = await gatekeeper.PostAsJsonAsync("/api/v1/exports/roster", new OneForm.Sharing.RosterExportRequest("652301004000"), TestJson.Options);
            var export = (await queued.Content.ReadFromJsonAsync<OneForm.Sharing.ExportView>(TestJson.Options))!;
            export = await OneForm.Tests.Sharing.ExportProgress.FinishedAsync(gatekeeper, export, queued.Headers.Location!.ToString());
            Assert.Equal("Done", export.State);
            var rows = MiniExcelLibs.MiniExcel.Query(new MemoryStream(await gatekeeper.GetByteArrayAsync(export.Download!)), useHeaderRow: true).Count();
            Assert.Equal(export.RowsTotal, rows);
            objects = (await s3.ListObjectsV2Async(new Amazon.S3.Model.ListObjectsV2Request { BucketName = "oneform-photos", Prefix = "changji/exports/" })).S3Objects;
            Assert.Single(objects);
            Assert.False(Directory.Exists(app.Services.GetRequiredService<LocalFileStore>().Root), "nothing went to the local disk");
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
        }
    }
}
