using System.Net;
using System.Net.Http.Json;
using OneForm.Collection;
using OneForm.Data;
using OneForm.Sharing;
using OneForm.Testing;
using OneForm.Tests.Collection;
using OneForm.Tests.Hosting;

namespace OneForm.Tests.Sharing;

/// <summary>Repeated statistics come from the cache, which never holds back a value written nor hands one caller's answer to another.</summary>
[Collection(nameof(AppsCollection))]
public sealed class StatisticsCacheTests(Apps apps)
{
    private static readonly System.Text.Json.JsonSerializerOptions Json = TestJson.Options;

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task A_value_saved_after_a_cached_answer_is_in_the_next_answer(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        const string unit = "652301006009";
        var cadre = await PageSession.BearerAsync(app, (await app.CreateUserAsync(OneForm.Common.Role.Cadre, unit)).UserName!);
        var reader = await PageSession.BearerAsync(app, (await app.CreateUserAsync(OneForm.Common.Role.Gatekeeper)).UserName!);
        var taskId = await Filling.TaskIdAsync(app, unit, "CJ-DJ-01");
        var task = await Filling.GetAsync(cadre, taskId);
        var url = $"/api/v1/statistics?elements=PARTY_MEMBERS_MOBILE&unit={unit}&level=Village&periods={task.Task.Period}";

        var first = (await reader.GetFromJsonAsync<StatisticsTable>(url, Json))!;
        var again = (await reader.GetFromJsonAsync<StatisticsTable>(url, Json))!;
        Assert.Equal(first.Total.Values[0], again.Total.Values[0]);
        Assert.NotNull(again.DataAsOf);
        Assert.Null(again.ReplicaLagSeconds);  // no read replica here: read from the primary

        var written = first.Total.Values[0] is 7 ? 8 : 7;
        var saved = await cadre.PutAsJsonAsync($"/api/v1/tasks/{taskId}/values", new ValuesRequest([Filling.Change(task, "PARTY_MEMBERS_MOBILE", $"{written}")]));
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);

        var after = (await reader.GetFromJsonAsync<StatisticsTable>(url, Json))!;
        Assert.Equal(written, after.Total.Values[0]);
        Assert.Equal(1, after.Total.Reported[0]);
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task Two_callers_of_different_scope_asking_the_same_question_never_get_each_others_cached_answer(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var gatekeeper = await PageSession.BearerAsync(app, (await app.CreateUserAsync(OneForm.Common.Role.Gatekeeper)).UserName!);
        var police = await PageSession.BearerAsync(app, (await app.CreateUserAsync(OneForm.Common.Role.Department, departmentCode: "GAJ")).UserName!);
        var period = Filling.CurrentPeriod(app, OneForm.Common.ReportingCycle.Quarterly);
        // The organisation department's 流动党员 are not the police's to read; 户籍人口 are theirs.
        string Query(string unit) => $"/api/v1/statistics?elements=PARTY_MEMBERS_MOBILE,POP_REGISTERED&unit={unit}&level=Village&periods={period}";

        // The one who reads everything asks first, then the police the same question.
        var all = (await gatekeeper.GetFromJsonAsync<StatisticsTable>(Query("652301004000"), Json))!;
        var theirs = (await police.GetFromJsonAsync<StatisticsTable>(Query("652301004000"), Json))!;
        Assert.Equal(["PARTY_MEMBERS_MOBILE", "POP_REGISTERED"], all.Columns.Select(c => c.Element));
        Assert.Equal(["POP_REGISTERED"], theirs.Columns.Select(c => c.Element));
        Assert.Equal(["PARTY_MEMBERS_MOBILE"], theirs.NotGranted);
        Assert.Equal(all.Total.Values[1], theirs.Total.Values[0]);

        // And the other way round, on a question nobody asked before.
        theirs = (await police.GetFromJsonAsync<StatisticsTable>(Query("652301005000"), Json))!;
        all = (await gatekeeper.GetFromJsonAsync<StatisticsTable>(Query("652301005000"), Json))!;
        Assert.Equal(["POP_REGISTERED"], theirs.Columns.Select(c => c.Element));
        Assert.Equal(["PARTY_MEMBERS_MOBILE", "POP_REGISTERED"], all.Columns.Select(c => c.Element));

        // A table of only what the police may not read stays refused after someone else's answer was cached.
        var only = $"/api/v1/statistics?elements=PARTY_MEMBERS_MOBILE&unit=652301004000&level=Village&periods={period}";
        Assert.Equal(HttpStatusCode.OK, (await gatekeeper.GetAsync(only)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await police.GetAsync(only)).StatusCode);
    }
}
