using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;
using OneForm.Admission;
using OneForm.Catalog;
using OneForm.Data;
using OneForm.Dictionary;
using OneForm.Localization;
using OneForm.Organization;
using OneForm.Testing;
using OneForm.Tests.Hosting;

namespace OneForm.Tests.Admission;

/// <summary>What the admission page says agrees with its figures, stays as it was decided, and is signed by a person.</summary>
[Collection(nameof(AppsCollection))]
public sealed class AdmissionWordingTests(Apps apps)
{
    private static readonly System.Text.Json.JsonSerializerOptions Json = TestJson.Options;

    private static AnalysisResult Analysis(int held, int others, Recommendation recommendation)
    {
        var fields = Enumerable.Range(0, held + others).Select(i => new FieldAnalysis(i, i, "字段" + i, null, "Integer", [], null, false,
            i < held ? "E" + i : null, i < held ? FieldStatus.Held : FieldStatus.New)).ToList();
        return new AnalysisResult(fields, held, 0, others, 0, held / (double)(held + others), new BurdenFigures(1, 1, fields.Count, others, 2, 1, 1),
            recommendation, null, [], []);
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task A_recommendation_to_admit_with_two_thirds_held_says_they_are_held_not_that_most_is_missing(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var l = app.Services.GetRequiredService<IStringLocalizer<SharedResource>>();
        var culture = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = new CultureInfo("zh-CN");
        try
        {
            var twoThirds = AdmissionStates.Recommend(Analysis(2, 1, Recommendation.Admit), l);
            Assert.Contains("67%", twoThirds);
            Assert.Contains("已经掌握", twoThirds);
            Assert.DoesNotContain("大多尚未掌握", twoThirds);
            var third = AdmissionStates.Recommend(Analysis(1, 2, Recommendation.Admit), l);
            Assert.Contains("33%", third);
            Assert.Contains("大多尚未掌握", third);
            Assert.Contains("均尚未掌握", AdmissionStates.Recommend(Analysis(0, 3, Recommendation.Admit), l));
        }
        finally
        {
            CultureInfo.CurrentUICulture = culture;
        }
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task An_admitted_request_keeps_the_analysis_it_was_admitted_on_and_is_signed_with_the_gatekeepers_name_and_department(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var department = await PageSession.BearerAsync(app, "dept.minzheng", Demo.DemoSeed.DefaultPassword);
        var gatekeeper = await PageSession.BearerAsync(app, "gatekeeper", Demo.DemoSeed.DefaultPassword);
        var key = Guid.NewGuid().ToString("N")[..6];
        var body = new AdmissionBody("庭院养蜂情况年报表" + key, "掌握庭院养蜂情况", FormCategory.Development, ReportingCycle.Annual, [OrgUnitLevel.Village], 15, "王五（农业农村局）",
            [new("养蜂户数" + key, Unit: "户"), new("蜂箱数量" + key, Unit: "箱"), new("蜂蜜产量" + key, ElementValueType.Decimal, "公斤")]);
        var created = await department.PostAsJsonAsync("/api/v1/admission-requests", body, Json);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var draft = (await created.Content.ReadFromJsonAsync<AdmissionDetail>(Json))!;
        Assert.Equal((0.0, 3), (draft.Analysis.ShareHeld, draft.Analysis.New));
        Assert.Equal(HttpStatusCode.OK, (await department.PostAsync($"/api/v1/admission-requests/{draft.Id}/submit", null)).StatusCode);
        var admitted = await gatekeeper.PostAsJsonAsync($"/api/v1/admission-requests/{draft.Id}/admit", new DecisionBody("同意准入。"), Json);
        Assert.True(admitted.StatusCode == HttpStatusCode.OK, await admitted.Content.ReadAsStringAsync());

        // Admitting put its three fields into the dictionary; analysed again they would all be "held". It shows what it was decided on.
        var after = (await department.GetFromJsonAsync<AdmissionDetail>($"/api/v1/admission-requests/{draft.Id}", Json))!;
        Assert.Equal((0.0, 3, Recommendation.Admit), (after.Analysis.ShareHeld, after.Analysis.New, after.Analysis.Recommendation));
        var page = await (await PageSession.SignedInAsync(app, "dept.minzheng", Demo.DemoSeed.DefaultPassword)).GetHtmlAsync($"/Admission/Request/{draft.Id}");
        Assert.Contains("data-testid=\"frozen\"", page);
        Assert.DoesNotContain("100%", page);
        Assert.Contains("组织部审核员（组织部）", page);
        Assert.DoesNotContain("（gatekeeper）", page);
    }
}
