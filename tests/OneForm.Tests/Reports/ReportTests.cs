using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using MiniExcelLibs;
using OneForm.Data;
using OneForm.Organization;
using OneForm.Reports;
using OneForm.Testing;
using OneForm.Tests.Hosting;

namespace OneForm.Tests.Reports;

/// <summary>Reports of forms pushed without admission: filing with a photo, the case from received to closed, deductions.</summary>
[Collection(nameof(AppsCollection))]
public sealed class ReportTests(Apps apps)
{
    private static readonly System.Text.Json.JsonSerializerOptions Json = TestJson.Options;

    /// <summary>The smallest PNG there is: what a phone's photo looks like to the server, less the pixels.</summary>
    private static readonly byte[] Photo = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==");

    private static MultipartFormDataContent Filing(string title, string receivedOn, string? department = null, params (string Name, byte[] Content)[] files)
    {
        var content = new MultipartFormDataContent
        {
            { new StringContent(title), "formTitle" },
            { new StringContent("镇政府某办公室"), "sentBy" },
            { new StringContent("ChatMessage"), "channel" },
            { new StringContent(receivedOn), "receivedOn" },
            { new StringContent("微信群里要求当晚报送，没有准入编号。"), "details" },
        };
        if (department is not null)
        {
            content.Add(new StringContent(department), "sentByDepartment");
        }
        foreach (var (name, bytes) in files)
        {
            content.Add(new ByteArrayContent(bytes), "files", name);
        }
        return content;
    }

    private static async Task<string> NewDepartmentAsync(OneFormHost app) => await app.WithDbAsync(async db =>
    {
        var code = "T" + Guid.NewGuid().ToString("N")[..6].ToUpperInvariant();
        db.Departments.Add(new Department { Code = code, Name = "测试局" + code });
        await db.SaveChangesAsync();
        return code;
    });

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task A_cadre_reports_a_form_with_a_photo_and_only_the_reporter_and_the_gatekeeper_see_the_evidence(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var cadre = await PageSession.BearerAsync(app, "cadre.jinxiu", Demo.DemoSeed.DefaultPassword);
        var gatekeeper = await PageSession.BearerAsync(app, "gatekeeper", Demo.DemoSeed.DefaultPassword);
        var other = await PageSession.BearerAsync(app, (await app.CreateUserAsync(OneForm.Common.Role.Cadre, "652301004006")).UserName!);
        var department = await PageSession.BearerAsync(app, "dept.minzheng", Demo.DemoSeed.DefaultPassword);
        var today = DateTime.UtcNow.AddHours(8).ToString("yyyy-MM-dd");

        var filed = await cadre.PostAsync("/api/v1/reports", Filing("辖区养犬情况统计表", today, "MZJ", ("photo.png", Photo)));
        Assert.Equal(HttpStatusCode.Created, filed.StatusCode);
        var report = (await filed.Content.ReadFromJsonAsync<ReportView>(Json))!;
        Assert.Equal(("Received", "cadre.jinxiu"), (report.State, report.ReporterName));
        var evidence = Assert.Single(report.Evidence);
        Assert.Equal(("image/jpeg", "photo.jpg"), (evidence.ContentType, evidence.FileName));  // re-encoded by the photo intake

        var download = await cadre.GetAsync($"/api/v1/reports/{report.Id}/evidence/{evidence.Id}");
        using (var shown = SkiaSharp.SKBitmap.Decode(await download.Content.ReadAsByteArrayAsync()))
        {
            Assert.Equal((1, 1), (shown.Width, shown.Height));
        }
        Assert.Equal(HttpStatusCode.OK, (await gatekeeper.GetAsync($"/api/v1/reports/{report.Id}/evidence/{evidence.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/v1/reports/{report.Id}/evidence/{evidence.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/v1/reports/{report.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await department.GetAsync($"/api/v1/reports/{report.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await department.PostAsync("/api/v1/reports", Filing("部门自己举报", today))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await cadre.PostAsync($"/api/v1/reports/{report.Id}/investigate", null)).StatusCode);

        // Bad input is named: a program pretending to be a photo, a day in the future, no title.
        var bad = await cadre.PostAsync("/api/v1/reports", Filing("", "2999-01-01", null, ("照片.jpg", "MZ\u0090 not a photo"u8.ToArray())));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var problem = await bad.Content.ReadAsStringAsync();
        Assert.Contains("照片.jpg", problem);
        Assert.Contains("2999-01-01", problem);
        Assert.Contains("FormTitle", problem);
        Assert.Equal(1, await app.WithDbAsync(db => db.Reports.CountAsync(r => r.FormTitle == "辖区养犬情况统计表")));
        using var pigeon = new MultipartFormDataContent
        {
            { new StringContent("信鸽传来的表"), "formTitle" }, { new StringContent("某办"), "sentBy" }, { new StringContent("Pigeon"), "channel" },
            { new StringContent(today), "receivedOn" },
        };
        var badChannel = await cadre.PostAsync("/api/v1/reports", pigeon);
        Assert.Equal(HttpStatusCode.BadRequest, badChannel.StatusCode);
        Assert.Contains("Pigeon", await badChannel.Content.ReadAsStringAsync());

        // A second report about the same form is grouped with the first.
        var again = (await (await other.PostAsync("/api/v1/reports", Filing(" 辖区养犬情况统计表（人） ", today))).Content.ReadFromJsonAsync<ReportView>(Json))!;
        var seen = (await gatekeeper.GetFromJsonAsync<ReportView>($"/api/v1/reports/{again.Id}", Json))!;
        Assert.Equal(1, seen.ReportsAboutTheSameForm);  // the first report, the same title once its unit in brackets is set aside
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task A_substantiated_report_runs_to_a_closed_case_with_a_missed_deadline_and_costs_the_department_points(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var code = await NewDepartmentAsync(app);
        var cadre = await PageSession.BearerAsync(app, "cadre.jinxiu", Demo.DemoSeed.DefaultPassword);
        var gatekeeper = await PageSession.BearerAsync(app, "gatekeeper", Demo.DemoSeed.DefaultPassword);
        var today = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8));
        var report = (await (await cadre.PostAsync("/api/v1/reports", Filing("重复的入户走访登记表", today.ToString("yyyy-MM-dd"), code))).Content.ReadFromJsonAsync<ReportView>(Json))!;

        async Task<HttpResponseMessage> Step(string step, object? body = null) => body is null
            ? await gatekeeper.PostAsync($"/api/v1/reports/{report.Id}/{step}", null)
            : await gatekeeper.PostAsJsonAsync($"/api/v1/reports/{report.Id}/{step}", body, Json);

        Assert.Equal(HttpStatusCode.OK, (await Step("investigate")).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await Step("dismiss", new NoteBody(" "))).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await Step("substantiate", new FindingBody(null, null, true, null))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Step("substantiate", new FindingBody(code, "赵六", true, "未经准入向村（社区）下发表格。"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Step("interview", new InterviewBody(today, "约谈分管负责人。"))).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await Step("rectification", new RectificationBody(today.AddDays(-1)))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Step("rectification", new RectificationBody(today.AddDays(7)))).StatusCode);

        // The deadline passes without the rectification.
        await app.WithDbAsync(async db =>
        {
            var stored = await db.Reports.SingleAsync(r => r.Id == report.Id);
            stored.RectificationDue = today.AddDays(-1);
            return await db.SaveChangesAsync();
        });
        var overdue = (await gatekeeper.GetFromJsonAsync<List<ReportView>>("/api/v1/reports?overdue=true", Json))!;
        Assert.True(Assert.Single(overdue, r => r.Id == report.Id).Overdue);
        Assert.Equal(HttpStatusCode.Conflict, (await Step("close")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Step("rectified", new DateBody(today))).StatusCode);
        var closed = (await (await Step("close")).Content.ReadFromJsonAsync<ReportView>(Json))!;
        Assert.Equal(("Closed", false), (closed.State, closed.Overdue));

        // The reporter follows the case; the department sees it, without the reporter's name.
        Assert.Equal("Closed", (await cadre.GetFromJsonAsync<ReportView>($"/api/v1/reports/{report.Id}", Json))!.State);
        var user = await app.CreateUserAsync(OneForm.Common.Role.Department, departmentCode: code);
        var department = await PageSession.BearerAsync(app, user.UserName!);
        var theirs = (await department.GetFromJsonAsync<ReportView>($"/api/v1/reports/{report.Id}", Json))!;
        Assert.Equal((null, null, "赵六"), (theirs.ReporterName, theirs.ReporterUnit, theirs.ResponsibleDesigner));
        Assert.Empty(theirs.Evidence);

        // The assessment: 2 points for the substantiated report and 3 for the form without admission, from 100.
        var year = today.Year;
        var rows = (await gatekeeper.GetFromJsonAsync<List<AssessmentRow>>($"/api/v1/assessment/{year}", Json))!;
        var row = rows.Single(r => r.Department == code);
        Assert.Equal((1, 1, 5m, 95m), (row.SubstantiatedReports, row.FormsWithoutAdmission, row.Points, row.Score));
        Assert.All(row.Lines, l => Assert.Equal(report.Id, l.ReportId));
        Assert.Equal(HttpStatusCode.Forbidden, (await cadre.GetAsync($"/api/v1/assessment/{year}")).StatusCode);
        var xlsx = await gatekeeper.GetByteArrayAsync($"/api/v1/assessment/{year}.xlsx");
        var sheet = MiniExcel.Query(new MemoryStream(xlsx), useHeaderRow: true).Cast<IDictionary<string, object?>>().ToList();
        var total = sheet.First(r => (string?)r["行业部门"] == "测试局" + code);
        Assert.Equal(95m, Convert.ToDecimal(total["得分"], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(2, sheet.Count(r => (string?)r["行业部门"] == "测试局" + code && r["举报"] is not null));
    }
}
