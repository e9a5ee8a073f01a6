using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using OneForm.Data;
using OneForm.Organization;
using OneForm.Sharing;
using OneForm.Testing;
using OneForm.Tests.Hosting;

namespace OneForm.Tests.Sharing;

/// <summary>Departments read their own elements, and others' only through a grant in force, for the units and years it covers.</summary>
[Collection(nameof(AppsCollection))]
public sealed class GrantTests(Apps apps)
{
    private static readonly System.Text.Json.JsonSerializerOptions Json = TestJson.Options;

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task Without_a_grant_nothing_is_read_and_a_grant_opens_only_its_units_until_it_expires_or_is_revoked(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var police = await PageSession.BearerAsync(app, "dept.gongan", Demo.DemoSeed.DefaultPassword);
        var welfare = await PageSession.BearerAsync(app, "dept.minzheng", Demo.DemoSeed.DefaultPassword);
        var gatekeeper = await PageSession.BearerAsync(app, "gatekeeper", Demo.DemoSeed.DefaultPassword);
        var cadre = await PageSession.BearerAsync(app, "cadre.jinxiu", Demo.DemoSeed.DefaultPassword);
        var jinxiu = await app.WithDbAsync(db => db.OrgUnits.SingleAsync(u => u.Name == "锦绣社区居民委员会"));
        const string Street = "/api/v1/data/values?element=DIBAO_PERSONS&unit=652301004000";

        // The owner reads its element everywhere; nobody else does.
        var own = (await welfare.GetFromJsonAsync<SharedValuesPage>(Street, Json))!;
        Assert.True(own.Items.Select(v => v.Unit).Distinct().Count() > 1, "the demo has 低保 figures for several communities");
        Assert.Equal(HttpStatusCode.Forbidden, (await police.GetAsync(Street)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await cadre.GetAsync(Street)).StatusCode);

        // Ask: elements of two owners are refused; one owner's are requested.
        var mixed = await police.PostAsJsonAsync("/api/v1/grants", new GrantRequest(["DIBAO_PERSONS", "PARTY_MEMBERS"], null, 2025, 2027, "治安研判"), Json);
        Assert.Equal(HttpStatusCode.BadRequest, mixed.StatusCode);
        Assert.Contains("分别", await mixed.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Forbidden, (await cadre.PostAsJsonAsync("/api/v1/grants", new GrantRequest(["DIBAO_PERSONS"], null, 2025, 2027, "看看"), Json)).StatusCode);
        var asked = await police.PostAsJsonAsync("/api/v1/grants", new GrantRequest(["DIBAO_PERSONS"], jinxiu.Code, 2020, 2030, "重点人群走访"), Json);
        Assert.Equal(HttpStatusCode.Created, asked.StatusCode);
        var grant = (await asked.Content.ReadFromJsonAsync<GrantView>(Json))!;
        Assert.Equal(("Requested", "MZJ"), (grant.State, grant.Owner));
        Assert.Equal(HttpStatusCode.Forbidden, (await police.GetAsync(Street)).StatusCode);  // asked is not granted

        // Only the owner (or the gatekeeper) decides.
        Assert.Equal(HttpStatusCode.Forbidden, (await police.PostAsJsonAsync($"/api/v1/grants/{grant.Id}/approve", new GrantDecision(null, null))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await welfare.PostAsJsonAsync($"/api/v1/grants/{grant.Id}/approve", new GrantDecision(null, "同意，仅限锦绣社区。"))).StatusCode);

        var granted = (await police.GetFromJsonAsync<SharedValuesPage>(Street, Json))!;
        Assert.NotEmpty(granted.Items);
        Assert.All(granted.Items, v => Assert.Equal(jinxiu.Code, v.Unit));
        Assert.Equal(own.Items.Where(v => v.Unit == jinxiu.Code).Select(v => (v.Period, v.Value)), granted.Items.Select(v => (v.Period, v.Value)));
        Assert.Equal(HttpStatusCode.Forbidden, (await police.GetAsync("/api/v1/data/values?element=DIBAO_HOUSEHOLDS&unit=652301004000")).StatusCode);

        // The street's table shows 锦绣社区's figure alone: the other communities' cells are empty and no total includes them.
        var shown = granted.Items.First();
        var table = (await police.GetFromJsonAsync<StatisticsTable>($"/api/v1/statistics?elements=DIBAO_PERSONS&unit=652301004000&level=Village&periods={shown.Period}", Json))!;
        Assert.All(table.Rows.Where(r => !r.IsSubtotal && r.Code != jinxiu.Code), r => Assert.Null(r.Values[0]));
        Assert.Equal((shown.Number, 1), (table.Total.Values[0], table.Total.Reported[0]));
        var csv = await police.GetStringAsync($"/api/v1/statistics/csv?elements=DIBAO_PERSONS&unit=652301004000&level=Village&periods={shown.Period}");
        var others = own.Items.Where(v => v.Unit != jinxiu.Code && v.Period == shown.Period && v.Number is > 0).ToList();
        Assert.NotEmpty(others);
        // Only 锦绣社区 reported (1/1), whether or not its value is accepted yet (the last column).
        Assert.Equal(1, csv.Split('\n').Count(line => System.Text.RegularExpressions.Regex.IsMatch(line.TrimEnd('\r'), ",1/1,[01]/1$")));

        // Expired, then revoked: reading stops.
        await app.WithDbAsync(async db =>
        {
            (await db.DataGrants.SingleAsync(g => g.Id == grant.Id)).ExpiresOn = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-2);
            return await db.SaveChangesAsync();
        });
        Assert.Equal(HttpStatusCode.Forbidden, (await police.GetAsync(Street)).StatusCode);
        await app.WithDbAsync(async db =>
        {
            (await db.DataGrants.SingleAsync(g => g.Id == grant.Id)).ExpiresOn = null;
            return await db.SaveChangesAsync();
        });
        Assert.Equal(HttpStatusCode.OK, (await police.GetAsync(Street)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await gatekeeper.PostAsJsonAsync($"/api/v1/grants/{grant.Id}/revoke", new GrantDecision(null, " "))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await gatekeeper.PostAsJsonAsync($"/api/v1/grants/{grant.Id}/revoke", new GrantDecision(null, "用途已结束。"))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await police.GetAsync(Street)).StatusCode);
        foreach (var file in new[] { "", "/xlsx", "/csv" })
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await police.GetAsync($"/api/v1/statistics{file}?elements=DIBAO_PERSONS&unit=652301004000&periods={shown.Period}")).StatusCode);
        }

        var trail = await app.WithDbAsync(db => db.AuditEntries.Where(a => a.EntityType == nameof(DataGrant) && a.EntityKey == grant.Id.ToString())
            .Select(a => a.Changes).ToListAsync());
        Assert.Contains(trail, c => c != null && c.Contains("Approved", StringComparison.Ordinal));
        Assert.Contains(trail, c => c != null && c.Contains("Revoked", StringComparison.Ordinal));
        Assert.Contains((await welfare.GetFromJsonAsync<List<GrantView>>("/api/v1/grants", Json))!, g => g.Id == grant.Id && g.State == "Revoked");
        var page = await (await PageSession.SignedInAsync(app, "dept.minzheng", Demo.DemoSeed.DefaultPassword)).GetHtmlAsync("/Grants");
        Assert.Contains("重点人群走访", page);
        Assert.Contains("已撤销", page);
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task A_department_asks_for_a_grant_on_the_page_and_the_owner_approves_it_there(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var asker = await PageSession.SignedInAsync(app, (await app.CreateUserAsync(OneForm.Common.Role.Department, departmentCode: "GAJ")).UserName!);
        var asked = await asker.SubmitAsync("/Grants", new Dictionary<string, string>
        {
            ["Elements"] = "VETERANS", ["FromYear"] = "2026", ["ToYear"] = "2026", ["Purpose"] = "退役军人走访核对",
        }, "/Grants?handler=Ask");
        Assert.Equal(HttpStatusCode.Redirect, asked.StatusCode);
        var grant = await app.WithDbAsync(db => db.DataGrants.Include(g => g.Owner).OrderByDescending(g => g.Id).FirstAsync(g => g.Purpose == "退役军人走访核对"));
        Assert.Equal(("TYJ", GrantState.Requested), (grant.Owner!.Code, grant.State));

        var owner = await PageSession.SignedInAsync(app, (await app.CreateUserAsync(OneForm.Common.Role.Department, departmentCode: "TYJ")).UserName!);
        var approved = await owner.SubmitAsync("/Grants", new Dictionary<string, string> { ["id"] = grant.Id.ToString(), ["Note"] = "同意" },
            $"/Grants?handler=Approve&id={grant.Id}");
        Assert.Equal(HttpStatusCode.Redirect, approved.StatusCode);
        Assert.Equal(GrantState.Approved, await app.WithDbAsync(db => db.DataGrants.Where(g => g.Id == grant.Id).Select(g => g.State).SingleAsync()));
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task Values_page_by_id_without_repeating_or_skipping(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var police = await PageSession.BearerAsync(app, "dept.gongan", Demo.DemoSeed.DefaultPassword);  // 户籍人口 is the police's
        var all = (await police.GetFromJsonAsync<SharedValuesPage>("/api/v1/data/values?element=POP_REGISTERED&take=5000", Json))!.Items;
        var paged = new List<SharedValue>();
        long? after = null;
        do
        {
            var page = (await police.GetFromJsonAsync<SharedValuesPage>($"/api/v1/data/values?element=POP_REGISTERED&take=4{(after is null ? "" : $"&after={after}")}", Json))!;
            paged.AddRange(page.Items);
            after = page.Next;
        }
        while (after is not null);
        Assert.True(all.Count > 4);
        Assert.Equal(all.Select(v => v.Id), paged.Select(v => v.Id));
    }
}
