using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using OneForm.Accounts;
using OneForm.Collection;
using OneForm.Data;
using OneForm.Dictionary;
using OneForm.Testing;
using OneForm.Tests.Hosting;

namespace OneForm.Tests.Registry;

/// <summary>The demo derives only what the registry knows, and each derived figure names whom to ask when it is wrong.</summary>
[Collection(nameof(AppsCollection))]
public sealed partial class DemoTruthTests(Apps apps)
{
    private const string Jinxiu = "652301004002";

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task Resident_population_is_typed_not_derived_from_the_household_register(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        string[] typed = ["POP_RESIDENT", "HOUSEHOLDS_RESIDENT"];
        var elements = await app.WithDbAsync(db => db.DataElements.Where(e => typed.Contains(e.Code)).ToListAsync());
        Assert.All(elements, e => Assert.Equal(ElementSource.Entered, e.Source));
        var ids = elements.Select(e => e.Id).ToList();
        Assert.False(await app.WithDbAsync(db => db.DerivationRules.AnyAsync(r => ids.Contains(r.DataElementId))));
        Assert.False(await app.WithDbAsync(db => db.DataValues.AnyAsync(v => ids.Contains(v.DataElementId) && v.Source == ValueSource.Derived)));
        // 户籍人口 still comes from the registry.
        Assert.True(await app.WithDbAsync(db => db.DerivationRules.AnyAsync(r => r.DataElement!.Code == "POP_REGISTERED")));

        // The cadre gets a box to type it in, and a derived 户籍人口 beside it.
        var html = await TaskPageAsync(app);
        Assert.Contains("name=\"Typed[POP_RESIDENT]\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("name=\"Typed[POP_REGISTERED]\"", html, StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task Each_derived_figure_names_the_owner_of_its_source(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var html = await TaskPageAsync(app);
        var notes = CorrectionNote().Matches(html).Select(m => m.Groups[1].Value).ToList();

        // 特困供养人员 is kept by 民政; 户籍人口 by the public-security household register.
        Assert.Contains(notes, n => n.Contains("特困供养人员", StringComparison.Ordinal) && n.Contains("民政局", StringComparison.Ordinal) && !n.Contains("公安", StringComparison.Ordinal));
        Assert.Contains(notes, n => n.Contains("公安户籍", StringComparison.Ordinal));
    }

    /// <summary>锦绣社区's quarterly 民生 form (CJ-MS-01), which holds both 户籍人口 and 特困供养人员数, as its cadre sees it.</summary>
    private static async Task<string> TaskPageAsync(OneFormHost app)
    {
        var task = await app.WithDbAsync(db => db.FillingTasks.Where(t => t.OrgUnit!.Code == Jinxiu && t.Form!.Code == "CJ-MS-01")
            .OrderByDescending(t => t.PeriodCode).Select(t => t.Id).FirstAsync());
        var cadre = await PageSession.SignedInAsync(app, (await app.CreateUserAsync(Role.Cadre, Jinxiu)).UserName!);
        return await cadre.GetHtmlAsync($"/Collection/Task/{task}");
    }

    [GeneratedRegex("""data-testid="correction-note">([^<]*)<""")]
    private static partial Regex CorrectionNote();
}
