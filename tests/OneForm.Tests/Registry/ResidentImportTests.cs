using System.Net;
using System.Net.Http.Json;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OneForm.Accounts;
using OneForm.Data;
using OneForm.Organization.Divisions;
using OneForm.Registry;
using OneForm.Testing;
using OneForm.Tests.Hosting;

namespace OneForm.Tests.Registry;

[Collection(nameof(AppsCollection))]
public sealed class ResidentImportTests(Apps apps)
{
    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task A_messy_file_keeps_its_good_rows_and_explains_every_bad_one(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        System.Globalization.CultureInfo.CurrentUICulture = new("zh-CN");
        var born = new DateOnly(1980, 1, 1);
        var a = RegistryFiles.Number(born, Sex.Male);
        var b = RegistryFiles.Number(born, Sex.Female);
        var c = RegistryFiles.Number(new DateOnly(1975, 6, 30), Sex.Male, checkDigit: 'X');
        var d = RegistryFiles.Number(new DateOnly(1990, 12, 31), Sex.Female);
        var fullWidth = new string(d.Select(ch => char.IsAsciiDigit(ch) ? (char)('０' + (ch - '0')) : ch).ToArray());
        var wrongCheck = a[..17] + (a[17] == '0' ? '1' : '0');
        var household = $"H{Guid.NewGuid().ToString("N")[..8]}";
        var lines = new[]
        {
            RegistryFiles.Header,                                                                                   // 1
            RegistryFiles.Line(a, "张三", "男", "1980-01-01", household, "652301004002", "\"建国路1号,2单元\""),    // 2 good, quoted comma
            RegistryFiles.Line(b, "李梅", "女", "1980/1/1", household, "652301004002"),                             // 3 good
            "",                                                                                                     // 4 blank
            RegistryFiles.Line("652301800101001", "旧号", "男", "1980-01-01", household, "652301004002"),           // 5 15 digits
            RegistryFiles.Line(wrongCheck, "错码", "男", "1980-01-01", household, "652301004002"),                  // 6 check digit
            RegistryFiles.Line(RegistryFiles.Number(born, Sex.Male), "错性别", "女", "1980-01-01", household, "652301004002"), // 7 sex
            RegistryFiles.Line(RegistryFiles.Number(born, Sex.Male), "错生日", "男", "1981-01-01", household, "652301004002"), // 8 birth
            RegistryFiles.Line(RegistryFiles.Number(born, Sex.Male), "错单位", "男", "1980-01-01", household, "999999999999"), // 9 unit
            RegistryFiles.Line(RegistryFiles.Number(born, Sex.Male), "", "男", "1980-01-01", household, "652301004002"),       // 10 no name
            RegistryFiles.Line(RegistryFiles.Number(born, Sex.Male), "多列", "男", "1980-01-01", household, "652301004002") + ",多余", // 11 extra
            $"{RegistryFiles.Number(born, Sex.Male)},少列,男,1980-01-01",                                           // 12 missing columns
            RegistryFiles.Line(a, "重复", "男", "1980-01-01", household, "652301004002"),                           // 13 same as line 2
            RegistryFiles.Line(RegistryFiles.Number(new DateOnly(2099, 1, 1), Sex.Male), "未来", "男", "2099-01-01", household, "652301004002"), // 14 future
            RegistryFiles.Line(c.ToLowerInvariant(), "小写x", "男", "1975-06-30", household, "652301004002"),       // 15 good, lower-case x
            RegistryFiles.Line(RegistryFiles.Number(born, Sex.Male), "坏日期", "男", "1980-02-30", household, "652301004002"), // 16 date
            RegistryFiles.Line(fullWidth, "全角", "女", "1990-12-31", household, "652301004002"),                   // 17 good, full-width
        };

        var batch = await RegistryFiles.ImportAsync(app, RegistryFiles.Csv(lines));
        var reasons = await app.WithDbAsync(db => db.ImportRejections.Where(r => r.BatchId == batch.Id).OrderBy(r => r.Line)
            .Select(r => new { r.Line, r.Column, r.Reason }).ToListAsync());

        Assert.Equal(BatchState.Completed, batch.State);
        Assert.Equal((15, 4, 0, 0, 11), (batch.Read, batch.Inserted, batch.Updated, batch.Unchanged, batch.Rejected));
        Assert.Equal([5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 16], reasons.Select(r => r.Line).Distinct());
        Assert.Contains("15位", reasons.Single(r => r.Line == 5).Reason);
        Assert.Contains("校验码", reasons.Single(r => r.Line == 6).Reason);
        Assert.Equal("性别", reasons.Single(r => r.Line == 7).Column);
        Assert.Equal("出生日期", reasons.Single(r => r.Line == 8).Column);
        Assert.Contains("999999999999", reasons.Single(r => r.Line == 9).Reason);
        Assert.Equal("姓名", reasons.Single(r => r.Line == 10).Column);
        Assert.Contains("应有10列，实有11列", reasons.Single(r => r.Line == 11).Reason);
        Assert.Contains("实有4列", reasons.Single(r => r.Line == 12).Reason);
        Assert.Contains("第2行", reasons.Single(r => r.Line == 13).Reason);
        Assert.Contains("未来", reasons.Single(r => r.Line == 14).Reason);
        Assert.Contains("1980-02-30", reasons.Single(r => r.Line == 16).Reason);
        Assert.All(reasons, r => Assert.StartsWith($"第{r.Line}行", r.Reason));
        var stored = await app.WithDbAsync(db => db.Residents.Where(r => r.HouseholdNumber == household).OrderBy(r => r.Name).ToListAsync());
        Assert.Equal(["全角", "小写x", "张三", "李梅"], stored.Select(r => r.Name).Order());
        Assert.Equal("建国路1号,2单元", stored.Single(r => r.Name == "张三").Address);
        // Shown masked (the birth date hidden); stored as none of the number, its base64 or its hex, and only the key opens it.
        var numbers = new Dictionary<string, string> { ["张三"] = a, ["李梅"] = b, ["小写x"] = c, ["全角"] = d };
        var protection = app.Services.GetRequiredService<IdentityProtection>();
        Assert.All(stored, r =>
        {
            var number = numbers[r.Name];
            Assert.Equal(number[..6] + "********" + number[14..], r.IdentityMasked);
            var bytes = Encoding.ASCII.GetBytes(number);
            foreach (var shown in new[] { number, Convert.ToBase64String(bytes), Convert.ToHexString(bytes) })
            {
                Assert.DoesNotContain(shown, r.IdentityProtected, StringComparison.OrdinalIgnoreCase);
            }
            Assert.Equal(number, protection.Unprotect(r.IdentityProtected));
        });
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task The_same_file_again_changes_nothing_and_an_incremental_file_updates_with_history(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var household = $"H{Guid.NewGuid().ToString("N")[..8]}";
        var mover = RegistryFiles.Number(new DateOnly(1970, 3, 3), Sex.Male);
        var elder = RegistryFiles.Number(new DateOnly(1930, 4, 4), Sex.Female);
        string[] first =
        [
            RegistryFiles.Header,
            RegistryFiles.Line(mover, "王五", "男", "1970-03-03", household, "652301004002"),
            RegistryFiles.Line(elder, "赵奶奶", "女", "1930-04-04", household, "652301004002"),
        ];
        await RegistryFiles.ImportAsync(app, RegistryFiles.Csv(first));

        var again = await RegistryFiles.ImportAsync(app, RegistryFiles.Csv(first, bom: false, newline: "\n"));
        var newborn = RegistryFiles.Number(new DateOnly(2026, 5, 5), Sex.Female);
        var incremental = await RegistryFiles.ImportAsync(app, RegistryFiles.Csv(
        [
            RegistryFiles.Header + ",状态",
            RegistryFiles.Line(mover, "王五", "男", "1970-03-03", household, "652301004003") + ",正常",
            RegistryFiles.Line(elder, "赵奶奶", "女", "1930-04-04", household, "652301004002") + ",死亡",
            RegistryFiles.Line(newborn, "王小", "女", "2026-05-05", household, "652301004003") + ",正常",
        ]));

        Assert.Equal((0, 0, 2, 0), (again.Inserted, again.Updated, again.Unchanged, again.Rejected));
        Assert.Equal((1, 2, 0, 0), (incremental.Inserted, incremental.Updated, incremental.Unchanged, incremental.Rejected));
        var residents = await app.WithDbAsync(db => db.Residents.Include(r => r.OrgUnit).Where(r => r.HouseholdNumber == household).ToListAsync());
        Assert.Equal(3, residents.Count);
        Assert.Equal("652301004003", residents.Single(r => r.Name == "王五").OrgUnit!.Code);
        Assert.Equal(ResidentStatus.Deceased, residents.Single(r => r.Name == "赵奶奶").Status);
        var moverId = residents.Single(r => r.Name == "王五").Id;
        var history = await app.WithDbAsync(db => db.ResidentChanges.Where(c => c.ResidentId == moverId).ToListAsync());
        Assert.Contains("OrgUnitId", Assert.Single(history).Changes);
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task A_first_load_into_an_empty_registry_keeps_every_good_row_and_names_repeats_across_chunks(DatabaseProvider provider)
    {
        // A registry with no resident yet: the import appends whole chunks to the table, and a chunk with a number stored
        // before (here the same number twice in the file) is merged instead. The outcome must be the merge's, line for line.
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await OneFormHost.StartOnAsync(database, demo: false);
        var tree = "code,name,level,parent_code\n652300000000,昌吉州,prefecture,\n652301000000,昌吉市,county,652300000000\n" +
            "652301004000,建国路街道,township,652301000000\n652301004002,锦绣社区,village,652301004000\n652301004003,新华社区,village,652301004000\n";
        await using (var scope = app.Services.CreateAsyncScope())
        {
            Assert.Empty((await scope.ServiceProvider.GetRequiredService<DivisionImporter>()
                .ImportAsync(new MemoryStream(Encoding.UTF8.GetBytes(tree)), "tree.csv")).Rejected);
        }
        System.Globalization.CultureInfo.CurrentUICulture = new("zh-CN");
        var chunk = IDatabaseDialect.For(provider).ImportChunkRows;
        var rows = chunk * 3 + 7;
        var numbers = new List<string>(rows);
        var lines = new List<string>(rows + 1) { RegistryFiles.Header };
        for (var i = 0; i < rows; i++)
        {
            var born = new DateOnly(1950, 1, 1).AddDays(i / 1000);
            var first17 = $"652301{born:yyyyMMdd}{i % 1000:000}";
            var male = i % 2 == 1;  // the 17th digit is odd for a man
            numbers.Add(first17 + IdentityNumber.CheckDigitFor(first17));
            lines.Add(RegistryFiles.Line(numbers[i], $"居民{i}", male ? "男" : "女", RegistryFiles.Iso(born), $"H{i / 4}", i % 3 == 0 ? "652301004003" : "652301004002"));
        }
        // Line n + 2 holds row n. The first chunk is appended; the second repeats a number of the first and one of its
        // own; the third, appended again, names an unknown village, and has a row wrong in itself with an unknown one too.
        string Again(int row, int of) => lines[of + 1].Replace($"居民{of},", $"居民{row},", StringComparison.Ordinal);
        lines[chunk + 10 + 1] = Again(chunk + 10, chunk + 3);
        lines[chunk + 5 + 1] = Again(chunk + 5, 4);
        lines[2 * chunk + 9 + 1] = lines[2 * chunk + 9 + 1].Replace("652301004002", "652301004099", StringComparison.Ordinal)
            .Replace("652301004003", "652301004099", StringComparison.Ordinal);
        lines[2 * chunk + 11 + 1] = lines[2 * chunk + 11 + 1].Replace(",男,", ",未知,", StringComparison.Ordinal).Replace(",女,", ",未知,", StringComparison.Ordinal)
            .Replace("652301004002", "652301004098", StringComparison.Ordinal).Replace("652301004003", "652301004098", StringComparison.Ordinal);

        var first = await RegistryFiles.ImportAsync(app, RegistryFiles.Csv(lines));
        var reasons = await app.WithDbAsync(db => db.ImportRejections.Where(r => r.BatchId == first.Id).OrderBy(r => r.Line).ThenBy(r => r.Column)
            .Select(r => new { r.Line, r.Reason }).ToListAsync());
        var again = await RegistryFiles.ImportAsync(app, RegistryFiles.Csv(lines));

        Assert.Equal(BatchState.Completed, first.State);
        Assert.Equal((rows, rows - 4, 0, 0, 4), (first.Read, first.Inserted, first.Updated, first.Unchanged, first.Rejected));
        Assert.Equal([chunk + 7, chunk + 12, 2 * chunk + 11, 2 * chunk + 13, 2 * chunk + 13], reasons.Select(r => r.Line));
        Assert.Contains("身份证号与第6行相同", reasons[0].Reason);
        Assert.Contains($"身份证号与第{chunk + 5}行相同", reasons[1].Reason);
        Assert.Contains("652301004099", reasons[2].Reason);
        Assert.Contains(reasons.Skip(3), r => r.Reason.Contains("652301004098", StringComparison.Ordinal));
        Assert.Contains(reasons.Skip(3), r => r.Reason.Contains("未知", StringComparison.Ordinal));
        // Every stored resident is the row of the file that has the number first, in its village, as the merge stores it.
        var stored = await app.WithDbAsync(db => db.Residents.AsNoTracking().Include(r => r.OrgUnit).ToListAsync());
        Assert.Equal(rows - 4, stored.Count);
        var protection = app.Services.GetRequiredService<IdentityProtection>();
        var expected = Enumerable.Range(0, rows).Except([chunk + 5, chunk + 10, 2 * chunk + 9, 2 * chunk + 11]).ToList();
        Assert.Equal(expected.Select(i => $"居民{i}").Order(StringComparer.Ordinal), stored.Select(r => r.Name).Order(StringComparer.Ordinal));
        Assert.All(stored.Where(r => int.Parse(r.Name[2..], System.Globalization.CultureInfo.InvariantCulture) % 97 == 0), r =>
        {
            var i = int.Parse(r.Name[2..], System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(numbers[i], protection.Unprotect(r.IdentityProtected));
            Assert.Equal(numbers[i][..6] + "********" + numbers[i][14..], r.IdentityMasked);
            Assert.Equal(i % 3 == 0 ? "652301004003" : "652301004002", r.OrgUnit!.Code);
            Assert.Equal((new DateOnly(1950, 1, 1).AddDays(i / 1000), i % 2 == 1 ? Sex.Male : Sex.Female, $"H{i / 4}", "汉族", "户主"),
                (r.BirthDate, r.Sex, r.HouseholdNumber, r.Ethnicity, r.RelationToHead));
            Assert.Equal((ResidentStatus.Active, (long?)first.Id, 1u), (r.Status, r.LastBatchId, r.RowVersion));
        });
        // The same file again: every stored row unchanged, the same four lines refused.
        Assert.Equal((0, 0, rows - 4, 4), (again.Inserted, again.Updated, again.Unchanged, again.Rejected));
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task An_import_killed_midway_leaves_the_registry_consistent_and_the_same_file_completes_it(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var chunk = IDatabaseDialect.For(provider).ImportChunkRows;
        var household = $"H{Guid.NewGuid().ToString("N")[..6]}";
        var lines = new List<string> { RegistryFiles.Header };
        var day = new DateOnly(1950, 1, 1);
        for (var i = 0; i < chunk * 2 + 500; i++)
        {
            var born = day.AddDays(i / 100);
            lines.Add(RegistryFiles.Line(RegistryFiles.Number(born, i % 2 == 0 ? Sex.Male : Sex.Female), $"居民{i}", i % 2 == 0 ? "男" : "女",
                RegistryFiles.Iso(born), household + (i / 4), "652301004005"));
        }
        using var stop = new CancellationTokenSource();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            RegistryFiles.ImportAsync(app, RegistryFiles.Csv(lines), progress: _ => stop.Cancel(), cancellationToken: stop.Token));
        var afterKill = await app.WithDbAsync(db => db.Residents.CountAsync(r => r.HouseholdNumber.StartsWith(household)));
        var rerun = await RegistryFiles.ImportAsync(app, RegistryFiles.Csv(lines));

        Assert.Equal(chunk, afterKill);  // whole chunks only
        Assert.Equal(lines.Count - 1, await app.WithDbAsync(db => db.Residents.CountAsync(r => r.HouseholdNumber.StartsWith(household))));
        Assert.Equal((lines.Count - 1 - chunk, chunk, 0), (rerun.Inserted, rerun.Unchanged, rerun.Rejected));
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task Identity_numbers_are_masked_and_unmasking_needs_the_permission_and_a_reason_and_is_audited(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var household = $"H{Guid.NewGuid().ToString("N")[..8]}";
        var number = RegistryFiles.Number(new DateOnly(1966, 6, 6), Sex.Male);
        await RegistryFiles.ImportAsync(app, RegistryFiles.Csv([RegistryFiles.Header, RegistryFiles.Line(number, "孙六", "男", "1966-06-06", household, "652301004006")]));
        var cadre = await PageSession.BearerAsync(app, (await app.CreateUserAsync(Role.Cadre, "652301004006")).UserName!);
        var permitted = await app.CreateUserAsync(Role.Reviewer, "652301004000");
        await app.WithDbAsync(async db => { var u = await db.Users.SingleAsync(x => x.Id == permitted.Id); u.MayUnmask = true; return await db.SaveChangesAsync(); });
        var reviewer = await PageSession.BearerAsync(app, permitted.UserName!);
        var otherCadre = await PageSession.BearerAsync(app, (await app.CreateUserAsync(Role.Cadre, "652301004007")).UserName!);

        var listed = (await cadre.GetFromJsonAsync<List<ResidentResponse>>("/api/v1/registry/residents?unit=652301004006"))!.Single(r => r.HouseholdNumber == household);
        var refused = await cadre.PostAsJsonAsync($"/api/v1/registry/residents/{listed.Id}/unmask", new UnmaskRequest("核实低保资格"));
        var noReason = await reviewer.PostAsJsonAsync($"/api/v1/registry/residents/{listed.Id}/unmask", new UnmaskRequest(" "));
        var unmasked = await reviewer.PostAsJsonAsync($"/api/v1/registry/residents/{listed.Id}/unmask", new UnmaskRequest("核实低保资格"));
        var outside = await otherCadre.GetAsync("/api/v1/registry/residents?unit=652301004006");

        Assert.Equal(number[..6] + "********" + number[14..], listed.IdentityNumber);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        Assert.Equal(number, (await unmasked.Content.ReadFromJsonAsync<UnmaskedResponse>())!.IdentityNumber);
        Assert.Equal(HttpStatusCode.NotFound, outside.StatusCode);
        var audit = await app.WithDbAsync(db => db.AuditEntries.Where(e => e.Kind == "Resident.Unmasked" && e.ActorId == permitted.Id).ToListAsync());
        Assert.Contains("核实低保资格", Assert.Single(audit).Summary);
        Assert.DoesNotContain(number, audit[0].Summary);

        // Pages show the masked number; the permitted reviewer sees it in full after giving a reason.
        var cadrePage = await (await PageSession.SignedInAsync(app, (await app.CreateUserAsync(Role.Cadre, "652301004006")).UserName!))
            .GetHtmlAsync("/Registry/Residents");
        Assert.Contains(listed.IdentityNumber, cadrePage);
        Assert.DoesNotContain(number, cadrePage);
        Assert.DoesNotContain("查看完整号码", cadrePage);
        var reviewerPages = await PageSession.SignedInAsync(app, permitted.UserName!);
        var shown = await reviewerPages.SubmitAsync("/Registry/Residents?unit=652301004006",
            new() { ["reason"] = "入户核查需要" }, $"/Registry/Residents?unit=652301004006&id={listed.Id}&handler=Unmask");
        Assert.Contains(number, await shown.Content.ReadAsStringAsync());
        Assert.Equal(2, await app.WithDbAsync(db => db.AuditEntries.CountAsync(e => e.Kind == "Resident.Unmasked" && e.ActorId == permitted.Id)));
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task A_GB18030_file_is_read_and_an_unreadable_one_is_refused_with_a_message(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var household = $"H{Guid.NewGuid().ToString("N")[..8]}";
        var text = string.Join("\r\n", RegistryFiles.Header,
            RegistryFiles.Line(RegistryFiles.Number(new DateOnly(1988, 8, 8), Sex.Female), "周七", "女", "1988-08-08", household, "652301004002")) + "\r\n";

        var gbk = await RegistryFiles.ImportAsync(app, new MemoryStream(Encoding.GetEncoding("GB18030").GetBytes(text)));
        var garbage = await RegistryFiles.ImportAsync(app, new MemoryStream([0xFF, 0xFE, 0xFD, 0x81, 0x30, 0x00, 0xC0, 0xC1, 0xFF, 0xFF, 0x80, 0x80]));

        Assert.Equal((BatchState.Completed, 1), (gbk.State, gbk.Inserted));
        Assert.Equal("周七", await app.WithDbAsync(db => db.Residents.Where(r => r.HouseholdNumber == household).Select(r => r.Name).SingleAsync()));
        Assert.Equal(BatchState.Failed, garbage.State);
        Assert.Contains("UTF-8", garbage.Problem);
    }
}
