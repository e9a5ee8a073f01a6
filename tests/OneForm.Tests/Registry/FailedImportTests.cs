using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OneForm.Accounts;
using OneForm.Data;
using OneForm.Registry;
using OneForm.Testing;
using OneForm.Tests.Hosting;

namespace OneForm.Tests.Registry;

/// <summary>An import that cannot finish says where and why, keeps what came before, and the corrected file completes it.</summary>
[Collection(nameof(AppsCollection))]
public sealed class FailedImportTests(Apps apps)
{
    private static List<string> Residents(string household, int count, int from = 0)
    {
        var lines = new List<string>();
        for (var i = from; i < from + count; i++)
        {
            var born = new DateOnly(1960, 1, 1).AddDays(i / 50);
            lines.Add(RegistryFiles.Line(RegistryFiles.Number(born, i % 2 == 0 ? Sex.Male : Sex.Female), $"居民{i}", i % 2 == 0 ? "男" : "女",
                RegistryFiles.Iso(born), $"{household}-{i / 4}", "652301004005"));
        }
        return lines;
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task A_quote_never_closed_after_2500_good_rows_fails_the_batch_at_its_line_and_the_corrected_file_completes_it(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var household = $"Q{Guid.NewGuid().ToString("N")[..6]}";
        var before = Residents(household, 2500);
        var broken = Residents(household, 1, from: 2500)[0];
        var after = Residents(household, 100, from: 2501);
        // Line 2502 (the header is line 1) opens a quote in the address and never closes it.
        var badLine = broken.Replace("建国路1号", "\"建国路1号", StringComparison.Ordinal);
        int Stored() => app.WithDbAsync(db => db.Residents.CountAsync(r => r.HouseholdNumber.StartsWith(household))).Result;

        var failed = await RegistryFiles.ImportAsync(app, RegistryFiles.Csv([RegistryFiles.Header, .. before, badLine, .. after]));

        Assert.Equal(BatchState.Failed, failed.State);
        Assert.Contains("2502", failed.Problem);
        Assert.Equal(2500, Stored());  // every good row before the line, not only whole chunks
        var fromApi = await (await PageSession.BearerAsync(app, (await app.CreateUserAsync(Role.Administrator)).UserName!))
            .GetFromJsonAsync<BatchResponse>($"/api/v1/registry/imports/{failed.Id}");
        Assert.Equal(("Failed", failed.Problem), (fromApi!.State, fromApi.Problem));
        var page = await (await PageSession.SignedInAsync(app, (await app.CreateUserAsync(Role.Administrator)).UserName!)).GetHtmlAsync($"/Registry/Imports?id={failed.Id}");
        Assert.Contains("2502", page);

        var rerun = await RegistryFiles.ImportAsync(app, RegistryFiles.Csv([RegistryFiles.Header, .. before, broken, .. after]));

        Assert.Equal((BatchState.Completed, 101, 2500, 0), (rerun.State, rerun.Inserted, rerun.Unchanged, rerun.Rejected));
        Assert.Equal(2601, Stored());
    }

    public static TheoryData<DatabaseProvider, string> ForeignEncodings => new()
    {
        { DatabaseProvider.Sqlite, "big5" }, { DatabaseProvider.Postgres, "big5" },
        { DatabaseProvider.Sqlite, "shift_jis" }, { DatabaseProvider.Postgres, "shift_jis" },
    };

    [Theory, MemberData(nameof(ForeignEncodings))]
    public async Task A_file_in_an_encoding_OneForm_does_not_read_is_refused_before_any_row_is_stored(DatabaseProvider provider, string encoding)
    {
        var app = await apps.GetAsync(provider);
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var household = $"E{Guid.NewGuid().ToString("N")[..6]}";
        // Both encodings have these characters; GB18030 decodes their bytes too, as other characters.
        var lines = new List<string> { "身份證號,姓名,性別,出生日期,民族,戶號,與戶主關係,村居代碼,住址,聯繫電話" };
        string[] names = ["陳大文", "林美玲", "張國強", "黃淑芬", "劉志明", "吳麗華"];
        for (var i = 0; i < names.Length; i++)
        {
            var born = new DateOnly(1970 + i, 3, 3);
            lines.Add($"{RegistryFiles.Number(born, i % 2 == 0 ? Sex.Male : Sex.Female)},{names[i]},{(i % 2 == 0 ? "男" : "女")},{RegistryFiles.Iso(born)},漢族,{household},戶主,652301004005,長樂路{i}號,13900000000");
        }
        var bytes = Encoding.GetEncoding(encoding).GetBytes(string.Join("\r\n", lines) + "\r\n");
        Assert.Throws<DecoderFallbackException>(() => new UTF8Encoding(false, true).GetString(bytes));  // so only the GB18030 check stands between

        var batch = await RegistryFiles.ImportAsync(app, new MemoryStream(bytes));

        Assert.Equal(BatchState.Failed, batch.State);
        Assert.Contains("GB18030", batch.Problem);
        Assert.Equal((0, 0), (batch.Read, batch.Inserted));
        Assert.Equal(0, await app.WithDbAsync(db => db.Residents.CountAsync(r => r.HouseholdNumber == household)));
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task Division_and_inventory_files_that_are_not_UTF_8_or_not_closed_are_refused_with_nothing_stored(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var admin = await PageSession.BearerAsync(app, (await app.CreateUserAsync(Role.Administrator)).UserName!);
        var gatekeeper = await PageSession.BearerAsync(app, (await app.CreateUserAsync(Role.Gatekeeper, departmentCode: "ZZB")).UserName!);
        static async Task<string> RefusedAsync(HttpClient client, string url, byte[] bytes)
        {
            using var form = new MultipartFormDataContent { { new ByteArrayContent(bytes), "file", "file.csv" } };
            var response = await client.PostAsync(url, form);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            return (await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("detail").GetString()!;
        }
        var units = await app.WithDbAsync(db => db.OrgUnits.CountAsync());
        var legacy = await app.WithDbAsync(db => db.LegacyForms.CountAsync());

        var big5Divisions = await RefusedAsync(admin, "/api/v1/org-units/import",
            Encoding.GetEncoding("big5").GetBytes("code,name,level,parent_code\n652301004099,長樂社區,village,652301004000\n"));
        var openQuote = await RefusedAsync(admin, "/api/v1/org-units/import",
            Encoding.UTF8.GetBytes("code,name,level,parent_code\n652301004098,\"长乐社区,village,652301004000\n652301004097,安宁社区,village,652301004000\n"));
        var gbkInventory = await RefusedAsync(gatekeeper, "/api/v1/catalogue/legacy-forms/import",
            Encoding.GetEncoding("GB18030").GetBytes("no,name,category,item,issuer,issuer_level,cycle,field_count,disposition,replaced_by\n99001,测试台账表,综合,事项,民政局,county,年报,10,abolished,\n"));

        Assert.Contains("UTF-8", big5Divisions);
        Assert.Matches("[\u4e00-\u9fff]", openQuote);
        Assert.Contains("UTF-8", gbkInventory);
        Assert.Equal(units, await app.WithDbAsync(db => db.OrgUnits.CountAsync()));
        Assert.Equal(legacy, await app.WithDbAsync(db => db.LegacyForms.CountAsync()));
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task A_broken_attribute_file_fails_at_its_line_and_the_corrected_file_completes_it(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var household = $"A{Guid.NewGuid().ToString("N")[..6]}";
        var people = Residents(household, 4);
        Assert.Equal(BatchState.Completed, (await RegistryFiles.ImportAsync(app, RegistryFiles.Csv([RegistryFiles.Header, .. people]))).State);
        var numbers = people.Select(p => p.Split(',')[0]).ToList();
        var admin = await PageSession.BearerAsync(app, (await app.CreateUserAsync(Role.Administrator)).UserName!);
        async Task<(HttpStatusCode Status, BatchResponse Batch)> SendAsync(string text)
        {
            using var form = new MultipartFormDataContent();
            var file = new ByteArrayContent(Encoding.UTF8.GetBytes(text));
            file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
            form.Add(file, "file", "attributes.csv");
            var response = await admin.PostAsync("/api/v1/registry/attributes/import", form);
            return (response.StatusCode, (await response.Content.ReadFromJsonAsync<BatchResponse>())!);
        }
        var good = numbers.Select(n => $"{n},是").ToList();

        var (status, failed) = await SendAsync(string.Join("\n", ["身份证号,PA_PARTY_MEMBER", good[0], good[1], $"{numbers[2]},\"是", good[3]]) + "\n");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("Failed", failed.State);
        Assert.Contains("4", failed.Problem);  // line 4: the header is line 1
        Assert.Equal(2, await PartyMembersAsync(app, household));

        var (_, completed) = await SendAsync(string.Join("\n", ["身份证号,PA_PARTY_MEMBER", .. good]) + "\n");

        Assert.Equal(("Completed", 2, 2), (completed.State, completed.Inserted, completed.Unchanged));
        Assert.Equal(4, await PartyMembersAsync(app, household));
    }

    private static Task<int> PartyMembersAsync(OneFormHost app, string household) => app.WithDbAsync(db =>
        db.PersonAttributes.CountAsync(a => a.DataElement!.Code == "PA_PARTY_MEMBER" && a.Value == "true" && a.Resident!.HouseholdNumber.StartsWith(household)));
}
