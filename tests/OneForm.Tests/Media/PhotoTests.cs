using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using MetadataExtractor;
using MetadataExtractor.Formats.Exif;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OneForm.Accounts;
using OneForm.Accounts.Tokens;
using OneForm.Data;
using OneForm.Media;
using OneForm.Testing;
using OneForm.Tests.Hosting;
using SkiaSharp;

namespace OneForm.Tests.Media;

/// <summary>Photos from phones and devices: kept once, proven to be photos, stripped of location, served only in scope.</summary>
[Collection(nameof(AppsCollection))]
public sealed class PhotoTests(Apps apps)
{
    private static readonly System.Text.Json.JsonSerializerOptions Json = TestJson.Options;
    private const string Jinxiu = "652301004002";  // 锦绣社区

    private static async Task<ActivityView> RecordAsync(HttpClient cadre, ActivityRequest request)
    {
        var response = await cadre.PostAsJsonAsync("/api/v1/activities", request, Json);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<ActivityView>(Json))!;
    }

    private static Task<HttpResponseMessage> UploadAsync(HttpClient client, byte[] photo, string query)
    {
        var content = new ByteArrayContent(photo);
        content.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
        return client.PostAsync($"/api/v1/photos?{query}", content);
    }

    private static int StoredFiles(OneFormHost app) =>
        System.IO.Directory.Exists(app.Services.GetRequiredService<LocalFileStore>().Root)
            ? System.IO.Directory.GetFiles(app.Services.GetRequiredService<LocalFileStore>().Root, "*", SearchOption.AllDirectories).Length
            : 0;

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task A_retried_upload_is_one_photo_and_what_is_not_a_photo_or_too_large_leaves_nothing(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var jinxiu = await app.WithDbAsync(db => db.OrgUnits.SingleAsync(u => u.Name == "锦绣社区居民委员会"));
        var cadre = await PageSession.BearerAsync(app, "cadre.jinxiu", Demo.DemoSeed.DefaultPassword);
        var meeting = await RecordAsync(cadre, new ActivityRequest(ActivityKind.BranchCommittee, DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8)).AddDays(-1),
            Participants: 7, Minutes: "学习传达上级会议精神，研究社区养老服务站建设。", Unit: jinxiu.Code));
        var photo = TestPhotos.Jpeg(1200, 900, new SKColor((byte)Random.Shared.Next(256), 80, 120));

        var first = await UploadAsync(cadre, photo, $"activity={meeting.Id}");
        var again = await UploadAsync(cadre, photo, $"activity={meeting.Id}");  // the answer was lost; the phone sends it again
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var (one, two) = ((await first.Content.ReadFromJsonAsync<PhotoView>(Json))!, (await again.Content.ReadFromJsonAsync<PhotoView>(Json))!);
        Assert.Equal(one.Id, two.Id);
        var shown = (await cadre.GetFromJsonAsync<ActivityView>($"/api/v1/activities/{meeting.Id}", Json))!;
        Assert.Equal([one.Id], shown.Photos.Select(p => p.Id));
        var files = StoredFiles(app);
        var photos = await app.WithDbAsync(db => db.Photos.CountAsync());

        // A PDF renamed to .jpg, a script, an empty body, and a photo over the limit: refused with a message; nothing kept.
        var pdf = await UploadAsync(cadre, "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF"u8.ToArray(), $"activity={meeting.Id}");
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, pdf.StatusCode);
        Assert.Contains("不是照片", await pdf.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await UploadAsync(cadre, "<script>alert(1)</script>"u8.ToArray(), $"activity={meeting.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await UploadAsync(cadre, [], $"activity={meeting.Id}")).StatusCode);
        var huge = await UploadAsync(cadre, new byte[11 * 1024 * 1024], $"activity={meeting.Id}");
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, huge.StatusCode);
        Assert.Contains("11 MB", await huge.Content.ReadAsStringAsync());
        Assert.Equal((files, photos), (StoredFiles(app), await app.WithDbAsync(db => db.Photos.CountAsync())));

        // An upload cut off halfway: nothing kept either.
        var cut = new StreamContent(new BreakingStream(photo, breakAfter: photo.Length / 2));
        cut.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
        await Assert.ThrowsAnyAsync<Exception>(() => cadre.PostAsync($"/api/v1/photos?activity={meeting.Id}", cut));
        Assert.Equal((files, photos), (StoredFiles(app), await app.WithDbAsync(db => db.Photos.CountAsync())));
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task A_photo_is_kept_upright_scaled_with_its_time_and_without_its_location_and_gets_a_thumbnail(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var cadre = await PageSession.BearerAsync(app, "cadre.jinxiu", Demo.DemoSeed.DefaultPassword);
        var today = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8));
        var meeting = await RecordAsync(cadre, new ActivityRequest(ActivityKind.PartyLesson, today, "党课：学习新修订的条例", Participants: 23));
        var taken = today.ToDateTime(new TimeOnly(9, 41, 5)).AddDays(0);
        // A phone held upright writes a landscape picture and orientation 6 (turn 90° clockwise), with time and place.
        var upload = TestPhotos.Jpeg(3000, 2000, new SKColor(20, (byte)Random.Shared.Next(256), 40), taken, orientation: 6, location: (44.0113, 87.3047));
        Assert.NotNull(ImageMetadataReader.ReadMetadata(new MemoryStream(upload)).OfType<GpsDirectory>().Single().GetGeoLocation());

        var uploaded = await UploadAsync(cadre, upload, $"activity={meeting.Id}");
        Assert.True(uploaded.StatusCode == HttpStatusCode.Created, await uploaded.Content.ReadAsStringAsync());
        var view = (await uploaded.Content.ReadFromJsonAsync<PhotoView>(Json))!;
        Assert.Equal((1067, 1600), (view.Width, view.Height));
        Assert.Equal(new DateTimeOffset(taken, TimeSpan.FromHours(8)), view.TakenAt);
        var stored = await cadre.GetByteArrayAsync(view.File);
        using (var decoded = SKBitmap.Decode(stored))
        {
            Assert.Equal((1067, 1600), (decoded.Width, decoded.Height));
            // The gold mark of the top-left corner is now at the top right: the pixels were turned, not just tagged.
            Assert.True(decoded.GetPixel(decoded.Width - 5, 5).Red > 200, "the photo was turned upright");
        }
        Assert.Empty(ImageMetadataReader.ReadMetadata(new MemoryStream(stored)).OfType<GpsDirectory>());
        using (var thumbnail = SKBitmap.Decode(await cadre.GetByteArrayAsync(view.Thumbnail)))
        {
            Assert.Equal(320, Math.Max(thumbnail.Width, thumbnail.Height));
        }

        // A unit that keeps locations (the administrator decides; a cadre cannot) keeps them in a photo that needs no change.
        var admin = await PageSession.BearerAsync(app, "admin", Demo.DemoSeed.DefaultPassword);
        Assert.Equal(HttpStatusCode.Forbidden, (await cadre.PutAsJsonAsync($"/api/v1/org-units/{Jinxiu}/photo-location", new OneForm.Organization.PhotoLocationSetting(true), Json)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PutAsJsonAsync($"/api/v1/org-units/{Jinxiu}/photo-location", new OneForm.Organization.PhotoLocationSetting(true), Json)).StatusCode);
        try
        {
            var keeping = await UploadAsync(cadre, TestPhotos.Jpeg(800, 600, SKColors.Olive, taken, location: (44.0113, 87.3047)), $"activity={meeting.Id}");
            Assert.True(keeping.StatusCode == HttpStatusCode.Created, await keeping.Content.ReadAsStringAsync());
            var kept = (await keeping.Content.ReadFromJsonAsync<PhotoView>(Json))!;
            Assert.NotEmpty(ImageMetadataReader.ReadMetadata(new MemoryStream(await cadre.GetByteArrayAsync(kept.File))).OfType<GpsDirectory>());
        }
        finally
        {
            await admin.PutAsJsonAsync($"/api/v1/org-units/{Jinxiu}/photo-location", new OneForm.Organization.PhotoLocationSetting(false), Json);
        }

        // Only the unit, the reviewers above it, the gatekeeper and the administrator see the photo.
        var reviewer = await PageSession.BearerAsync(app, "reviewer.jianguolu", Demo.DemoSeed.DefaultPassword);
        Assert.Equal(HttpStatusCode.OK, (await reviewer.GetAsync(view.Thumbnail)).StatusCode);
        var neighbour = await PageSession.BearerAsync(app, (await app.CreateUserAsync(Role.Cadre, "652301004003")).UserName!);
        var otherStreet = await PageSession.BearerAsync(app, (await app.CreateUserAsync(Role.Reviewer, "652301005000")).UserName!);
        var department = await PageSession.BearerAsync(app, "dept.minzheng", Demo.DemoSeed.DefaultPassword);
        foreach (var outsider in new[] { neighbour, otherStreet, department })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await outsider.GetAsync(view.File)).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await outsider.GetAsync(view.Thumbnail)).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await outsider.GetAsync($"/api/v1/activities/{meeting.Id}")).StatusCode);
        }
        Assert.Equal(HttpStatusCode.NotFound, (await UploadAsync(neighbour, TestPhotos.Jpeg(10, 10), $"activity={meeting.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await reviewer.PostAsJsonAsync("/api/v1/activities",
            new ActivityRequest(ActivityKind.HouseholdVisit, today, Unit: Jinxiu), Json)).StatusCode);
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task A_devices_photos_land_in_the_activity_of_that_time_or_in_the_inbox_and_a_revoked_device_is_refused(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var admin = await PageSession.BearerAsync(app, "admin", Demo.DemoSeed.DefaultPassword);
        var cadre = await PageSession.BearerAsync(app, "cadre.jinxiu", Demo.DemoSeed.DefaultPassword);
        var issued = await admin.PostAsJsonAsync("/api/v1/access-tokens", new IssueTokenRequest("锦绣社区会议室摄像头", TokenHolder.Device, null, Jinxiu, null), Json);
        Assert.Equal(HttpStatusCode.Created, issued.StatusCode);
        var token = (await issued.Content.ReadFromJsonAsync<IssuedTokenResponse>(Json))!;
        var camera = app.CreateClient();
        camera.DefaultRequestHeaders.Authorization = new("Bearer", token.Token);

        var day = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8)).AddDays(-2);
        var assembly = await RecordAsync(cadre, new ActivityRequest(ActivityKind.MembersAssembly, day, StartsAt: new TimeOnly(15, 0), EndsAt: new TimeOnly(16, 30), Participants: 31));
        var during = new DateTimeOffset(day.ToDateTime(new TimeOnly(15, 20)), TimeSpan.FromHours(8));
        var evening = new DateTimeOffset(day.ToDateTime(new TimeOnly(21, 0)), TimeSpan.FromHours(8));

        var landing = await UploadAsync(camera, TestPhotos.Jpeg(640, 480, SKColors.Teal), $"takenAt={Uri.EscapeDataString(during.ToString("O"))}");
        Assert.True(landing.IsSuccessStatusCode, await landing.Content.ReadAsStringAsync());
        var landed = (await landing.Content.ReadFromJsonAsync<PhotoView>(Json))!;
        Assert.Equal(during, landed.TakenAt);
        Assert.Equal((assembly.Id, true), (landed.Activity, landed.FromDevice));
        var waiting = await UploadAsync(camera, TestPhotos.Jpeg(640, 480, SKColors.Maroon), $"takenAt={Uri.EscapeDataString(evening.ToString("O"))}");
        var inboxed = (await waiting.Content.ReadFromJsonAsync<PhotoView>(Json))!;
        Assert.Null(inboxed.Activity);
        Assert.Contains(inboxed.Id, (await cadre.GetFromJsonAsync<List<PhotoView>>("/api/v1/photos/inbox", Json))!.Select(p => p.Id));
        Assert.Equal(HttpStatusCode.OK, (await cadre.PostAsJsonAsync($"/api/v1/photos/{inboxed.Id}/attach", new AttachRequest(assembly.Id), Json)).StatusCode);
        Assert.Equal(2, (await cadre.GetFromJsonAsync<ActivityView>($"/api/v1/activities/{assembly.Id}", Json))!.Photos.Count);

        // The device reaches only its own unit, and nothing once revoked.
        Assert.Equal(HttpStatusCode.NotFound, (await UploadAsync(camera, TestPhotos.Jpeg(64, 48), "unit=652301004003")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/v1/access-tokens/{token.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await UploadAsync(camera, TestPhotos.Jpeg(64, 48, SKColors.Navy), "")).StatusCode);
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task Departments_see_counts_of_activities_only_through_the_owner_or_a_grant_and_never_counts_of_photos(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var cadre = await PageSession.BearerAsync(app, "cadre.jinxiu", Demo.DemoSeed.DefaultPassword);
        var organisation = await PageSession.BearerAsync(app, (await app.CreateUserAsync(Role.Department, departmentCode: "ZZB")).UserName!);
        var welfare = await PageSession.BearerAsync(app, (await app.CreateUserAsync(Role.Department, departmentCode: "MZJ")).UserName!);
        var reviewer = await PageSession.BearerAsync(app, "reviewer.jianguolu", Demo.DemoSeed.DefaultPassword);
        var today = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8));
        var street = $"/api/v1/activities/counts?unit=652301004000&from={today.AddDays(-30):yyyy-MM-dd}&to={today:yyyy-MM-dd}";
        async Task<int> LessonsAsync(HttpClient client) =>
            (await client.GetFromJsonAsync<List<ActivityCount>>(street, Json))!.SingleOrDefault(c => c.Unit == Jinxiu)?.Kinds.GetValueOrDefault("PartyLesson") ?? 0;

        var before = await LessonsAsync(organisation);
        var lesson = await RecordAsync(cadre, new ActivityRequest(ActivityKind.PartyLesson, today, Participants: 15));
        await UploadAsync(cadre, TestPhotos.Jpeg(300, 200, new SKColor(9, 9, (byte)Random.Shared.Next(256))), $"activity={lesson.Id}");
        Assert.Equal(before + 1, await LessonsAsync(organisation));  // 组织部 owns the 三会一课 figures
        Assert.Equal(before + 1, await LessonsAsync(reviewer));
        var answer = await organisation.GetStringAsync(street);
        Assert.DoesNotContain("photo", answer, StringComparison.OrdinalIgnoreCase);

        // 民政局 sees nothing until 组织部 grants it the figures for the street, and then only that street.
        Assert.Equal(HttpStatusCode.Forbidden, (await welfare.GetAsync(street)).StatusCode);
        var grant = (await (await welfare.PostAsJsonAsync("/api/v1/grants", new OneForm.Sharing.GrantRequest([MediaApi.CountsElement], "652301004000", today.Year, today.Year, "社区服务统筹"), Json))
            .Content.ReadFromJsonAsync<OneForm.Sharing.GrantView>(Json))!;
        Assert.Equal(HttpStatusCode.OK, (await organisation.PostAsJsonAsync($"/api/v1/grants/{grant.Id}/approve", new OneForm.Sharing.GrantDecision(null, null), Json)).StatusCode);
        Assert.Equal(before + 1, await LessonsAsync(welfare));
        Assert.Equal(HttpStatusCode.Forbidden, (await welfare.GetAsync(street.Replace("652301004000", "652301000000", StringComparison.Ordinal))).StatusCode);
        var neighbour = await PageSession.BearerAsync(app, (await app.CreateUserAsync(Role.Cadre, "652301004003")).UserName!);
        Assert.Equal(HttpStatusCode.Forbidden, (await neighbour.GetAsync(street)).StatusCode);
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task Without_script_a_bad_file_is_named_and_nothing_is_recorded_until_the_form_is_sent_again_without_it(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var cadre = await PageSession.SignedInAsync(app, "cadre.jinxiu", Demo.DemoSeed.DefaultPassword);
        var title = "入户走访 " + Guid.NewGuid().ToString("N")[..6];
        var good = TestPhotos.Jpeg(2000, 1000, new SKColor(200, (byte)Random.Shared.Next(256), 10));
        async Task<HttpResponseMessage> SendAsync(params (byte[] Bytes, string Name)[] files)
        {
            var html = await cadre.GetHtmlAsync("/Activities/New");
            var token = System.Text.RegularExpressions.Regex.Match(html, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
            using var form = new MultipartFormDataContent
            {
                { new StringContent(token), "__RequestVerificationToken" },
                { new StringContent("HouseholdVisit"), "Kind" },
                { new StringContent(title), "Title" },
                { new StringContent(DateTime.UtcNow.AddHours(8).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)), "OccurredOn" },
                { new StringContent("3"), "Participants" },
            };
            foreach (var (bytes, name) in files)
            {
                form.Add(new ByteArrayContent(bytes), "photoFiles", name);
            }
            return await cadre.Client.PostAsync("/Activities/New", form);
        }

        var refused = await SendAsync((good, "visit.jpg"), ("%PDF-1.4 not a photo"u8.ToArray(), "scan.jpg"));
        var page = await refused.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains("未记录任何内容", page);
        Assert.Contains("scan.jpg", page);
        Assert.Contains(title, page);  // what was typed is still in the form
        Assert.Equal(0, await app.WithDbAsync(db => db.Activities.CountAsync(a => a.Title == title)));

        var sent = await SendAsync((good, "visit.jpg"));
        Assert.Equal(HttpStatusCode.Redirect, sent.StatusCode);
        var saved = await app.WithDbAsync(db => db.Activities.Include(a => a.Photos).SingleAsync(a => a.Title == title));
        Assert.Equal((1, 1600), (saved.Photos.Count, saved.Photos[0].Width));
        Assert.Contains(title, await cadre.GetHtmlAsync("/Activities"));
    }

    /// <summary>A request body that fails partway, as a connection dropping does.</summary>
    private sealed class BreakingStream(byte[] content, int breakAfter) : Stream
    {
        private int position;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => content.Length;
        public override long Position { get => position; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (position >= breakAfter)
            {
                throw new IOException("the network went away");
            }
            var n = Math.Min(count, breakAfter - position);
            Array.Copy(content, position, buffer, offset, n);
            position += n;
            return n;
        }
    }
}
