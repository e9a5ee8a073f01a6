using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using OneForm.Catalog;
using OneForm.Collection;
using OneForm.Data;
using OneForm.Dictionary;
using OneForm.Testing;
using OneForm.Tests.Hosting;

namespace OneForm.Tests.Dictionary;

/// <summary>
/// The gatekeeper makes an element an indicator by giving it a formula over other elements: only numbers in force,
/// never itself or round in a circle, each problem said in Chinese; the demo types no rate at all.
/// </summary>
[Collection(nameof(AppsCollection))]
public sealed class FormulaTests(Apps apps)
{
    private static ElementRequest Indicator(string code, string name, string? formula) =>
        new(code, name, null, null, ElementValueType.Decimal, "%", Aggregation.Average, "ZFW", ElementSource.Formula, false, null, null, null, null, Formula: formula);

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task A_formula_names_only_numbers_in_force_never_itself_nor_a_circle_and_reads_with_the_elements_names(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var gatekeeper = await PageSession.BearerAsync(app, "gatekeeper", Demo.DemoSeed.DefaultPassword);
        var suffix = Guid.NewGuid().ToString("N")[..6].ToUpperInvariant();
        var (a, b) = ($"T_IND_A_{suffix}", $"T_IND_B_{suffix}");

        async Task<string> RefusedAsync(ElementRequest request, bool update = false)
        {
            var response = update
                ? await gatekeeper.PutAsJsonAsync($"/api/v1/dictionary/elements/{request.Code}", request)
                : await gatekeeper.PostAsJsonAsync("/api/v1/dictionary/elements", request);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            return await response.Content.ReadAsStringAsync();
        }

        Assert.Contains("NO_SUCH_ELEMENT 在数据字典中不存在", await RefusedAsync(Indicator(a, $"比率甲{suffix}", "NO_SUCH_ELEMENT / POP_REGISTERED * 100")));
        Assert.Contains("“填报人联系电话”（REPORTER_PHONE）不是数值型指标", await RefusedAsync(Indicator(a, $"比率甲{suffix}", "REPORTER_PHONE / POP_REGISTERED")));
        Assert.Contains($"{a} 的公式引用了 {a} 自身", await RefusedAsync(Indicator(a, $"比率甲{suffix}", $"{a} + 1")));
        Assert.Contains("公式无法识别", await RefusedAsync(Indicator(a, $"比率甲{suffix}", "POP_REGISTERED /")));
        Assert.Contains("公式只能使用同一报告期的数值", await RefusedAsync(Indicator(a, $"比率甲{suffix}", "POP_REGISTERED[-1]")));
        Assert.Contains("必须填写公式", await RefusedAsync(Indicator(a, $"比率甲{suffix}", null)));

        // A is an indicator over the registry's figures; B over A. Making A depend on B would go round.
        var created = await gatekeeper.PostAsJsonAsync("/api/v1/dictionary/elements", Indicator(a, $"比率甲{suffix}", "pop_age_60_plus / POP_REGISTERED * 100"));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var indicator = (await created.Content.ReadFromJsonAsync<ElementResponse>())!;
        Assert.Equal(("Formula", "None"), (indicator.Source, indicator.Aggregation));
        Assert.Equal("60周岁及以上人口数 ÷ 户籍人口数 × 100", indicator.FormulaDescription);
        Assert.Equal(HttpStatusCode.Created, (await gatekeeper.PostAsJsonAsync("/api/v1/dictionary/elements", Indicator(b, $"比率乙{suffix}", $"{a} * 2"))).StatusCode);
        Assert.Contains($"公式存在循环引用：{a} → {b} → {a}", await RefusedAsync(Indicator(a, $"比率甲{suffix}", $"{b} / 2"), update: true));

        // Retired parts are refused too.
        var retired = $"T_OLD_{suffix}";
        await gatekeeper.PostAsJsonAsync("/api/v1/dictionary/elements", new ElementRequest(retired, $"旧计数{suffix}", null, null, ElementValueType.Integer, "件",
            Aggregation.Sum, "ZFW", ElementSource.Entered, false, 0, 100, null, null));
        await gatekeeper.PostAsync($"/api/v1/dictionary/elements/{retired}/retire", null);
        Assert.Contains($"“旧计数{suffix}”（{retired}）已停用", await RefusedAsync(Indicator($"T_IND_C_{suffix}", $"比率丙{suffix}", $"{retired} / POP_REGISTERED")));

        // The indicator's values were computed at once wherever the registry's figures are held.
        Assert.True(await app.WithDbAsync(db => db.DataValues.AnyAsync(v => v.DataElement!.Code == a && v.Source == ValueSource.Formula)));

        // The list and the edit page say how it is computed, with the elements' names.
        var pages = await PageSession.SignedInAsync(app, "gatekeeper", Demo.DemoSeed.DefaultPassword);
        Assert.Contains("计算公式：60周岁及以上人口数 ÷ 户籍人口数 × 100", await pages.GetHtmlAsync($"/Dictionary?q={a}"), StringComparison.Ordinal);
        var edit = await pages.GetHtmlAsync($"/Dictionary/Edit?code={a}");
        Assert.Contains("由公式计算", edit, StringComparison.Ordinal);
        Assert.Contains("计算公式：60周岁及以上人口数 ÷ 户籍人口数 × 100", edit, StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task No_rate_is_typed_anywhere_in_the_demo_catalogue_and_the_mediation_rate_follows_the_dispute_ledger(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var onForms = await app.WithDbAsync(db => db.Forms.Where(f => f.Status == FormStatus.Admitted && f.Code.StartsWith("CJ-"))
            .SelectMany(f => f.Sections.SelectMany(s => s.Fields.Select(x => x.DataElement!)))
            .Where(e => e.Name.Contains("率") || e.Name.Contains("人均"))
            .Distinct().ToListAsync());
        Assert.Equal(["CHILD_VACCINATION_RATE", "ENROLMENT_RATE", "MEDIATION_RATE", "MEDICAL_INSURANCE_RATE", "PER_CAPITA_INCOME"],
            onForms.Select(e => e.Code).Order());
        Assert.All(onForms, e => Assert.True(e.Source == ElementSource.Formula && e.Formula is not null, $"{e.Name} ({e.Code}) is typed"));

        // Each form that shows a rate carries its parts, so the rate has a value where the form is filled.
        var forms = await app.WithDbAsync(db => db.Forms.Where(f => f.Status == FormStatus.Admitted && f.Code.StartsWith("CJ-"))
            .Select(f => new { f.Code, Elements = f.Sections.SelectMany(s => s.Fields.Select(x => x.DataElement!.Code)).ToList() }).ToListAsync());
        foreach (var rate in onForms)
        {
            var parts = ElementFormulas.Parts(ElementFormulas.Parse(rate)!).ToList();
            Assert.All(forms.Where(f => f.Elements.Contains(rate.Code)), f => Assert.Subset(f.Elements.ToHashSet(), parts.ToHashSet()));
        }

        // Wherever 锦绣社区's dispute ledger gives both counts, the mediation rate is successes over disputes.
        var held = await app.WithDbAsync(db => db.DataValues.Where(v => v.OrgUnit!.Code == "652301004002"
                && (v.DataElement!.Code == "DISPUTES_SCREENED" || v.DataElement.Code == "DISPUTES_MEDIATED" || v.DataElement.Code == "MEDIATION_RATE"))
            .Select(v => new { Element = v.DataElement!.Code, v.PeriodCode, v.Number, v.Source }).ToListAsync());
        var periods = held.Where(v => v.Element == "DISPUTES_SCREENED" && v.Number > 0).Select(v => v.PeriodCode)
            .Where(p => held.Any(v => v.Element == "DISPUTES_MEDIATED" && v.PeriodCode == p)).ToList();
        Assert.NotEmpty(periods);
        foreach (var period in periods)
        {
            double Count(string element) => held.Single(v => v.Element == element && v.PeriodCode == period).Number!.Value;
            var rate = held.Single(v => v.Element == "MEDIATION_RATE" && v.PeriodCode == period);
            Assert.Equal(Math.Round(100 * Count("DISPUTES_MEDIATED") / Count("DISPUTES_SCREENED"), 2), rate.Number);
            Assert.Equal(ValueSource.Formula, rate.Source);
        }
    }
}
