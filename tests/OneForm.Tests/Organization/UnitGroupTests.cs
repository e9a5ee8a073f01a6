using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OneForm.Accounts;
using OneForm.Data;
using OneForm.Organization;
using OneForm.Organization.Divisions;
using OneForm.Testing;
using OneForm.Tests.Hosting;

namespace OneForm.Tests.Organization;

/// <summary>The urban–rural classification read from division files and set by the administrator, and unit groups by rule and by list.</summary>
[Collection(nameof(AppsCollection))]
public sealed class UnitGroupTests(Apps apps)
{
    private static readonly System.Text.Json.JsonSerializerOptions Json = TestJson.Options;

    private static async Task<ImportReport> ImportAsync(OneFormHost app, DivisionFiles file)
    {
        await using var scope = app.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<AuditActor>().ActAs("test");
        return await scope.ServiceProvider.GetRequiredService<DivisionImporter>().ImportAsync(file.Stream(), "test.csv");
    }

    /// <summary>A prefecture, a county, a street and a township: two communities under the street, two villages under the township.</summary>
    private static DivisionFiles ClassifiedTree(string columns = "code,name,level,parent_code,urban_rural", bool withCodes = true)
    {
        var file = new DivisionFiles(columns);
        return Classified(file, withCodes);
    }

    private static DivisionFiles Classified(DivisionFiles file, bool withCodes)
    {
        string Code(string code) => withCodes ? "," + code : "";
        file.Line($"{file.Prefecture},测试州{file.Prefix},prefecture,{Code("")}")
            .Line($"{file.County(1)},测试市,county,{file.Prefecture}{Code("")}")
            .Line($"{file.Township(1, 1)},测试街道,township,{file.County(1)}{Code("")}")
            .Line($"{file.Village(1, 1, 1)},甲社区居委会,village,{file.Township(1, 1)}{Code("111")}")
            .Line($"{file.Village(1, 1, 2)},乙社区居委会,village,{file.Township(1, 1)}{Code("112")}")
            .Line($"{file.Township(1, 2)},测试乡,township,{file.County(1)}{Code("")}")
            .Line($"{file.Village(1, 2, 1)},丙村委会,village,{file.Township(1, 2)}{Code("220")}")
            .Line($"{file.Village(1, 2, 2)},丁村委会,village,{file.Township(1, 2)}{Code("")}");
        return file;
    }

    private static Task<Dictionary<string, string?>> CodesAsync(OneFormHost app, DivisionFiles file) =>
        app.WithDbAsync(db => db.OrgUnits.Where(u => u.Code.StartsWith(file.Prefix)).ToDictionaryAsync(u => u.Code, u => u.UrbanRuralCode));

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task The_importer_reads_the_urban_rural_column_and_a_file_without_it_still_imports(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var file = ClassifiedTree();
        file.Line($"{file.Village(1, 2, 3)},戊村委会,village,{file.Township(1, 2)},999");

        var report = await ImportAsync(app, file);

        Assert.Equal(8, report.Added);
        var rejected = Assert.Single(report.Rejected);
        Assert.Equal(10, rejected.Line);
        Assert.Contains("999", rejected.Reason, StringComparison.Ordinal);
        var codes = await CodesAsync(app, file);
        Assert.Equal(("111", "112", "220", null), (codes[file.Village(1, 1, 1)], codes[file.Village(1, 1, 2)], codes[file.Village(1, 2, 1)], codes[file.Village(1, 2, 2)]));

        // The same units from a file without the column: imported, and the codes stay as they were.
        var plain = Classified(new DivisionFiles(file, "code,name,level,parent_code"), withCodes: false);
        var again = await ImportAsync(app, plain);
        Assert.Equal((0, 0, 8), (again.Added, again.Rejected.Count, again.Unchanged));
        Assert.Equal(codes, await CodesAsync(app, file));

        // A file without the column makes units without a code.
        var fresh = await ImportAsync(app, new DivisionFiles().SmallTree());
        Assert.Equal(19, fresh.Added);
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task A_group_by_rule_and_a_group_by_list_hold_exactly_their_units(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var file = ClassifiedTree();
        await ImportAsync(app, file);
        var admin = await PageSession.BearerAsync(app, (await app.CreateUserAsync(Role.Administrator)).UserName!);
        var ruleCode = $"urban-{file.Prefix}";
        var listCode = $"list-{file.Prefix}";

        var rule = await admin.PutAsJsonAsync($"/api/v1/unit-groups/{ruleCode}", new UnitGroupBody("测试城市社区", null, true, ["111", "112"],
            [OrgUnitLevel.Village], file.Prefecture, null), Json);
        Assert.Equal(HttpStatusCode.OK, rule.StatusCode);
        var ruleGroup = (await rule.Content.ReadFromJsonAsync<UnitGroupResponse>(Json))!;
        Assert.Equal(2, ruleGroup.Units);
        Assert.Equal(["主城区", "城乡结合区"], ruleGroup.UrbanRuralCodes.Select(c => c.Name));
        var list = await admin.PutAsJsonAsync($"/api/v1/unit-groups/{listCode}", new UnitGroupBody("测试边境村", null, false, null, null, null,
            [file.Village(1, 2, 2), file.Village(1, 1, 1)]), Json);
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);

        async Task<List<string>> UnitsAsync(string group) =>
            [.. (await admin.GetFromJsonAsync<PageOf<OrgUnitResponse>>($"/api/v1/unit-groups/{group}/units", Json))!.Items.Select(u => u.Code)];
        Assert.Equal([file.Village(1, 1, 1), file.Village(1, 1, 2)], await UnitsAsync(ruleCode));
        Assert.Equal([file.Village(1, 1, 1), file.Village(1, 2, 2)], await UnitsAsync(listCode));

        // A unit that changes its code changes its groups by rule; the list is as it was.
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PutAsJsonAsync($"/api/v1/org-units/{file.Village(1, 2, 2)}/urban-rural",
            new UrbanRuralSetting("111"), Json)).StatusCode);
        Assert.Equal([file.Village(1, 1, 1), file.Village(1, 1, 2), file.Village(1, 2, 2)], await UnitsAsync(ruleCode));
        var classification = (await admin.GetFromJsonAsync<UnitClassResponse>($"/api/v1/org-units/{file.Village(1, 2, 2)}/classification", Json))!;
        Assert.Equal(("111", "主城区"), (classification.UrbanRural!.Code, classification.UrbanRural.Name));
        Assert.Contains(listCode, classification.Groups);
        Assert.Contains(ruleCode, classification.Groups);
        Assert.DoesNotContain(Demo.DemoUnitGroups.Rural, classification.Groups);

        // The list changes only when the administrator lists other units, and the trail says so.
        await admin.PutAsJsonAsync($"/api/v1/unit-groups/{listCode}", new UnitGroupBody("测试边境村", null, false, null, null, null, [file.Village(1, 2, 1)]), Json);
        Assert.Equal([file.Village(1, 2, 1)], await UnitsAsync(listCode));
        var trail = await app.WithDbAsync(db => db.AuditEntries.Where(e => e.Kind == "UnitGroup.MembersChanged" && e.EntityKey == listCode).CountAsync());
        Assert.Equal(2, trail);

        // Bad definitions are refused with the field that is wrong.
        var bad = await admin.PutAsJsonAsync($"/api/v1/unit-groups/{ruleCode}", new UnitGroupBody("x", null, true, ["119"], null, null, null), Json);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("119", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var empty = await admin.PutAsJsonAsync($"/api/v1/unit-groups/{ruleCode}", new UnitGroupBody("x", null, true, null, null, null, null), Json);
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        var unknown = await admin.PutAsJsonAsync($"/api/v1/unit-groups/{listCode}", new UnitGroupBody("x", null, false, null, null, null, [file.Village(1, 9, 9)]), Json);
        Assert.Contains(file.Village(1, 9, 9), await unknown.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(3, (await admin.GetFromJsonAsync<List<UnitGroupResponse>>("/api/v1/unit-groups", Json))!.Single(g => g.Code == ruleCode).Units);
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task Only_the_administrator_sets_codes_and_defines_groups_and_a_code_change_is_in_the_trail(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var file = ClassifiedTree();
        await ImportAsync(app, file);
        var village = file.Village(1, 2, 2);
        var group = $"g-{file.Prefix}";
        var body = new UnitGroupBody("测试组", null, true, ["220"], null, file.Prefecture, null);
        foreach (var role in new[] { Role.Gatekeeper, Role.Reviewer, Role.Cadre })
        {
            var user = await app.CreateUserAsync(role, role is Role.Gatekeeper ? null : role is Role.Reviewer ? "652301004000" : "652301004002",
                role is Role.Gatekeeper ? "ZZB" : null);
            var client = await PageSession.BearerAsync(app, user.UserName!);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.PutAsJsonAsync($"/api/v1/unit-groups/{group}", body, Json)).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.PutAsJsonAsync($"/api/v1/org-units/{village}/urban-rural", new UrbanRuralSetting("220"), Json)).StatusCode);
            var page = await PageSession.SignedInAsync(app, user.UserName!);
            var refused = await page.Client.GetAsync("/Organization/Groups");
            Assert.True(refused.StatusCode == HttpStatusCode.Redirect && refused.Headers.Location!.ToString().Contains("/Account/AccessDenied", StringComparison.Ordinal),
                $"{role} opened the groups page: {refused.StatusCode}");
        }
        Assert.Null((await CodesAsync(app, file))[village]);
        Assert.False(await app.WithDbAsync(db => db.UnitGroups.AnyAsync(g => g.Code == group)));

        var admin = await PageSession.SignedInAsync(app, (await app.CreateUserAsync(Role.Administrator)).UserName!);
        var response = await admin.SubmitAsync("/Organization/Groups", new() { ["UnitCode"] = village, ["UrbanRuralCode"] = "220" }, "/Organization/Groups?handler=Classify");
        Assert.Contains("220 村庄", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("220", (await CodesAsync(app, file))[village]);
        var id = await app.WithDbAsync(db => db.OrgUnits.Where(u => u.Code == village).Select(u => u.Id).SingleAsync());
        var entry = await app.WithDbAsync(db => db.AuditEntries.OrderByDescending(e => e.Id)
            .FirstAsync(e => e.Kind == "OrgUnit.Modified" && e.EntityKey == id.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Contains("UrbanRuralCode", entry.Changes, StringComparison.Ordinal);
        Assert.Contains("220", entry.Changes, StringComparison.Ordinal);

        var defined = await admin.SubmitAsync("/Organization/Groups", new()
        {
            ["Group.Code"] = group, ["Group.Name"] = "测试农村", ["Group.ByRule"] = "true", ["Group.UrbanRuralCodes"] = "220", ["Group.Below"] = file.Prefecture,
        });
        var html = await defined.Content.ReadAsStringAsync();
        Assert.Contains("测试农村", html, StringComparison.Ordinal);
        Assert.Contains("220 村庄", html, StringComparison.Ordinal);
        Assert.Equal(2, await app.WithDbAsync(async db =>
        {
            var saved = await db.UnitGroups.SingleAsync(g => g.Code == group);
            return await db.OrgUnits.CountAsync(UnitGroups.Of(db, saved));
        }));
    }
}
