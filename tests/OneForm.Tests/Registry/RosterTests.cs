using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MiniExcelLibs;
using OneForm.Accounts;
using OneForm.Catalog;
using OneForm.Collection;
using OneForm.Data;
using OneForm.Registry;
using OneForm.Tests.Collection;
using OneForm.Tests.Hosting;

namespace OneForm.Tests.Registry;

[Collection(nameof(AppsCollection))]
public sealed class RosterTests(Apps apps)
{
    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task A_roster_lists_the_matching_residents_masked_and_the_cadres_checks_are_kept_once_per_person(DatabaseProvider provider)
    {
        const string unit = "652301004009";
        var app = await apps.GetAsync(provider);
        var gatekeeper = await PageSession.BearerAsync(app, "gatekeeper", Demo.DemoSeed.DefaultPassword);
        var end = Period.Parse(Filling.CurrentPeriod(app, ReportingCycle.Quarterly)).End;
        var household = $"H{Guid.NewGuid().ToString("N")[..8]}";
        var elderly = new[] { end.AddYears(-85), end.AddYears(-81) };
        var young = end.AddYears(-30);
        var numbers = elderly.Append(young).Select(b => RegistryFiles.Number(b, Sex.Female)).ToList();
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var importer = scope.ServiceProvider.GetRequiredService<ResidentImporter>();
            var batch = await importer.StartAsync("roster.csv", 1, "test");
            await importer.RunAsync(batch.Id, RegistryFiles.Csv([RegistryFiles.Header,
                .. numbers.Select((n, i) => RegistryFiles.Line(n, $"名单{i}", "女", RegistryFiles.Iso(i < 2 ? elderly[i] : young), household, unit))]), isXlsx: false);
        }
        var code = $"T-R{Guid.NewGuid().ToString("N")[..6].ToUpperInvariant()}";
        var mixed = await gatekeeper.PostAsJsonAsync("/api/v1/forms", new FormRequest(code, "名单测试表", null, FormCategory.Livelihood, ReportingCycle.Quarterly,
            "MZJ", "测试", 10, [OneForm.Organization.OrgUnitLevel.Village], [new SectionRequest("一", null, ["PARTY_MEMBERS", "PA_LIVING_ALONE"])]));
        var created = await gatekeeper.PostAsJsonAsync("/api/v1/forms", new FormRequest(code, "名单测试表", null, FormCategory.Livelihood, ReportingCycle.Quarterly,
            "MZJ", "测试", 10, [OneForm.Organization.OrgUnitLevel.Village],
            [new SectionRequest("基本情况", null, ["PARTY_MEMBERS"]), new SectionRequest("80岁以上老人名单", null, ["PA_LIVING_ALONE", "PA_DISABLED"], new RosterRequest(80, null, null, null))]));
        var form = (await created.Content.ReadFromJsonAsync<FormSummary>())!;
        await gatekeeper.PostAsync($"/api/v1/forms/{form.Id}/admit", null);
        var cadre = await PageSession.SignedInAsync(app, (await app.CreateUserAsync(Role.Cadre, unit)).UserName!);
        var taskId = await Filling.TaskIdAsync(app, unit, code);
        var url = $"/Collection/Task/{taskId}";

        var page = await cadre.GetHtmlAsync(url);
        var ids = await app.WithDbAsync(db => db.Residents.Where(r => r.HouseholdNumber == household).OrderBy(r => r.BirthDate).Select(r => r.Id).ToListAsync());
        var saved = await cadre.SubmitAsync(url, new() { [$"RosterTyped[{ids[0]}:PA_LIVING_ALONE]"] = "true" }, url + "?handler=Save");
        var bad = await cadre.SubmitAsync(url, new() { [$"RosterTyped[{ids[1]}:PA_LIVING_ALONE]"] = "maybe" }, url + "?handler=Save");
        var outsider = await cadre.SubmitAsync(url, new() { [$"RosterTyped[{ids[2]}:PA_LIVING_ALONE]"] = "true" }, url + "?handler=Save");
        var file = await cadre.Client.GetByteArrayAsync($"/api/v1/tasks/{taskId}/file?format=xlsx");

        Assert.Equal(HttpStatusCode.BadRequest, mixed.StatusCode);
        Assert.Contains("名单0", page);
        Assert.Contains("名单1", page);
        Assert.DoesNotContain("名单2", page);  // 30 years old: not in a roster of the over-80s
        Assert.Contains(numbers[0][..6] + "********" + numbers[0][14..], page);
        Assert.DoesNotContain(numbers[0], page);
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Contains("必须填“是”或“否”", await bad.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Redirect, outsider.StatusCode);
        var attributes = await app.WithDbAsync(db => db.PersonAttributes.Where(a => ids.Contains(a.ResidentId)).Select(a => new { a.ResidentId, a.Value }).ToListAsync());
        Assert.Equal((ids[0], "true"), (Assert.Single(attributes).ResidentId, attributes[0].Value));
        using var stream = new MemoryStream(file);
        var rows = stream.Query(useHeaderRow: false, excelType: ExcelType.XLSX).Cast<IDictionary<string, object?>>().ToList();
        Assert.Contains(rows, r => (r["A"] as string) == "名单1" && (r["B"] as string) == numbers[1][..6] + "********" + numbers[1][14..]);
        Assert.DoesNotContain(rows, r => r.Values.Any(v => v is string s && s == numbers[1]));

        Assert.Equal(HttpStatusCode.NoContent, (await gatekeeper.PostAsync($"/api/v1/forms/{form.Id}/retire", null)).StatusCode);
    }
}
