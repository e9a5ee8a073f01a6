using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using OneForm.Data;
using OneForm.Organization;
using OneForm.Registry;
using OneForm.Sharing;
using OneForm.Testing;
using OneForm.Tests.Hosting;

namespace OneForm.Tests.Sharing;

/// <summary>Person-level data leaves only through a person-level grant, masked, logged.</summary>
[Collection(nameof(AppsCollection))]
public sealed partial class RosterExportTests(Apps apps)
{
    private static readonly System.Text.Json.JsonSerializerOptions Json = TestJson.Options;

    [GeneratedRegex(@"^\d{6}\*{8}\d{3}[\dX]$")]
    private static partial Regex Masked();

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task A_roster_is_exported_only_with_a_person_level_grant_masked_and_logged(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var asker = await PageSession.BearerAsync(app, (await app.CreateUserAsync(OneForm.Accounts.Role.Department, departmentCode: "JYJ")).UserName!);
        var welfare = await PageSession.BearerAsync(app, "dept.minzheng", Demo.DemoSeed.DefaultPassword);
        const string Url = "/api/v1/data/roster?unit=652301004000&attribute=PA_LOW_INCOME";
        Assert.Equal(HttpStatusCode.Forbidden, (await asker.GetAsync(Url)).StatusCode);

        // A grant for figures is not a grant for people.
        var figures = (await (await asker.PostAsJsonAsync("/api/v1/grants", new GrantRequest(["PA_LOW_INCOME"], "652301004000", 2026, 2026, "统计"), Json))
            .Content.ReadFromJsonAsync<GrantView>(Json))!;
        await welfare.PostAsJsonAsync($"/api/v1/grants/{figures.Id}/approve", new GrantDecision(null, null));
        Assert.Equal(HttpStatusCode.Forbidden, (await asker.GetAsync(Url)).StatusCode);

        var people = (await (await asker.PostAsJsonAsync("/api/v1/grants", new GrantRequest(["PA_LOW_INCOME"], "652301004000", 2026, 2026, "低保家庭子女教育资助核对", PersonLevel: true), Json))
            .Content.ReadFromJsonAsync<GrantView>(Json))!;
        await welfare.PostAsJsonAsync($"/api/v1/grants/{people.Id}/approve", new GrantDecision(null, null));
        var response = await asker.GetAsync(Url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var lines = (await response.Content.ReadAsStringAsync()).TrimStart('\uFEFF').Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToList();

        var expected = await app.WithDbAsync(async db =>
        {
            var street = await db.OrgUnits.SingleAsync(u => u.Code == "652301004000");
            var units = db.OrgUnits.InSubtree(street.Path).Select(u => u.Id);
            var element = await db.DataElements.SingleAsync(e => e.Code == "PA_LOW_INCOME");
            return await db.Residents.CountAsync(r => units.Contains(r.OrgUnitId) && r.Status == ResidentStatus.Active
                && db.PersonAttributes.Any(a => a.ResidentId == r.Id && a.DataElementId == element.Id && a.Value == "true"));
        });
        Assert.Equal("身份证号,姓名,性别,出生日期,户号,村居代码,低保对象", lines[0]);
        Assert.Equal(expected, lines.Count - 1);
        Assert.True(expected > 0);
        Assert.All(lines.Skip(1), l => Assert.Matches(Masked(), l.Split(',')[0]));
        Assert.All(lines.Skip(1), l => Assert.EndsWith(",是", l, StringComparison.Ordinal));
        Assert.Contains(await app.WithDbAsync(db => db.AuditEntries.Where(a => a.Kind == "Registry.RosterExported").Select(a => a.Summary).ToListAsync()),
            s => s != null && s.StartsWith($"{expected} residents below 652301004000", StringComparison.Ordinal) && s.EndsWith("masked", StringComparison.Ordinal));

        // Outside the granted subtree: refused.
        Assert.Equal(HttpStatusCode.Forbidden, (await asker.GetAsync("/api/v1/data/roster?unit=652301000000&attribute=PA_LOW_INCOME")).StatusCode);
    }
}
