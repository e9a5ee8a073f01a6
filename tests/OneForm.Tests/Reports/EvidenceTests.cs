using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using MetadataExtractor;
using MetadataExtractor.Formats.Exif;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OneForm.Accounts;
using OneForm.Data;
using OneForm.Reports;
using OneForm.Testing;
using OneForm.Tests.Hosting;
using OneForm.Tests.Media;
using SkiaSharp;

namespace OneForm.Tests.Reports;

/// <summary>A report's evidence goes through the photo intake into the file store: no location, no bytes in the database, no script kept.</summary>
[Collection(nameof(AppsCollection))]
public sealed class EvidenceTests(Apps apps)
{
    private const string Jinxiu = "652301004002";  // 锦绣社区

    private static MultipartFormDataContent Filing(string title, params (string Name, byte[] Content)[] files)
    {
        var content = new MultipartFormDataContent
        {
            { new StringContent(title), "formTitle" },
            { new StringContent("镇政府某办公室"), "sentBy" },
            { new StringContent("ChatMessage"), "channel" },
            { new StringContent(DateTime.UtcNow.AddHours(8).ToString("yyyy-MM-dd")), "receivedOn" },
        };
        foreach (var (name, bytes) in files)
        {
            content.Add(new ByteArrayContent(bytes), "files", name);
        }
        return content;
    }

    private static string[] StoredFiles(OneFormHost app)
    {
        var root = app.Services.GetRequiredService<LocalFileStore>().Root;
        return System.IO.Directory.Exists(root) ? System.IO.Directory.GetFiles(root, "*", SearchOption.AllDirectories) : [];
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task A_photo_filed_as_evidence_comes_back_without_where_it_was_taken_from_the_file_store_and_its_download_is_audited(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var cadre = await PageSession.BearerAsync(app, (await app.CreateUserAsync(Role.Cadre, Jinxiu)).UserName!);
        var gatekeeper = await PageSession.BearerAsync(app, "gatekeeper", Demo.DemoSeed.DefaultPassword);
        var photo = TestPhotos.Jpeg(800, 600, new SKColor((byte)Random.Shared.Next(256), 90, 40), taken: new DateTime(2026, 11, 2, 20, 15, 0), location: (44.0117, 87.3079));
        Assert.NotNull(ImageMetadataReader.ReadMetadata(new MemoryStream(photo)).OfType<GpsDirectory>().Single().GetGeoLocation());  // the phone wrote where

        var filed = await cadre.PostAsync("/api/v1/reports", Filing("夜间入户登记表", ("IMG_0815.jpg", photo)));
        Assert.True(filed.StatusCode == HttpStatusCode.Created, await filed.Content.ReadAsStringAsync());
        var report = (await filed.Content.ReadFromJsonAsync<ReportView>(TestJson.Options))!;
        var evidence = Assert.Single(report.Evidence);

        var download = await gatekeeper.GetAsync($"/api/v1/reports/{report.Id}/evidence/{evidence.Id}");
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        var served = await download.Content.ReadAsByteArrayAsync();
        Assert.Empty(ImageMetadataReader.ReadMetadata(new MemoryStream(served)).OfType<GpsDirectory>());
        using (var shown = SKBitmap.Decode(served))
        {
            Assert.Equal((800, 600), (shown.Width, shown.Height));
        }

        // The file is in the store under the key the row keeps, and the row holds no bytes.
        var key = await app.WithDbAsync(db => db.ReportEvidence.Where(e => e.Id == evidence.Id).Select(e => e.StoredKey).SingleAsync());
        var root = app.Services.GetRequiredService<LocalFileStore>().Root;
        Assert.Equal(served, await File.ReadAllBytesAsync(Path.Combine(root, key)));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(served)), Path.GetFileNameWithoutExtension(key));
        Assert.DoesNotContain(await app.WithDbAsync(db => Task.FromResult(db.Model.FindEntityType(typeof(ReportEvidence))!.GetProperties().Select(p => p.ClrType).ToList())),
            type => type == typeof(byte[]));

        var audited = await app.WithDbAsync(db => db.AuditEntries.Where(a => a.Kind == "ReportEvidence.Downloaded" && a.EntityKey == evidence.Id.ToString()).ToListAsync());
        var gatekeeperId = await app.WithDbAsync(db => db.Users.Where(u => u.UserName == "gatekeeper").Select(u => u.Id).SingleAsync());
        Assert.Equal(gatekeeperId, Assert.Single(audited).ActorId);
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task A_script_named_jpg_or_a_pdf_that_only_begins_like_one_is_refused_by_name_and_nothing_is_stored(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var cadre = await PageSession.BearerAsync(app, (await app.CreateUserAsync(Role.Cadre, Jinxiu)).UserName!);
        var good = TestPhotos.Jpeg(120, 90, new SKColor(20, (byte)Random.Shared.Next(256), 200));
        var title = "脚本举报" + Guid.NewGuid().ToString("N")[..6];
        var before = StoredFiles(app).Length;

        var script = await cadre.PostAsync("/api/v1/reports", Filing(title, ("ok.jpg", good), ("现场照片.jpg", "<script>fetch('/api/v1/me')</script>"u8.ToArray())));
        var cutPdf = await cadre.PostAsync("/api/v1/reports", Filing(title, ("通知.pdf", "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n"u8.ToArray())));

        Assert.Equal(HttpStatusCode.BadRequest, script.StatusCode);
        Assert.Contains("现场照片.jpg不是照片", await script.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, cutPdf.StatusCode);
        Assert.Contains("通知.pdf", await cutPdf.Content.ReadAsStringAsync());
        Assert.Equal(0, await app.WithDbAsync(db => db.Reports.CountAsync(r => r.FormTitle == title)));
        Assert.Equal(before, StoredFiles(app).Length);  // not even the good photo of the refused filing

        // A whole PDF is evidence too, kept as sent in the store.
        var pdf = "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"u8.ToArray();
        var filed = await cadre.PostAsync("/api/v1/reports", Filing(title, ("通知.pdf", pdf)));
        Assert.Equal(HttpStatusCode.Created, filed.StatusCode);
        var report = (await filed.Content.ReadFromJsonAsync<ReportView>(TestJson.Options))!;
        var evidence = Assert.Single(report.Evidence);
        Assert.Equal("application/pdf", evidence.ContentType);
        Assert.Equal(pdf, await cadre.GetByteArrayAsync($"/api/v1/reports/{report.Id}/evidence/{evidence.Id}"));
        Assert.Equal(before + 1, StoredFiles(app).Length);
    }
}
