using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using OneForm.Accounts;
using OneForm.Data;
using OneForm.Organization;
using OneForm.Organization.Divisions;

namespace OneForm.Demo;

/// <summary>
/// The Changji demo: the real division tree, the departments and one account per role, all sharing one password
/// (<c>ONEFORM_DEMO_PASSWORD</c>, default <see cref="DefaultPassword"/>). Safe to run again: it only adds what is missing.
/// </summary>
internal sealed class DemoSeed(OneFormDbContext db, DivisionImporter importer, UserManager<OneFormUser> users,
    DemoCatalog catalog, DemoRegistry registry, IConfiguration configuration, TimeProvider time, ILogger<DemoSeed> log)
{
    public const string DefaultPassword = "Changji-2026";
    public const string DivisionsFile = "data/divisions/changji-6523.csv";

    public static readonly (string Code, string Name, string EnglishName)[] Departments =
    [
        ("ZZB", "组织部", "Organisation Department"),
        ("MZJ", "民政局", "Civil Affairs Bureau"),
        ("WJW", "卫健委", "Health Commission"),
        ("RSJ", "人社局", "Human Resources and Social Security Bureau"),
        ("GAJ", "公安局", "Public Security Bureau"),
        ("ZFW", "政法委", "Political and Legal Affairs Commission"),
        ("NYJ", "农业农村局", "Agriculture and Rural Affairs Bureau"),
        ("TJJ", "统计局", "Statistics Bureau"),
        ("JYJ", "教育局", "Education Bureau"),
        ("TYJ", "退役军人事务局", "Veterans Affairs Bureau"),
    ];

    public static readonly (string UserName, string DisplayName, Role Role, string? UnitCode, string? DepartmentCode)[] Accounts =
    [
        ("admin", "系统管理员", Role.Administrator, null, null),
        ("gatekeeper", "组织部审核员", Role.Gatekeeper, null, "ZZB"),
        ("zzb", "组织部数据员", Role.Department, null, "ZZB"),
        ("dept.minzheng", "民政局数据员", Role.Department, null, "MZJ"),
        ("dept.gongan", "公安局数据员", Role.Department, null, "GAJ"),
        ("reviewer.jianguolu", "建国路街道审核员", Role.Reviewer, "652301004000", null),
        ("head.jinxiu", "锦绣社区书记", Role.UnitHead, "652301004002", null),
        ("cadre.jinxiu", "锦绣社区干部", Role.Cadre, "652301004002", null),
    ];

    public string Password => configuration["ONEFORM_DEMO_PASSWORD"] is { Length: > 0 } p ? p : DefaultPassword;

    public async Task SeedAsync(CancellationToken cancellationToken = default)
    {
        if (!await db.OrgUnits.AnyAsync(cancellationToken))
        {
            await using var file = File.OpenRead(Path.Combine(AppContext.BaseDirectory, DivisionsFile));
            var report = await importer.ImportAsync(file, Path.GetFileName(DivisionsFile), cancellationToken);
            log.LogInformation("Demo divisions: {Added} units added, {Rejected} rejected", report.Added, report.Rejected.Count);
        }

        await DemoUnitGroups.SeedAsync(db, cancellationToken);

        var existing = await db.Departments.Select(d => d.Code).ToListAsync(cancellationToken);
        db.Departments.AddRange(Departments.Where(d => !existing.Contains(d.Code))
            .Select(d => new Department { Code = d.Code, Name = d.Name, EnglishName = d.EnglishName }));
        await db.SaveChangesAsync(cancellationToken);

        // The catalogue has been in force since the start of the year before the current one.
        await catalog.SeedAsync(new DateOnly(time.GetUtcNow().Year - 1, 1, 1), cancellationToken);

        await registry.SeedAsync(cancellationToken);

        foreach (var account in Accounts)
        {
            if (await users.FindByNameAsync(account.UserName) is not null)
            {
                continue;
            }
            var user = new OneFormUser
            {
                UserName = account.UserName,
                DisplayName = account.DisplayName,
                Role = account.Role,
                OrgUnitId = account.UnitCode is null ? null : await db.OrgUnits.Where(u => u.Code == account.UnitCode).Select(u => u.Id).SingleAsync(cancellationToken),
                DepartmentId = account.DepartmentCode is null ? null : await db.Departments.Where(d => d.Code == account.DepartmentCode).Select(d => d.Id).SingleAsync(cancellationToken),
                CreatedAt = time.GetUtcNow(),
            };
            var result = await users.CreateAsync(user, Password);
            if (!result.Succeeded)
            {
                throw new CommandLine.StartupProblem($"{account.UserName}: {string.Join("; ", result.Errors.Select(e => e.Description))}");
            }
        }
    }
}
