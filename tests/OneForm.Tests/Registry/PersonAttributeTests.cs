using System.Net;
using System.Net.Http.Json;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OneForm.Data;
using OneForm.Dictionary;
using OneForm.Registry;
using OneForm.Registry.Derivation;
using OneForm.Tests.Hosting;

namespace OneForm.Tests.Registry;

[Collection(nameof(AppsCollection))]
public sealed class PersonAttributeTests(Apps apps)
{
    private static async Task<HttpResponseMessage> UploadAsync(HttpClient client, string csv) =>
        await client.PostAsync("/api/v1/registry/attributes/import", new MultipartFormDataContent
        {
            { new ByteArrayContent(Encoding.UTF8.GetBytes(csv)), "file", "attributes.csv" },
        });

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task The_owning_department_loads_person_attributes_and_rules_count_them(DatabaseProvider provider)
    {
        const string unit = "652301004012";
        var app = await apps.GetAsync(provider);
        var household = $"H{Guid.NewGuid().ToString("N")[..8]}";
        var numbers = Enumerable.Range(0, 3).Select(i => RegistryFiles.Number(new DateOnly(1960, 2, 2 + i), Sex.Female)).ToList();
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var importer = scope.ServiceProvider.GetRequiredService<ResidentImporter>();
            var people = await importer.StartAsync("people.csv", 1, "test");
            await importer.RunAsync(people.Id, RegistryFiles.Csv([RegistryFiles.Header,
                .. numbers.Select((n, i) => RegistryFiles.Line(n, $"居民{i}", "女", RegistryFiles.Iso(new DateOnly(1960, 2, 2 + i)), household, unit))]), isXlsx: false);
        }
        var stranger = RegistryFiles.Number(new DateOnly(1961, 1, 1), Sex.Male);
        var csv = $"身份证号,低保对象\n{numbers[0]},是\n{numbers[1]},否\n{stranger},是\n{numbers[2]},也许\n";
        var civilAffairs = await PageSession.BearerAsync(app, "dept.minzheng", Demo.DemoSeed.DefaultPassword);
        var police = await PageSession.BearerAsync(app, "dept.gongan", Demo.DemoSeed.DefaultPassword);

        var first = await UploadAsync(civilAffairs, csv);
        var again = await UploadAsync(civilAffairs, csv);
        var notTheirs = await UploadAsync(police, csv);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var batch = (await first.Content.ReadFromJsonAsync<BatchResponse>())!;
        Assert.Equal((4, 2, 0, 2), (batch.Read, batch.Inserted, batch.Unchanged, batch.Rejected));
        var reasons = await app.WithDbAsync(db => db.ImportRejections.Where(r => r.BatchId == batch.Id).OrderBy(r => r.Line).Select(r => r.Reason).ToListAsync());
        Assert.Contains("不在人口基础数据中", reasons[0]);
        Assert.Contains("也许", reasons[1]);
        var second = (await again.Content.ReadFromJsonAsync<BatchResponse>())!;
        Assert.Equal((0, 2), (second.Inserted, second.Unchanged));
        Assert.Equal(HttpStatusCode.BadRequest, notTheirs.StatusCode);
        Assert.Contains("另一个部门", (await notTheirs.Content.ReadFromJsonAsync<BatchResponse>())!.Problem);

        var gatekeeper = await PageSession.BearerAsync(app, "gatekeeper", Demo.DemoSeed.DefaultPassword);
        var code = $"DIBAO_{Guid.NewGuid().ToString("N")[..6].ToUpperInvariant()}";
        await gatekeeper.PostAsJsonAsync("/api/v1/dictionary/elements", new ElementRequest(code, $"低保人数{code}", null, null,
            ElementValueType.Integer, "人", Aggregation.Sum, "MZJ", ElementSource.Derived, false, 0, null, null, null));
        var rule = await gatekeeper.PutAsJsonAsync($"/api/v1/dictionary/elements/{code}/rule",
            new RuleRequest(DerivationCount.Residents, null, null, null, null, null, null, null, "PA_LOW_INCOME", "true"));
        var preview = await gatekeeper.GetFromJsonAsync<PreviewResponse>($"/api/v1/dictionary/elements/{code}/rule/preview?unit={unit}");

        Assert.Equal(HttpStatusCode.OK, rule.StatusCode);
        Assert.Contains("低保对象", (await rule.Content.ReadFromJsonAsync<RuleResponse>(TestJson.Options))!.Description);
        // The demo's own residents of the unit count too: compare with an independent count.
        var expected = await app.WithDbAsync(db => db.PersonAttributes.CountAsync(a => a.DataElement!.Code == "PA_LOW_INCOME" && a.Value == "true"
            && a.Resident!.OrgUnit!.Code == unit && a.Resident.Status == ResidentStatus.Active));
        Assert.Equal(expected, preview!.Value);
        Assert.Contains(await app.WithDbAsync(db => db.PersonAttributes.Where(a => a.DataElement!.Code == "PA_LOW_INCOME" && a.Value == "true")
            .Select(a => a.Resident!.IdentityHash).ToListAsync()), h => h == app.Services.GetRequiredService<IdentityProtection>().Hash(numbers[0]));
    }
}
