using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using OneForm.Accounts;
using OneForm.Collection;
using OneForm.Data;
using OneForm.Dictionary;
using OneForm.Tests.Hosting;

namespace OneForm.Tests.Web;

/// <summary>Inputs that used to fail the server or pass unnoticed get a 400 that names the field, in Chinese.</summary>
[Collection(nameof(AppsCollection))]
public sealed class InputAnswerTests(Apps apps)
{
    /// <summary>The problem's field and its message; asserts the answer is a Chinese problem.</summary>
    private static async Task<(string Field, string Message)> RefusalAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode} {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(body);
        Assert.Matches("[\u4e00-\u9fff]", problem.RootElement.GetProperty("title").GetString());
        var error = problem.RootElement.GetProperty("errors").EnumerateObject().First();
        var message = error.Value[0].GetString()!;
        Assert.Matches("[\u4e00-\u9fff]", message);
        return (error.Name, message);
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task Binding_failures_are_Chinese_problems_naming_the_field(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var admin = await PageSession.BearerAsync(app, (await app.CreateUserAsync(Role.Administrator)).UserName!);

        var malformed = await RefusalAsync(await app.CreateClient().PostAsync("/api/v1/auth/login", new StringContent("{\"userName\": ", Encoding.UTF8, "application/json")));
        var wrongType = await RefusalAsync(await admin.PostAsync("/api/v1/access-tokens",
            new StringContent("{\"name\": \"x\", \"holder\": \"Device\", \"validDays\": \"many\"}", Encoding.UTF8, "application/json")));
        var badQuery = await RefusalAsync(await admin.GetAsync("/api/v1/org-units?page=abc"));
        var missing = await RefusalAsync(await admin.PostAsync("/api/v1/auth/login", new StringContent("{\"userName\": \"admin\"}", Encoding.UTF8, "application/json")));
        var control = await RefusalAsync(await admin.GetAsync("/api/v1/org-units?q=%E9%94%A6%00"));

        Assert.Contains("JSON", malformed.Message);
        Assert.Equal("validDays", wrongType.Field);
        Assert.Equal("page", badQuery.Field);
        Assert.Contains("abc", badQuery.Message);
        Assert.Equal("password", missing.Field, ignoreCase: true);
        Assert.Equal("q", control.Field);
        Assert.Contains("控制字符", control.Message);
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task Extreme_ages_dates_codes_and_pages_answer_400_naming_the_field_or_a_plain_answer(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var admin = await PageSession.BearerAsync(app, (await app.CreateUserAsync(Role.Administrator)).UserName!);
        var department = await PageSession.BearerAsync(app, (await app.CreateUserAsync(Role.Department, departmentCode: "MZJ")).UserName!);

        var roster = await RefusalAsync(await department.GetAsync("/api/v1/data/roster?unit=652301004002&minAge=-5"));
        var export = await RefusalAsync(await department.PostAsJsonAsync("/api/v1/exports/roster", new { unit = "652301004002", maxAge = 2_000_000_000 }));
        var qr = await RefusalAsync(await app.CreateClient().GetAsync($"/api/v1/public/admission-codes/{new string('A', 2048)}/qr.svg"));
        var audit = await admin.GetAsync("/api/v1/audit?from=0001-01-01&to=9999-12-31");
        var counts = await admin.GetAsync("/api/v1/activities/counts?unit=652301004000&from=0001-01-01&to=9999-12-31");
        var firstPage = await admin.GetFromJsonAsync<JsonElement>("/api/v1/org-units?page=1&pageSize=10");
        var farPage = await admin.GetFromJsonAsync<JsonElement>("/api/v1/org-units?page=2147483647&pageSize=1000");

        Assert.Equal("minAge", roster.Field);
        Assert.Equal("MaxAge", export.Field);
        Assert.Equal("code", qr.Field);
        Assert.Equal(HttpStatusCode.OK, audit.StatusCode);
        Assert.Equal(HttpStatusCode.OK, counts.StatusCode);
        Assert.NotEqual(0, firstPage.GetProperty("items").GetArrayLength());
        Assert.Equal(0, farPage.GetProperty("items").GetArrayLength());  // past the end, not wrapped round to page 1
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task A_value_save_names_unknown_codes_empty_items_bad_text_and_too_many_values_and_saves_nothing(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var cadre = await PageSession.BearerAsync(app, (await app.CreateUserAsync(Role.Cadre, "652301004002")).UserName!);
        var tasks = await cadre.GetFromJsonAsync<List<TaskSummary>>("/api/v1/tasks");
        var task = tasks!.First(t => t.Status != "Submitted" && t.OrgUnitCode == "652301004002");
        var detail = (await cadre.GetFromJsonAsync<TaskDetail>($"/api/v1/tasks/{task.Id}"))!;
        var text = detail.Values.First(v => v.ValueType == "Integer");
        var before = await app.WithDbAsync(db => db.DataValueChanges.CountAsync());
        Task<HttpResponseMessage> SaveAsync(object body) => cadre.PutAsJsonAsync($"/api/v1/tasks/{task.Id}/values", body);

        var unknown = await RefusalAsync(await SaveAsync(new { values = new[] { new { elementCode = "NO_SUCH_ELEMENT", text = "1", original = (string?)null, loadedVersion = 0 } } }));
        var emptyItem = await RefusalAsync(await SaveAsync(new { values = new object?[] { null } }));
        var nul = await RefusalAsync(await SaveAsync(new { values = new[] { new { elementCode = text.Element, text = "1\u0000", original = text.Value, loadedVersion = text.Version } } }));
        var rtl = await RefusalAsync(await SaveAsync(new { values = new[] { new { elementCode = text.Element, text = "\u202E12", original = text.Value, loadedVersion = text.Version } } }));
        var many = await RefusalAsync(await SaveAsync(new { values = Enumerable.Range(0, 20_000).Select(_ => new { elementCode = text.Element, text = "1" }) }));

        Assert.Equal("NO_SUCH_ELEMENT", unknown.Field);
        Assert.Contains("NO_SUCH_ELEMENT", unknown.Message);
        Assert.Equal("values[0]", emptyItem.Field);
        Assert.Contains("控制字符", nul.Message);
        Assert.Contains("方向", rtl.Message);
        Assert.Contains("1000", many.Message);
        Assert.Equal(before, await app.WithDbAsync(db => db.DataValueChanges.CountAsync()));
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task A_roster_export_with_an_age_that_does_not_read_is_refused_not_queued_for_everyone(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var user = await app.CreateUserAsync(Role.Department, departmentCode: "MZJ");
        var page = await PageSession.SignedInAsync(app, user.UserName!);

        var response = await page.SubmitAsync("/Exports", new() { ["Unit"] = "652301004002", ["MinAge"] = "abc", ["Format"] = "Csv" });
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("最小年龄", html);
        Assert.Equal(0, await app.WithDbAsync(db => db.ExportJobs.CountAsync(j => j.RequestedBy == user.UserName)));
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task A_task_file_far_longer_than_its_form_is_refused_naming_the_row_limit_and_saves_nothing(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var cadre = await PageSession.BearerAsync(app, (await app.CreateUserAsync(Role.Cadre, "652301004002")).UserName!);
        var task = (await cadre.GetFromJsonAsync<List<TaskSummary>>("/api/v1/tasks"))!.First(t => t.Status != "Submitted" && t.OrgUnitCode == "652301004002");
        using var workbook = new MemoryStream();
        MiniExcelLibs.MiniExcel.SaveAs(workbook, Enumerable.Range(0, 50_000).Select(i => new Dictionary<string, object> { ["A"] = i, ["B"] = "x" }));
        using var form = new MultipartFormDataContent { { new ByteArrayContent(workbook.ToArray()), "file", "big.xlsx" } };
        var before = await app.WithDbAsync(db => db.DataValueChanges.CountAsync());

        var response = await cadre.PostAsync($"/api/v1/tasks/{task.Id}/file", form);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var detail = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString();
        Assert.Matches("超过本次上传上限 \\d+ 行", detail);
        Assert.Equal(before, await app.WithDbAsync(db => db.DataValueChanges.CountAsync()));
    }

    [Fact]
    public void A_catastrophic_pattern_is_checked_in_linear_time_and_look_arounds_are_refused()
    {
        var element = new DataElement { Code = "T_PATTERN", Name = "编号", ValueType = ElementValueType.Text, Pattern = "^(a+)+$" };
        var l = OneForm.Localization.LocalizationModule.Localizer;

        var hostile = ValueRules.Check(element, new string('a', 1500) + "!", l, OneForm.Localization.LocalizationModule.Chinese);
        var fine = ValueRules.Check(element, new string('a', 1500), l, OneForm.Localization.LocalizationModule.Chinese);

        Assert.NotNull(hostile.Problem);
        Assert.Null(fine.Problem);
        Assert.False(ValueRules.IsUsablePattern("^(?=a)a$", DataElement.MaxPatternLength));
        Assert.False(ValueRules.IsUsablePattern("^(a)\\1$", DataElement.MaxPatternLength));
        Assert.True(ValueRules.IsUsablePattern("^1[3-9]\\d{9}$", DataElement.MaxPatternLength));
    }
}
