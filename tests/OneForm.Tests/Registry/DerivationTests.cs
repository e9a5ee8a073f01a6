using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OneForm.Accounts;
using OneForm.Catalog;
using OneForm.Collection;
using OneForm.Data;
using OneForm.Dictionary;
using OneForm.Registry;
using OneForm.Registry.Derivation;
using OneForm.Testing;
using OneForm.Tests.Collection;
using OneForm.Organization.Divisions;
using OneForm.Tests.Hosting;
using OneForm.Tests.Organization;

namespace OneForm.Tests.Registry;

[Collection(nameof(AppsCollection))]
public sealed class DerivationTests(Apps apps)
{
    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task A_derived_element_counts_each_resident_by_age_on_the_period_end_and_cannot_be_typed(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        // A tree of its own: a township with one village per resident, so each resident's count is seen on its own.
        var (tree, code, form, gatekeeper) = await WomenInTheirSixtiesAsync(app, villages: 7);

        // Women aged 60 to 69 on the last day of the quarter, living there; each in a village of her own, with its expected count.
        var period = Filling.CurrentPeriod(app, ReportingCycle.Quarterly);
        var end = Period.Parse(period).End;
        var people = new (DateOnly Born, Sex Sex, string Status, int Expected)[]
        {
            (end.AddYears(-60).AddDays(-1), Sex.Female, "正常", 1),  // turned 60 the day before the end
            (end.AddYears(-60), Sex.Female, "正常", 1),              // turns 60 on the last day
            (end.AddYears(-60).AddDays(1), Sex.Female, "正常", 0),   // turns 60 the day after: still 59
            (end.AddYears(-70).AddDays(1), Sex.Female, "正常", 1),   // turns 70 the day after: still 69
            (end.AddYears(-70), Sex.Female, "正常", 0),              // turns 70 on the last day
            (end.AddYears(-65), Sex.Male, "正常", 0),                // a man
            (end.AddYears(-65), Sex.Female, "死亡", 0),              // no longer living
        };
        var lines = new List<string> { RegistryFiles.Header + ",状态" };
        lines.AddRange(people.Select((p, i) => RegistryFiles.Line(RegistryFiles.Number(p.Born, p.Sex), $"居民{i}", p.Sex == Sex.Male ? "男" : "女",
            RegistryFiles.Iso(p.Born), $"H{tree.Prefix}{i}", tree.Village(1, 1, i + 1)) + "," + p.Status));
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var importer = scope.ServiceProvider.GetRequiredService<ResidentImporter>();
            var batch = await importer.StartAsync("derivation.csv", 1, "test");
            await importer.RunAsync(batch.Id, RegistryFiles.Csv(lines), isXlsx: false);
        }

        for (var i = 0; i < people.Length; i++)
        {
            var village = tree.Village(1, 1, i + 1);
            var preview = (await gatekeeper.GetFromJsonAsync<PreviewResponse>($"/api/v1/dictionary/elements/{code}/rule/preview?unit={village}&period={period}"))!;
            Assert.True(people[i].Expected == preview.Value, $"resident {i} born {people[i].Born:yyyy-MM-dd}: {preview.Value}, expected {people[i].Expected}");
            // The stored value (none where nobody counts: the deriver writes no zero for a unit no resident matches).
            var stored = await app.WithDbAsync(db => db.DataValues.Where(v => v.DataElement!.Code == code && v.OrgUnit!.Code == village && v.PeriodCode == period)
                .Select(v => new { v.Value, v.Source }).SingleOrDefaultAsync());
            Assert.Equal((people[i].Expected, ValueSource.Derived), (stored is null ? 0 : int.Parse(stored.Value!, System.Globalization.CultureInfo.InvariantCulture),
                stored?.Source ?? ValueSource.Derived));
        }
        Assert.Equal(3, (await gatekeeper.GetFromJsonAsync<PreviewResponse>($"/api/v1/dictionary/elements/{code}/rule/preview?unit={tree.Township(1, 1)}&period={period}"))!.Value);

        // The first village's form arrives with the figure filled in, and the cadre cannot type over it.
        var unit = tree.Village(1, 1, 1);
        var cadre = await PageSession.BearerAsync(app, (await app.CreateUserAsync(Role.Cadre, unit)).UserName!);
        var task = await Filling.GetAsync(cadre, await Filling.TaskIdAsync(app, unit, $"T-{code.Replace('_', '-')}"));
        var value = task.Values.Single(v => v.Element == code);
        var typed = await cadre.PutAsJsonAsync($"/api/v1/tasks/{task.Task.Id}/values", new ValuesRequest([Filling.Change(task, code, "99")]));

        Assert.Equal(("1", "Derived"), (value.Value, value.Source));
        Assert.Equal(HttpStatusCode.BadRequest, typed.StatusCode);
        Assert.Contains("人口基础数据", await typed.Content.ReadAsStringAsync());
        var page = await (await PageSession.SignedInAsync(app, (await app.CreateUserAsync(Role.Cadre, unit)).UserName!)).GetHtmlAsync($"/Collection/Task/{task.Task.Id}");
        Assert.Contains("value derived", page);
        Assert.DoesNotContain($"name=\"Typed[{code}]\"", page);

        Assert.Equal(HttpStatusCode.NoContent, (await gatekeeper.PostAsync($"/api/v1/forms/{form.Id}/retire", null)).StatusCode);
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task An_incremental_registry_file_recounts_the_villages_it_touches_the_one_a_resident_left_too(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var (tree, code, form, gatekeeper) = await WomenInTheirSixtiesAsync(app, villages: 3);
        var period = Filling.CurrentPeriod(app, ReportingCycle.Quarterly);
        var born = Period.Parse(period).End.AddYears(-65);
        var numbers = Enumerable.Range(0, 4).Select(i => RegistryFiles.Number(born.AddDays(i), Sex.Female)).ToArray();
        string Woman(int i, int village) => RegistryFiles.Line(numbers[i], $"居民{i}", "女",
            RegistryFiles.Iso(born.AddDays(i)), $"H{tree.Prefix}{i}", tree.Village(1, 1, village));
        Task ImportAsync(params string[] lines) => RegistryFiles.ImportAsync(app, RegistryFiles.Csv([RegistryFiles.Header, .. lines]), "incremental.csv");
        async Task<string[]> CountsAsync()
        {
            var stored = await app.WithDbAsync(db => db.DataValues.Where(d => d.DataElement!.Code == code && d.PeriodCode == period)
                .Select(d => new { d.OrgUnit!.Code, d.Value }).ToDictionaryAsync(d => d.Code, d => d.Value));
            return [.. Enumerable.Range(1, 3).Select(v => stored.GetValueOrDefault(tree.Village(1, 1, v)) ?? "none")];
        }

        await ImportAsync(Woman(0, 1), Woman(1, 1), Woman(2, 3));
        var before = await app.WithDbAsync(db => db.DataValues.Where(d => d.DataElement!.Code == code && d.PeriodCode == period)
            .Select(d => new { d.OrgUnit!.Code, d.RowVersion }).ToDictionaryAsync(d => d.Code, d => d.RowVersion));
        await ImportAsync(Woman(1, 2));  // a month later: one of village 1's two women has moved to village 2

        Assert.Equal(["1", "1", "1"], await CountsAsync());
        Assert.Equal(before[tree.Village(1, 1, 3)], await app.WithDbAsync(db => db.DataValues  // untouched, not written again
            .Where(d => d.DataElement!.Code == code && d.PeriodCode == period && d.OrgUnit!.Code == tree.Village(1, 1, 3)).Select(d => d.RowVersion).SingleAsync()));
        await ImportAsync(Woman(3, 3));  // and a woman new to the registry in village 3
        Assert.Equal(["1", "1", "2"], await CountsAsync());
        Assert.Equal(HttpStatusCode.NoContent, (await gatekeeper.PostAsync($"/api/v1/forms/{form.Id}/retire", null)).StatusCode);
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task Every_village_is_counted_when_more_than_a_thousand_are_derived_at_once(DatabaseProvider provider)
    {
        // Derived values are written a thousand villages at a time: the first village and the 1,001st are in different saves.
        var app = await apps.GetAsync(provider);
        var (tree, code, form, gatekeeper) = await WomenInTheirSixtiesAsync(app, villages: 1_001);
        var period = Filling.CurrentPeriod(app, ReportingCycle.Quarterly);
        var born = Period.Parse(period).End.AddYears(-62);
        await RegistryFiles.ImportAsync(app, RegistryFiles.Csv([RegistryFiles.Header,
            .. new[] { 1, 500, 1_001 }.Select((village, i) => RegistryFiles.Line(RegistryFiles.Number(born.AddDays(i), Sex.Female), $"居民{i}", "女",
                RegistryFiles.Iso(born.AddDays(i)), $"H{tree.Prefix}{i}", VillageCode(tree, village)))]), "large-township.csv");

        var counted = await app.WithDbAsync(db => db.DataValues.Where(d => d.DataElement!.Code == code && d.PeriodCode == period)
            .Select(d => new { d.OrgUnit!.Code, d.Value }).ToDictionaryAsync(d => d.Code, d => d.Value));
        Assert.Equal(["1", "1", "1"], new[] { 1, 500, 1_001 }.Select(v => counted.GetValueOrDefault(VillageCode(tree, v))));
        Assert.Equal(3, counted.Keys.Count(c => c.StartsWith(tree.Prefix, StringComparison.Ordinal)));  // a village with nobody gets no made-up zero
        Assert.Equal(HttpStatusCode.NoContent, (await gatekeeper.PostAsync($"/api/v1/forms/{form.Id}/retire", null)).StatusCode);
    }

    /// <summary>The code of the <paramref name="n"/>th village of the tree below: 999 a township, as the codes allow.</summary>
    private static string VillageCode(DivisionFiles tree, int n) => tree.Village(1, ((n - 1) / 999) + 1, ((n - 1) % 999) + 1);

    /// <summary>
    /// A tree of its own (one township of <paramref name="villages"/> villages, another for each 999 more), a derived element counting women aged
    /// 60 to 69 (公安局's), and an admitted quarterly form for villages that carries it.
    /// </summary>
    private static async Task<(DivisionFiles Tree, string Code, FormSummary Form, HttpClient Gatekeeper)> WomenInTheirSixtiesAsync(OneFormHost app, int villages)
    {
        var tree = new DivisionFiles();
        tree.Unit(tree.Prefecture, $"派生测试州{tree.Prefix}", "prefecture", null).Unit(tree.County(1), "派生测试县", "county", tree.Prefecture);
        for (var t = 1; t <= (villages + 998) / 999; t++)
        {
            tree.Unit(tree.Township(1, t), $"派生测试镇{t}", "township", tree.County(1));
        }
        for (var v = 1; v <= villages; v++)
        {
            tree.Unit(VillageCode(tree, v), $"派生测试村{v}", "village", tree.Township(1, ((v - 1) / 999) + 1));
        }
        await using (var scope = app.Services.CreateAsyncScope())
        {
            Assert.Empty((await scope.ServiceProvider.GetRequiredService<DivisionImporter>().ImportAsync(tree.Stream(), "derivation-tree.csv")).Rejected);
        }
        var gatekeeper = await PageSession.BearerAsync(app, "gatekeeper", Demo.DemoSeed.DefaultPassword);
        var code = $"DER_{Guid.NewGuid().ToString("N")[..6].ToUpperInvariant()}";
        var created = await gatekeeper.PostAsJsonAsync("/api/v1/dictionary/elements", new ElementRequest(code, $"六十至六十九岁女性{code}", null, null,
            ElementValueType.Integer, "人", Aggregation.Sum, "GAJ", ElementSource.Derived, false, 0, null, null, null));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var rule = await gatekeeper.PutAsJsonAsync($"/api/v1/dictionary/elements/{code}/rule",
            new RuleRequest(DerivationCount.Residents, 60, 69, Sex.Female, null, null, null, null));
        Assert.Equal(HttpStatusCode.OK, rule.StatusCode);
        Assert.Contains("60", (await rule.Content.ReadFromJsonAsync<RuleResponse>(TestJson.Options))!.Description);
        var form = (await (await gatekeeper.PostAsJsonAsync("/api/v1/forms", new FormRequest($"T-{code.Replace('_', '-')}", "派生测试表", null, FormCategory.Livelihood,
            ReportingCycle.Quarterly, "GAJ", "测试", 10, [OneForm.Organization.OrgUnitLevel.Village], [new SectionRequest("一", null, [code, "PARTY_MEMBERS"])])))
            .Content.ReadFromJsonAsync<FormSummary>())!;
        Assert.Equal(HttpStatusCode.OK, (await gatekeeper.PostAsync($"/api/v1/forms/{form.Id}/admit", null)).StatusCode);
        return (tree, code, form, gatekeeper);
    }
}

[Collection(nameof(AppsCollection))]
public sealed class RulePageTests(Apps apps)
{
    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task The_gatekeeper_previews_a_rule_for_a_unit_before_saving_it_and_a_cadre_cannot_save(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var gatekeeper = await PageSession.SignedInAsync(app, "gatekeeper", Demo.DemoSeed.DefaultPassword);
        var api = await PageSession.BearerAsync(app, "gatekeeper", Demo.DemoSeed.DefaultPassword);
        var code = $"PAGE_{Guid.NewGuid().ToString("N")[..6].ToUpperInvariant()}";
        await api.PostAsJsonAsync("/api/v1/dictionary/elements", new ElementRequest(code, $"规则页测试{code}", null, null,
            ElementValueType.Integer, "人", Aggregation.Sum, "GAJ", ElementSource.Derived, false, 0, null, null, null));
        var url = $"/Dictionary/Rule?code={code}&unit=652301004000";

        var demoRule = await gatekeeper.GetHtmlAsync("/Dictionary/Rule?code=POP_AGE_80_PLUS&unit=652301004000");
        var preview = await gatekeeper.SubmitAsync(url, new() { ["Input.Counts"] = "Residents", ["Input.MinAge"] = "60", ["Input.MaxAge"] = "69" },
            url + "&handler=Preview");
        var saved = await gatekeeper.SubmitAsync(url, new() { ["Input.Counts"] = "Residents", ["Input.MinAge"] = "60", ["Input.MaxAge"] = "69" },
            url + "&handler=Save");
        var cadre = await PageSession.SignedInAsync(app, (await app.CreateUserAsync(Role.Cadre, "652301004002")).UserName!);
        var refused = await cadre.SubmitAsync(url, new() { ["Input.MinAge"] = "1" }, url + "&handler=Save");
        var expected = (await api.GetFromJsonAsync<PreviewResponse>($"/api/v1/dictionary/elements/POP_AGE_60_69/rule/preview?unit=652301004000&period={Filling.CurrentPeriod(app, ReportingCycle.Quarterly)}"))!.Value;

        Assert.Contains("80周岁及以上", demoRule);
        Assert.Contains("建国路街道", demoRule);
        var previewHtml = await preview.Content.ReadAsStringAsync();
        Assert.Contains($"：{expected}</p>", previewHtml);
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal(60, (await api.GetFromJsonAsync<RuleResponse>($"/api/v1/dictionary/elements/{code}/rule", TestJson.Options))!.Rule.MinAge);
        Assert.Contains("/Account/AccessDenied", refused.Headers.Location!.ToString());
        Assert.Equal(60, (await api.GetFromJsonAsync<RuleResponse>($"/api/v1/dictionary/elements/{code}/rule", TestJson.Options))!.Rule.MinAge);
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task A_rule_counts_households_by_their_size_and_the_people_living_in_them(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var tree = new DivisionFiles();
        tree.Unit(tree.Prefecture, $"户数测试州{tree.Prefix}", "prefecture", null).Unit(tree.County(1), "户数测试县", "county", tree.Prefecture)
            .Unit(tree.Township(1, 1), "户数测试镇", "township", tree.County(1))
            .Unit(tree.Village(1, 1, 1), "户数测试一村", "village", tree.Township(1, 1))
            .Unit(tree.Village(1, 1, 2), "户数测试二村", "village", tree.Township(1, 1));
        // The first village: households of 1, 2 and 3 people; the second: one household of 4.
        var households = new (int Village, string Household, int Size)[] { (1, "A", 1), (1, "B", 2), (1, "C", 3), (2, "D", 4) };
        var lines = new List<string> { RegistryFiles.Header };
        var born = new DateOnly(1980, 1, 1);
        foreach (var (village, household, size) in households)
        {
            for (var i = 0; i < size; i++, born = born.AddDays(1))
            {
                lines.Add(RegistryFiles.Line(RegistryFiles.Number(born, Sex.Female), $"居民{household}{i}", "女", RegistryFiles.Iso(born),
                    $"H{tree.Prefix}{household}", tree.Village(1, 1, village)));
            }
        }
        await using var scope = app.Services.CreateAsyncScope();
        Assert.Empty((await scope.ServiceProvider.GetRequiredService<DivisionImporter>().ImportAsync(tree.Stream(), "household-tree.csv")).Rejected);
        var importer = scope.ServiceProvider.GetRequiredService<ResidentImporter>();
        var batch = await importer.StartAsync("households.csv", 1, "test");
        await importer.RunAsync(batch.Id, RegistryFiles.Csv(lines), isXlsx: false);

        var db = scope.ServiceProvider.GetRequiredService<OneFormDbContext>();
        var deriver = scope.ServiceProvider.GetRequiredService<Deriver>();
        string[] villages = [tree.Village(1, 1, 1), tree.Village(1, 1, 2)];
        async Task<int[]> CountAsync(DerivationRule rule)
        {
            var counts = await deriver.CountAsync(rule, new DateOnly(2026, 12, 31), db.OrgUnits.Where(u => villages.Contains(u.Code)));
            var ids = await db.OrgUnits.Where(u => villages.Contains(u.Code)).ToDictionaryAsync(u => u.Code, u => u.Id);
            return [.. villages.Select(v => counts.GetValueOrDefault(ids[v]))];
        }

        Assert.Equal(new[] { 3, 1 }, await CountAsync(new DerivationRule { Counts = DerivationCount.Households }));
        Assert.Equal(new[] { 2, 1 }, await CountAsync(new DerivationRule { Counts = DerivationCount.Households, MinHouseholdSize = 2 }));
        Assert.Equal(new[] { 2, 0 }, await CountAsync(new DerivationRule { Counts = DerivationCount.Households, MinHouseholdSize = 2, MaxHouseholdSize = 3 }));
        Assert.Equal(new[] { 3, 4 }, await CountAsync(new DerivationRule { Counts = DerivationCount.Residents, MinHouseholdSize = 3 }));
    }
}
