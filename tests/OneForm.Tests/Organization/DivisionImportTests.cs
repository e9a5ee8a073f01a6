using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OneForm.Data;
using OneForm.Organization;
using OneForm.Organization.Divisions;
using OneForm.Testing;
using OneForm.Tests.Hosting;

namespace OneForm.Tests.Organization;

[Collection(nameof(AppsCollection))]
public sealed class DivisionImportTests(Apps apps)
{
    private static async Task<ImportReport> ImportAsync(OneFormHost app, DivisionFiles file)
    {
        await using var scope = app.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<AuditActor>().ActAs("test");
        return await scope.ServiceProvider.GetRequiredService<DivisionImporter>().ImportAsync(file.Stream(), "test.csv");
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task The_demo_tree_holds_the_1040_units_of_Changji(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var byLevel = await app.WithDbAsync(db => db.OrgUnits.Where(u => u.Code.StartsWith("6523"))
            .GroupBy(u => u.Level).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count));

        Assert.Equal(1, byLevel[OrgUnitLevel.Prefecture]);
        Assert.Equal(7, byLevel[OrgUnitLevel.County]);
        Assert.Equal(106, byLevel[OrgUnitLevel.Township]);
        Assert.Equal(926, byLevel[OrgUnitLevel.Village]);
        var jinxiu = await app.WithDbAsync(db => db.OrgUnits.Include(u => u.Parent).ThenInclude(p => p!.Parent).SingleAsync(u => u.Code == "652301004002"));
        Assert.Equal("锦绣社区居民委员会", jinxiu.Name);
        Assert.Equal("建国路街道", jinxiu.Parent!.Name);
        Assert.Equal("昌吉市", jinxiu.Parent.Parent!.Name);
        Assert.Equal("652300000000/652301000000/652301004000/652301004002/", jinxiu.Path);
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task Importing_the_same_file_again_changes_nothing(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        await using var scope = app.Services.CreateAsyncScope();
        var auditBefore = await app.WithDbAsync(db => db.AuditEntries.CountAsync());

        await using var file = File.OpenRead(Path.Combine(AppContext.BaseDirectory, "data/divisions/changji-6523.csv"));
        var report = await scope.ServiceProvider.GetRequiredService<DivisionImporter>().ImportAsync(file, "changji-6523.csv");

        Assert.Equal((0, 0, 1040, 0), (report.Added, report.Updated, report.Unchanged, report.Rejected.Count));
        Assert.Equal(auditBefore, await app.WithDbAsync(db => db.AuditEntries.CountAsync()));
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task Bad_rows_are_reported_by_line_and_the_good_rows_are_kept(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        CultureInfo.CurrentUICulture = new CultureInfo("zh-CN");
        var f = new DivisionFiles();
        f.Unit(f.Prefecture, "测试州", "prefecture", null)              // line 2: good
         .Unit(f.County(1), "好县", "county", f.Prefecture)              // line 3: good
         .Unit("12345", "短代码", "county", f.Prefecture)               // line 4: code not 12 digits
         .Unit(f.County(1), "重复县", "county", f.Prefecture)           // line 5: duplicate of line 3
         .Unit(f.County(2), "", "county", f.Prefecture)                 // line 6: no name
         .Unit(f.County(3), "城市", "city", f.Prefecture)               // line 7: unknown level
         .Unit(f.Township(4, 1), "孤镇", "township", f.County(4))       // line 8: parent nowhere
         .Unit(f.Village(2, 1, 1), "孤村", "village", f.County(2))      // line 9: parent rejected on line 6
         .Unit(f.County(5), "倒挂县", "county", f.Village(1, 1, 1))     // line 10: parent not found
         .Unit(f.Township(1, 1), "好镇", "township", f.County(1))       // line 11: good
         .Unit(f.County(6), "上下颠倒", "county", f.Township(1, 1))     // line 12: county under a township
         .Unit(f.Village(9, 9, 9), "无上级村", "village", null);        // line 13: village without parent

        var report = await ImportAsync(app, f);

        Assert.Equal(3, report.Added);
        var reasons = report.Rejected.ToDictionary(r => r.Line, r => r.Reason);
        Assert.Equal([4, 5, 6, 7, 8, 9, 10, 12, 13], reasons.Keys.Order());
        Assert.Contains("12345", reasons[4]);
        Assert.Contains("第3行", reasons[5]);
        Assert.Contains(f.County(2), reasons[6]);
        Assert.Contains("city", reasons[7]);
        Assert.Contains(f.County(4), reasons[8]);
        Assert.Contains("第6行", reasons[9]);
        Assert.Contains("乡镇", reasons[12]);
        Assert.All(reasons, r => Assert.StartsWith($"第{r.Key}行", r.Value));

        var stored = await app.WithDbAsync(db => db.OrgUnits.Where(u => u.Code.StartsWith(f.Prefix)).OrderBy(u => u.Path).Select(u => u.Name).ToListAsync());
        Assert.Equal(["测试州", "好县", "好镇"], stored);
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task Children_listed_before_their_parents_are_placed_under_them(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var tree = new DivisionFiles().SmallTree();
        var lines = tree.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        // The same 19 units bottom up: every village before its township, every township before its county.
        var upsideDown = new DivisionFiles(tree, lines[0]);
        foreach (var line in lines.Skip(1).Reverse())
        {
            upsideDown.Line(line);
        }

        var report = await ImportAsync(app, upsideDown);

        Assert.Equal((19, 0), (report.Added, report.Rejected.Count));
        var village = await app.WithDbAsync(db => db.OrgUnits.SingleAsync(u => u.Code == tree.Village(2, 1, 3)));
        Assert.Equal($"{tree.Prefecture}/{tree.County(2)}/{tree.Township(2, 1)}/{tree.Village(2, 1, 3)}/", village.Path);
        Assert.Equal(3, village.Depth);
        Assert.Equal(tree.Township(2, 1), await app.WithDbAsync(db => db.OrgUnits.Where(u => u.Id == village.ParentId).Select(u => u.Code).SingleAsync()));
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task A_repeated_code_names_both_lines_and_the_first_line_keeps_the_unit(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        CultureInfo.CurrentUICulture = new CultureInfo("en");
        var f = new DivisionFiles();
        f.Unit(f.Prefecture, "测试州", "prefecture", null)                  // line 2
         .Unit(f.Township(1, 1), "先到镇", "township", f.County(1))        // line 3: its county comes later
         .Unit(f.County(1), "县", "county", f.Prefecture)                  // line 4
         .Unit(f.Township(1, 1), "后到镇", "township", f.County(1))        // line 5: the same code as line 3
         .Unit(f.Township(1, 1), "", "township", f.County(1));            // line 6: the same code again, and no name

        var report = await ImportAsync(app, f);

        Assert.Equal(3, report.Added);
        Assert.Equal([5, 6], report.Rejected.Select(r => r.Line));
        Assert.Equal($"Line 5: code {f.Township(1, 1)} is a duplicate of line 3.", report.Rejected[0].Reason);
        Assert.Equal($"Line 6: code {f.Township(1, 1)} is a duplicate of line 3.", report.Rejected[1].Reason);
        Assert.Equal("先到镇", await app.WithDbAsync(db => db.OrgUnits.Where(u => u.Code == f.Township(1, 1)).Select(u => u.Name).SingleAsync()));
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task Importing_a_file_a_second_time_reports_every_unit_unchanged_and_writes_nothing(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var tree = new DivisionFiles("code,name,level,parent_code,urban_rural").SmallTree();
        tree.Line($"{tree.Village(1, 1, 4)},有代码村,village,{tree.Township(1, 1)},220");
        var first = await ImportAsync(app, tree);
        var before = await app.WithDbAsync(db => db.OrgUnits.AsNoTracking().Where(u => u.Code.StartsWith(tree.Prefix)).OrderBy(u => u.Code).ToListAsync());
        var auditBefore = await app.WithDbAsync(db => db.AuditEntries.CountAsync());

        var again = await ImportAsync(app, tree);

        Assert.Equal((20, 0, 0), (first.Added, first.Updated, first.Unchanged));
        Assert.Equal((0, 0, 20, 0), (again.Added, again.Updated, again.Unchanged, again.Rejected.Count));
        var after = await app.WithDbAsync(db => db.OrgUnits.AsNoTracking().Where(u => u.Code.StartsWith(tree.Prefix)).OrderBy(u => u.Code).ToListAsync());
        Assert.Equal(before.Select(u => (u.Id, u.Name, u.Path, u.UrbanRuralCode, u.RowVersion)), after.Select(u => (u.Id, u.Name, u.Path, u.UrbanRuralCode, u.RowVersion)));
        Assert.Equal(auditBefore, await app.WithDbAsync(db => db.AuditEntries.CountAsync()));
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task A_file_that_turns_into_another_encoding_far_down_imports_nothing(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var f = new DivisionFiles();
        f.Unit(f.Prefecture, "测试州", "prefecture", null);
        // More UTF-8 than the first look at the file takes, then a name saved as GB18030.
        for (var t = 1; t <= 900; t++)
        {
            f.Unit(f.Township(1, t), $"测试镇{t}，名字写得很长很长很长很长很长很长很长", "township", f.Prefecture);
        }
        var utf8 = f.Stream().ToArray();
        System.Text.Encoding.RegisterProvider(System.Text.CodePagesEncodingProvider.Instance);
        var gbk = System.Text.Encoding.GetEncoding("GB18030").GetBytes($"{f.County(2)},昌吉,county,{f.Prefecture}\n");
        Assert.True(utf8.Length > 64 * 1024);

        await using var scope = app.Services.CreateAsyncScope();
        var report = await scope.ServiceProvider.GetRequiredService<DivisionImporter>().ImportAsync(new MemoryStream([.. utf8, .. gbk]), "mixed.csv");

        Assert.Contains("GB18030", report.FileError);
        Assert.False(await app.WithDbAsync(db => db.OrgUnits.AnyAsync(u => u.Code.StartsWith(f.Prefix))));
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task A_renamed_unit_is_updated_and_the_old_name_is_in_the_audit_trail(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var first = new DivisionFiles().SmallTree();
        await ImportAsync(app, first);
        var renamed = new DivisionFiles().Unit(first.Prefecture, $"测试州{first.Prefix}", "prefecture", null)
            .Unit(first.County(1), "新名县", "county", first.Prefecture);

        var report = await ImportAsync(app, renamed);

        Assert.Equal((0, 1, 1), (report.Added, report.Updated, report.Unchanged));
        Assert.Equal("新名县", await app.WithDbAsync(db => db.OrgUnits.Where(u => u.Code == first.County(1)).Select(u => u.Name).SingleAsync()));
        var entry = await app.WithDbAsync(db => db.AuditEntries.OrderByDescending(e => e.Id).FirstAsync(e => e.Kind == "Divisions.Imported"));
        Assert.Contains("测试县1", entry.Changes);
        Assert.Contains("新名县", entry.Changes);
        Assert.Equal("test", entry.ActorId);
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task Moving_a_unit_to_another_parent_is_refused(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var tree = new DivisionFiles().SmallTree();
        await ImportAsync(app, tree);
        var move = new DivisionFiles().Unit(tree.Township(1, 1), "测试镇1-1", "township", tree.County(2));

        var report = await ImportAsync(app, move);

        var rejected = Assert.Single(report.Rejected);
        Assert.Contains(tree.County(1), rejected.Reason);
        Assert.Equal(tree.County(1), await app.WithDbAsync(db => db.OrgUnits.Where(u => u.Code == tree.Township(1, 1)).Select(u => u.Parent!.Code).SingleAsync()));
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task A_file_without_the_expected_columns_saves_nothing(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var f = new DivisionFiles();
        using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes($"code,name,parent\n{f.Prefecture},州,\n"));
        await using var scope = app.Services.CreateAsyncScope();

        var report = await scope.ServiceProvider.GetRequiredService<DivisionImporter>().ImportAsync(stream, "wrong.csv");

        Assert.Contains("level", report.FileError);
        Assert.False(await app.WithDbAsync(db => db.OrgUnits.AnyAsync(u => u.Code == f.Prefecture)));
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task A_subtree_query_returns_exactly_the_units_below(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var tree = new DivisionFiles().SmallTree();
        await ImportAsync(app, tree);

        var all = await app.WithDbAsync(db => db.OrgUnits.AsNoTracking().ToListAsync());
        foreach (var code in new[] { tree.Prefecture, tree.County(1), tree.Township(2, 2), tree.Village(1, 1, 1), "652301004000" })
        {
            var root = all.Single(u => u.Code == code);
            var expected = new HashSet<int> { root.Id };
            // An independent walk over the parent links.
            bool grew;
            do
            {
                grew = false;
                foreach (var unit in all.Where(u => u.ParentId is { } p && expected.Contains(p) && !expected.Contains(u.Id)))
                {
                    grew = expected.Add(unit.Id);
                }
            }
            while (grew);

            var actual = await app.WithDbAsync(db => db.OrgUnits.InSubtree(root.Path).Select(u => u.Id).ToListAsync());
            Assert.Equal(expected.Order(), actual.Order());
        }
    }
}
