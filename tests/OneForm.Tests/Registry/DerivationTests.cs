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
using OneForm.Tests.Collection;
using OneForm.Tests.Hosting;

namespace OneForm.Tests.Registry;

[Collection(nameof(AppsCollection))]
public sealed class DerivationTests(Apps apps)
{
    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task A_derived_element_equals_an_independent_count_and_cannot_be_typed(DatabaseProvider provider)
    {
        const string unit = "652301004010";
        var app = await apps.GetAsync(provider);
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

        // Women and men across the age limits, one of them no longer living there.
        var end = Period.Parse(Filling.CurrentPeriod(app, ReportingCycle.Quarterly)).End;
        var household = $"H{Guid.NewGuid().ToString("N")[..8]}";
        var people = new (DateOnly Born, Sex Sex, string Status)[]
        {
            (end.AddYears(-60), Sex.Female, "正常"),              // turns 60 on the last day: counted
            (end.AddYears(-60).AddDays(1), Sex.Female, "正常"),   // 59 at the end: not counted
            (end.AddYears(-70).AddDays(1), Sex.Female, "正常"),   // 69: counted
            (end.AddYears(-70), Sex.Female, "正常"),              // 70: not counted
            (end.AddYears(-65), Sex.Male, "正常"),                // a man: not counted
            (end.AddYears(-65), Sex.Female, "死亡"),              // deceased: not counted
            (end.AddYears(-66), Sex.Female, "正常"),              // counted
        };
        var lines = new List<string> { RegistryFiles.Header + ",状态" };
        lines.AddRange(people.Select((p, i) => RegistryFiles.Line(RegistryFiles.Number(p.Born, p.Sex), $"居民{i}", p.Sex == Sex.Male ? "男" : "女",
            RegistryFiles.Iso(p.Born), household, unit) + "," + p.Status));
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var importer = scope.ServiceProvider.GetRequiredService<ResidentImporter>();
            var batch = await importer.StartAsync("derivation.csv", 1, "test");
            await importer.RunAsync(batch.Id, RegistryFiles.Csv(lines), isXlsx: false);
        }

        var independent = await app.WithDbAsync(async db => (await db.Residents.Where(r => r.OrgUnit!.Code == unit).ToListAsync())
            .Count(r => r.Status == ResidentStatus.Active && r.Sex == Sex.Female && r.BirthDate <= end.AddYears(-60) && r.BirthDate > end.AddYears(-70)));
        var cadre = await PageSession.BearerAsync(app, (await app.CreateUserAsync(Role.Cadre, unit)).UserName!);
        var task = await Filling.GetAsync(cadre, await Filling.TaskIdAsync(app, unit, $"T-{code.Replace('_', '-')}"));
        var value = task.Values.Single(v => v.Element == code);
        var preview = await gatekeeper.GetFromJsonAsync<PreviewResponse>($"/api/v1/dictionary/elements/{code}/rule/preview?unit={unit}&period={task.Task.Period}");
        var typed = await cadre.PutAsJsonAsync($"/api/v1/tasks/{task.Task.Id}/values", new ValuesRequest([Filling.Change(task, code, "99")]));

        Assert.True(independent >= 3);
        Assert.Equal(independent.ToString(System.Globalization.CultureInfo.InvariantCulture), value.Value);
        Assert.Equal("Derived", value.Source);
        Assert.Equal(independent, preview!.Value);
        Assert.Equal(HttpStatusCode.BadRequest, typed.StatusCode);
        Assert.Contains("人口基础数据", await typed.Content.ReadAsStringAsync());
        var page = await (await PageSession.SignedInAsync(app, (await app.CreateUserAsync(Role.Cadre, unit)).UserName!)).GetHtmlAsync($"/Collection/Task/{task.Task.Id}");
        Assert.Contains("value derived", page);
        Assert.DoesNotContain($"name=\"V[{code}]\"", page);

        Assert.Equal(HttpStatusCode.NoContent, (await gatekeeper.PostAsync($"/api/v1/forms/{form.Id}/retire", null)).StatusCode);
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
}
