using System.Net;
using System.Net.Http.Json;
using OneForm.Accounts;
using OneForm.Collection;
using OneForm.Data;
using OneForm.Dictionary;
using OneForm.Tests.Collection;
using OneForm.Tests.Hosting;

namespace OneForm.Tests.Dictionary;

[Collection(nameof(AppsCollection))]
public sealed class DictionaryTests(Apps apps)
{
    private static ElementRequest Request(string code, string name, ElementValueType type = ElementValueType.Integer) =>
        new(code, name, null, "别名甲;别名乙", type, "人", Aggregation.Sum, "MZJ", ElementSource.Entered, false, 0, 1000, null, null);

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task The_gatekeeper_adds_an_element_that_anyone_finds_by_its_synonym(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var gatekeeper = await PageSession.BearerAsync(app, "gatekeeper", Demo.DemoSeed.DefaultPassword);
        var code = $"TEST_{Guid.NewGuid().ToString("N")[..6].ToUpperInvariant()}";

        var created = await gatekeeper.PostAsJsonAsync("/api/v1/dictionary/elements", Request(code, $"测试指标{code}") with { Synonyms = $"独特别名{code}" });
        var duplicate = await gatekeeper.PostAsJsonAsync("/api/v1/dictionary/elements", Request(code, "另一个名字"));
        var sameName = await gatekeeper.PostAsJsonAsync("/api/v1/dictionary/elements", Request(code + "_B", "户籍人口数"));
        var byDepartment = await (await PageSession.BearerAsync(app, "dept.minzheng", Demo.DemoSeed.DefaultPassword))
            .PostAsJsonAsync("/api/v1/dictionary/elements", Request(code + "_C", "部门自建"));
        var found = await gatekeeper.GetFromJsonAsync<List<ElementResponse>>($"/api/v1/dictionary/elements?q=独特别名{code}");
        var population = await gatekeeper.GetFromJsonAsync<List<ElementResponse>>("/api/v1/dictionary/elements?q=户籍人数");

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, duplicate.StatusCode);
        Assert.Contains("已在指标字典中", await duplicate.Content.ReadAsStringAsync());
        Assert.Contains("请使用它", await sameName.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Forbidden, byDepartment.StatusCode);
        Assert.Equal(code, Assert.Single(found!).Code);
        Assert.Contains(population!, e => e.Code == "POP_REGISTERED" && e.Forms.Length > 3);
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task An_element_that_holds_values_cannot_change_its_type_and_a_retired_one_is_hidden(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var gatekeeper = await PageSession.BearerAsync(app, "gatekeeper", Demo.DemoSeed.DefaultPassword);
        var cadre = await PageSession.BearerAsync(app, (await app.CreateUserAsync(Role.Cadre, "652301101200")).UserName!);
        var task = await Filling.GetAsync(cadre, await Filling.TaskIdAsync(app, "652301101200", "CJ-FZ-01"));
        var element = task.Values.First(v => v.ValueType == "Integer").Element;
        await cadre.PutAsJsonAsync($"/api/v1/tasks/{task.Task.Id}/values", new ValuesRequest([Filling.Change(task, element, "7")]));
        var current = (await gatekeeper.GetFromJsonAsync<ElementResponse>($"/api/v1/dictionary/elements/{element}"))!;
        var asText = new ElementRequest(element, current.Name, current.NameEn, null, ElementValueType.Text, null, Aggregation.None,
            current.OwnerDepartment, ElementSource.Entered, current.Required, null, null, null, null);

        var changeType = await gatekeeper.PutAsJsonAsync($"/api/v1/dictionary/elements/{element}", asText);
        var rename = await gatekeeper.PutAsJsonAsync($"/api/v1/dictionary/elements/{element}", asText with
        {
            ValueType = ElementValueType.Integer, Aggregation = Aggregation.Sum, Synonyms = "新别名", Min = current.Min, Max = current.Max,
            // As it was over time: the demo element is shared with other tests.
            TimeAggregation = Enum.Parse<TimeAggregation>(current.TimeAggregation),
        });

        Assert.Equal(HttpStatusCode.Conflict, changeType.StatusCode);
        Assert.Contains("已有数据，不能更改类型", await changeType.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, rename.StatusCode);
        Assert.Equal("Integer", (await gatekeeper.GetFromJsonAsync<ElementResponse>($"/api/v1/dictionary/elements/{element}"))!.ValueType);

        var code = $"RETIRE_{Guid.NewGuid().ToString("N")[..6].ToUpperInvariant()}";
        await gatekeeper.PostAsJsonAsync("/api/v1/dictionary/elements", Request(code, $"待停用{code}"));
        Assert.Equal(HttpStatusCode.NoContent, (await gatekeeper.PostAsync($"/api/v1/dictionary/elements/{code}/retire", null)).StatusCode);
        Assert.Empty((await gatekeeper.GetFromJsonAsync<List<ElementResponse>>($"/api/v1/dictionary/elements?q={code}"))!);
        Assert.True(Assert.Single((await gatekeeper.GetFromJsonAsync<List<ElementResponse>>($"/api/v1/dictionary/elements?q={code}&includeRetired=true"))!).Retired);
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task A_change_that_leaves_out_how_an_element_combines_keeps_what_is_stored(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var gatekeeper = await PageSession.BearerAsync(app, "gatekeeper", Demo.DemoSeed.DefaultPassword);
        var code = $"KEEP_{Guid.NewGuid().ToString("N")[..6].ToUpperInvariant()}";
        var created = await gatekeeper.PostAsJsonAsync("/api/v1/dictionary/elements", Request(code, $"保留测试{code}") with
        {
            Aggregation = Aggregation.Average, TimeAggregation = TimeAggregation.Last, Required = true,
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        // A client that knows only the older fields: no valueType, source, required, aggregation or timeAggregation.
        var renamed = await gatekeeper.PutAsJsonAsync($"/api/v1/dictionary/elements/{code}",
            new { code, name = $"保留测试改名{code}", ownerDepartmentCode = "MZJ", unit = "户", min = 0, max = 1000 });
        var kept = (await gatekeeper.GetFromJsonAsync<ElementResponse>($"/api/v1/dictionary/elements/{code}"))!;
        // Said outright, a value still changes.
        var changed = await gatekeeper.PutAsJsonAsync($"/api/v1/dictionary/elements/{code}",
            new { code, name = kept.Name, ownerDepartmentCode = "MZJ", unit = "户", min = 0, max = 1000, timeAggregation = "Sum", aggregation = "Sum" });
        var after = (await gatekeeper.GetFromJsonAsync<ElementResponse>($"/api/v1/dictionary/elements/{code}"))!;

        Assert.True(renamed.StatusCode == HttpStatusCode.OK, await renamed.Content.ReadAsStringAsync());
        Assert.Equal(($"保留测试改名{code}", "户", "Integer", "Entered", true, "Average", "Last"),
            (kept.Name, kept.Unit, kept.ValueType, kept.Source, kept.Required, kept.Aggregation, kept.TimeAggregation));
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.Equal(("Sum", "Sum", true), (after.Aggregation, after.TimeAggregation, after.Required));
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task The_dictionary_pages_name_types_aggregations_and_sources_in_Chinese(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var gatekeeper = await PageSession.SignedInAsync(app, "gatekeeper", Demo.DemoSeed.DefaultPassword);

        var list = await gatekeeper.GetHtmlAsync("/Dictionary");
        var edit = await gatekeeper.GetHtmlAsync("/Dictionary/Edit?code=PARTY_MEMBERS");

        Assert.Contains("整数", list);
        Assert.DoesNotContain(">Integer", list);
        foreach (var shown in new[] { "整数", "按单位加总", "由单位填报", "取期末值（存量，如党员总数）" })
        {
            Assert.Contains(shown, edit);
        }
        foreach (var code in new[] { ">Integer<", ">OptionSet<", ">Sum<", ">Entered<", ">PersonAttribute<", ">Last<" })
        {
            Assert.DoesNotContain(code, edit);
        }
    }
}
