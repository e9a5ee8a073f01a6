using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using OneForm.Accounts;
using OneForm.Accounts.Tokens;
using OneForm.Data;
using OneForm.Tests.Hosting;

namespace OneForm.Tests.Web;

/// <summary>Texts that arrive as forms rather than JSON (a report with its photos, an account, a token) are checked like the rest.</summary>
[Collection(nameof(AppsCollection))]
public sealed class TextCheckTests(Apps apps)
{
    private const string RightToLeftOverride = "\u202E";

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task A_report_an_account_and_a_token_with_a_direction_or_control_character_are_refused_by_field(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var cadre = await PageSession.BearerAsync(app, (await app.CreateUserAsync(Role.Cadre, "652301004002")).UserName!);
        var title = "假表" + RightToLeftOverride + Guid.NewGuid().ToString("N")[..6];
        using var filing = new MultipartFormDataContent
        {
            { new StringContent(title), "formTitle" }, { new StringContent("镇政府某办公室"), "sentBy" },
            { new StringContent("ChatMessage"), "channel" }, { new StringContent(DateTime.UtcNow.ToString("yyyy-MM-dd")), "receivedOn" },
        };
        var report = await cadre.PostAsync("/api/v1/reports", filing);
        Assert.Equal(HttpStatusCode.BadRequest, report.StatusCode);
        var body = await report.Content.ReadFromJsonAsync<Microsoft.AspNetCore.Mvc.ValidationProblemDetails>();
        Assert.Contains("改变文字方向", Assert.Single(body!.Errors["FormTitle"]));
        Assert.False(await app.WithDbAsync(db => db.Reports.AnyAsync(r => r.FormTitle == title)));

        var admin = await PageSession.BearerAsync(app, (await app.CreateUserAsync(Role.Administrator)).UserName!);
        var token = await admin.PostAsJsonAsync("/api/v1/access-tokens", new IssueTokenRequest("摄像头\0", TokenHolder.Device, null, "652301004002", 1));
        Assert.Equal(HttpStatusCode.BadRequest, token.StatusCode);
        Assert.Contains("控制字符", await token.Content.ReadAsStringAsync());

        var pages = await PageSession.SignedInAsync(app, (await app.CreateUserAsync(Role.Administrator)).UserName!);
        var userName = "rlo." + Guid.NewGuid().ToString("N")[..8];
        var created = await pages.SubmitAsync("/Admin/Accounts/Create", new()
        {
            ["Input.UserName"] = userName, ["Input.DisplayName"] = "张" + RightToLeftOverride + "三", ["Input.Role"] = "Cadre",
            ["Input.UnitCode"] = "652301004003", ["Input.Password"] = "first-pass-2026",
        });
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        Assert.Contains("改变文字方向", await created.Content.ReadAsStringAsync());
        Assert.False(await app.WithDbAsync(db => db.Users.AnyAsync(u => u.UserName == userName)));
    }
}
