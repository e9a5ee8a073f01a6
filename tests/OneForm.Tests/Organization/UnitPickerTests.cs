using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using OneForm.Common;
using OneForm.Data;
using OneForm.Organization;
using OneForm.Testing;
using OneForm.Tests.Hosting;

namespace OneForm.Tests.Organization;

/// <summary>People find a unit by its name, part of it, its pinyin initials or its code, among the units they may see.</summary>
[Collection(nameof(AppsCollection))]
public sealed partial class UnitPickerTests(Apps apps)
{
    private static readonly System.Text.Json.JsonSerializerOptions Json = TestJson.Options;

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task Every_unit_of_the_demo_tree_has_one_pinyin_initial_a_character(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var names = await app.WithDbAsync(db => db.OrgUnits.Select(u => u.Name).ToListAsync());

        Assert.True(names.Count > 1000, $"only {names.Count} units");
        var wrong = names.Where(n => !Letters().IsMatch(UnitInitials.Of(n)) || UnitInitials.Of(n).Length != n.Count(c => !char.IsPunctuation(c)))
            .Select(n => $"{n} → {UnitInitials.Of(n)}").ToList();
        Assert.Empty(wrong);
        Assert.Equal("jxsqjmwyh", UnitInitials.Of("锦绣社区居民委员会"));
        Assert.Equal("jglj d".Replace(" ", "", StringComparison.Ordinal), UnitInitials.Of("建国路街道"));
        Assert.Equal("cjs", UnitInitials.Of("昌吉市"));
        Assert.Equal("htbx", UnitInitials.Of("呼图壁县"));
        Assert.Equal("xhc", UnitInitials.Of("新戽村"));
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task The_search_finds_a_unit_by_name_part_of_it_pinyin_initials_and_code_with_its_way_down(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var department = await PageSession.BearerAsync(app, "dept.minzheng", Demo.DemoSeed.DefaultPassword);

        foreach (var q in new[] { "锦绣社区居民委员会", "锦绣", "jxsq", "652301004002" })
        {
            var hits = (await department.GetFromJsonAsync<List<OrgUnitHitResponse>>($"/api/v1/org-units/search?q={Uri.EscapeDataString(q)}", Json))!;
            var jinxiu = Assert.Single(hits, h => h.Code == "652301004002");
            if (q.Length > 8)
            {
                Assert.Equal("652301004002", hits[0].Code); // the whole name and the code come first
            }
            Assert.Equal("昌吉市 › 建国路街道 › 锦绣社区居民委员会", jinxiu.Path);
            Assert.Equal("村（社区）", jinxiu.LevelName);
        }
        var street = (await department.GetFromJsonAsync<List<OrgUnitHitResponse>>("/api/v1/org-units/search?q=&under=652301004000", Json))!;
        Assert.Contains(street, h => h.Code == "652301004002" && !h.HasChildren);
        Assert.All(street, h => Assert.StartsWith("652301004", h.Code, StringComparison.Ordinal));
        var top = (await department.GetFromJsonAsync<List<OrgUnitHitResponse>>("/api/v1/org-units/search", Json))!;
        // Changji at the top (other tests add prefectures of their own to the shared demo tree).
        Assert.Equal("652300000000", top[0].Code);
        Assert.True(top[0].HasChildren);
        Assert.All(top, h => Assert.Equal("prefecture", h.Level));
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task A_cadre_and_a_reviewer_find_only_the_units_they_may_see(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var cadre = await PageSession.BearerAsync(app, (await app.CreateUserAsync(Role.Cadre, "652301004003")).UserName!);
        var reviewer = await PageSession.BearerAsync(app, (await app.CreateUserAsync(Role.Reviewer, "652301004000")).UserName!);

        Assert.Empty((await cadre.GetFromJsonAsync<List<OrgUnitHitResponse>>($"/api/v1/org-units/search?q={Uri.EscapeDataString("锦绣")}", Json))!);
        Assert.Empty((await cadre.GetFromJsonAsync<List<OrgUnitHitResponse>>("/api/v1/org-units/search?q=652301004002", Json))!);
        var own = (await cadre.GetFromJsonAsync<List<OrgUnitHitResponse>>("/api/v1/org-units/search", Json))!;
        Assert.Equal("652301004003", Assert.Single(own).Code);

        var elsewhere = await app.WithDbAsync(db => db.OrgUnits.SingleAsync(u => u.Code == "652301005001"));
        Assert.DoesNotContain((await reviewer.GetFromJsonAsync<List<OrgUnitHitResponse>>($"/api/v1/org-units/search?q={Uri.EscapeDataString(elsewhere.Name)}", Json))!,
            h => h.Code == elsewhere.Code);
        Assert.Contains((await reviewer.GetFromJsonAsync<List<OrgUnitHitResponse>>("/api/v1/org-units/search?q=jxsq", Json))!, h => h.Code == "652301004002");
    }

    [GeneratedRegex("^[a-z0-9]+$")]
    private static partial Regex Letters();
}
