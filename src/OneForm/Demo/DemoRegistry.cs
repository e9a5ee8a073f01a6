using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using OneForm.Data;
using OneForm.Organization;
using OneForm.Registry;
using OneForm.Registry.Derivation;

namespace OneForm.Demo;

/// <summary>
/// A deterministic, realistic population for the demo: households of realistic size and relations, an age pyramid,
/// Changji's ethnic mix, valid identity numbers. By default only 建国路街道 (fast first start); <c>Demo:Registry=full</c>
/// generates every village and community of the tree (about 1.6 million residents).
/// </summary>
internal sealed class DemoRegistry(OneFormDbContext db, ResidentImporter importer, AttributeImporter attributeImporter, TimeProvider time,
    IConfiguration configuration, ILogger<DemoRegistry> log)
{
    public const string DefaultScope = "652301004000";

    /// <summary>
    /// The derivation rules of the demo dictionary's derived elements: only what the registry knows. Who actually lives
    /// in a unit (常住人口, 常住户数) is not in the household register, so those elements are typed by the unit.
    /// </summary>
    public static readonly (string Element, DerivationCount Counts, int? MinAge, int? MaxAge, Sex? Sex, string? Excluded, string? Attribute)[] Rules =
    [
        ("POP_REGISTERED", DerivationCount.Residents, null, null, null, null, null),
        ("HOUSEHOLDS", DerivationCount.Households, null, null, null, null, null),
        ("POP_MALE", DerivationCount.Residents, null, null, Sex.Male, null, null),
        ("POP_FEMALE", DerivationCount.Residents, null, null, Sex.Female, null, null),
        ("POP_MINORITY", DerivationCount.Residents, null, null, null, "汉族", null),
        ("POP_AGE_60_69", DerivationCount.Residents, 60, 69, null, null, null),
        ("POP_AGE_70_79", DerivationCount.Residents, 70, 79, null, null, null),
        ("POP_AGE_80_PLUS", DerivationCount.Residents, 80, null, null, null, null),
        ("POP_AGE_60_PLUS", DerivationCount.Residents, 60, null, null, null, null),
        ("CHILDREN_0_6", DerivationCount.Residents, null, 6, null, null, null),
        ("CHILDREN_SCHOOL_AGE", DerivationCount.Residents, 6, 15, null, null, null),
        ("POP_WORKING_AGE", DerivationCount.Residents, 16, 59, null, null, null),
        ("DIBAO_PERSONS", DerivationCount.Residents, null, null, null, null, "PA_LOW_INCOME"),
        ("DIBAO_HOUSEHOLDS", DerivationCount.Households, null, null, null, null, "PA_LOW_INCOME"),
        ("DISABLED_TOTAL", DerivationCount.Residents, null, null, null, null, "PA_DISABLED"),
        ("VETERANS", DerivationCount.Residents, null, null, null, null, "PA_VETERAN"),
        ("ELDERLY_LIVING_ALONE", DerivationCount.Residents, 60, null, null, null, "PA_LIVING_ALONE"),
        ("TEKUN_PERSONS", DerivationCount.Residents, null, null, null, null, "PA_TEKUN"),
        ("MONITORED_PERSONS", DerivationCount.Residents, null, null, null, null, "PA_MONITORED"),
        ("MONITORED_HOUSEHOLDS", DerivationCount.Households, null, null, null, null, "PA_MONITORED"),
        ("LEFT_BEHIND_CHILDREN", DerivationCount.Residents, null, 15, null, null, "PA_LEFT_BEHIND_CHILD"),
        ("PARTY_MEMBERS_UNDER_35", DerivationCount.Residents, null, 35, null, null, "PA_PARTY_MEMBER"),
        ("PARTY_MEMBERS_MINORITY", DerivationCount.Residents, null, null, null, "汉族", "PA_PARTY_MEMBER"),
    ];

    private static readonly (string Name, int Weight)[] Ethnicities = [("汉族", 70), ("回族", 14), ("哈萨克族", 9), ("维吾尔族", 5), ("蒙古族", 2)];
    private static readonly string[] Surnames = ["王", "李", "张", "刘", "陈", "杨", "马", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高", "林", "何", "郭", "罗"];
    private static readonly string[] Given = ["建国", "秀英", "桂兰", "志强", "海燕", "丽娟", "伟", "芳", "敏", "静", "磊", "洋", "婷", "军", "霞", "勇", "杰", "娜", "涛", "艳", "阿依古丽", "努尔兰", "古丽娜"];

    public async Task SeedAsync(CancellationToken cancellationToken = default)
    {
        await SeedRulesAsync(cancellationToken);
        if (await db.Residents.AnyAsync(cancellationToken))
        {
            return;
        }
        var full = string.Equals(configuration["Demo:Registry"], "full", StringComparison.OrdinalIgnoreCase);
        var scope = full ? null : await db.OrgUnits.AsNoTracking().Where(u => u.Code == DefaultScope).Select(u => u.Path).SingleOrDefaultAsync(cancellationToken);
        var villages = await (scope is null ? db.OrgUnits : db.OrgUnits.InSubtree(scope)).AsNoTracking()
            .Where(u => u.Level == OrgUnitLevel.Village).OrderBy(u => u.Code).Select(u => u.Code).ToListAsync(cancellationToken);
        var path = Path.Combine(Path.GetTempPath(), $"oneform-demo-registry-{Guid.NewGuid():N}.csv");
        var attributesPath = path + ".attributes.csv";
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        await using (var writer = new StreamWriter(path, false, new UTF8Encoding(false)))
        await using (var attributes = new StreamWriter(attributesPath, false, new UTF8Encoding(false)))
        {
            await WriteAsync(writer, villages, full ? 1700 : 60, today, attributes);
        }
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.DeleteOnClose);
        var batch = await importer.StartAsync("demo-registry.csv", file.Length, "seed:demo");
        await importer.RunAsync(batch.Id, file, isXlsx: false, cancellationToken: cancellationToken);
        await using (var attributeFile = new FileStream(attributesPath, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.DeleteOnClose))
        {
            await attributeImporter.ImportAsync(attributeFile, "demo-person-attributes.csv", isXlsx: false,
                new OneForm.Organization.CallerScope(Role.Administrator, null, null, null), "seed:demo", cancellationToken);
        }
        log.LogInformation("Demo registry: residents for {Villages} villages and communities", villages.Count);
    }

    private async Task SeedRulesAsync(CancellationToken cancellationToken)
    {
        var codes = Rules.Select(r => r.Element).Concat(Rules.Select(r => r.Attribute).OfType<string>()).ToList();
        var elements = await db.DataElements.Where(e => codes.Contains(e.Code)).ToDictionaryAsync(e => e.Code, e => e.Id, cancellationToken);
        var existing = (await db.DerivationRules.Select(r => r.DataElementId).ToListAsync(cancellationToken)).ToHashSet();
        foreach (var rule in Rules.Where(r => elements.ContainsKey(r.Element) && !existing.Contains(elements[r.Element])))
        {
            db.DerivationRules.Add(new DerivationRule
            {
                DataElementId = elements[rule.Element], Counts = rule.Counts, MinAge = rule.MinAge, MaxAge = rule.MaxAge, Sex = rule.Sex,
                ExcludedEthnicities = rule.Excluded,
                AttributeElementId = rule.Attribute is { } attribute && elements.TryGetValue(attribute, out var id) ? id : null,
                AttributeValue = rule.Attribute is null ? null : "true",
            });
        }
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Writes about <paramref name="perVillage"/> residents for each village, the same every time.</summary>
    public static async Task WriteAsync(TextWriter writer, IReadOnlyList<string> villages, int perVillage, DateOnly today, TextWriter? attributes = null)
    {
        var random = new Random(2019);
        // The attributes added later draw from their own sequence, so the residents stay the same as before.
        var later = new Random(2026);
        await writer.WriteLineAsync("身份证号,姓名,性别,出生日期,民族,户号,与户主关系,村居代码,住址,联系电话");
        if (attributes is not null)
        {
            await attributes.WriteLineAsync("身份证号,PA_LOW_INCOME,PA_DISABLED,PA_PARTY_MEMBER,PA_VETERAN,PA_LIVING_ALONE,PA_TEKUN,PA_MONITORED,PA_LEFT_BEHIND_CHILD");
        }
        var sequence = 0;
        var issued = new HashSet<long>();
        foreach (var village in villages)
        {
            var people = 0;
            var household = 0;
            while (people < perVillage)
            {
                household++;
                var number = $"{village}-{household:0000}";
                var ethnicity = Pick(random, Ethnicities);
                var surname = Surnames[random.Next(Surnames.Length)];
                var headAge = 22 + (int)Math.Abs(NormalSample(random) * 18 + 20);
                var members = new List<(int Age, Sex Sex, string Relation)> { (Math.Min(headAge, 95), random.Next(10) < 8 ? Sex.Male : Sex.Female, "户主") };
                var size = Pick(random, [(1, 12), (2, 25), (3, 28), (4, 20), (5, 10), (6, 5)]);
                var monitored = later.Next(100) < 3;
                if (size >= 2)
                {
                    members.Add((Math.Clamp(members[0].Age + random.Next(-4, 4), 20, 99), members[0].Sex == Sex.Male ? Sex.Female : Sex.Male, members[0].Sex == Sex.Male ? "妻" : "夫"));
                }
                for (var c = 2; c < size; c++)
                {
                    var childAge = Math.Max(0, members[0].Age - 22 - random.Next(0, 14));
                    members.Add((childAge, random.Next(2) == 0 ? Sex.Male : Sex.Female, random.Next(2) == 0 ? "子" : "女"));
                }
                foreach (var (age, sex, relation) in members)
                {
                    var birth = today.AddYears(-age).AddDays(-random.Next(0, 365));
                    // The sequence code: odd for men, even for women, unique per county and birth date as a registry's is.
                    var seq = (sequence++ % 500) * 2 + (sex == Sex.Male ? 1 : 0);
                    var first17 = string.Create(CultureInfo.InvariantCulture, $"{village[..6]}{birth:yyyyMMdd}{seq:000}");
                    while (!issued.Add(long.Parse(first17, CultureInfo.InvariantCulture)))
                    {
                        seq = (seq + 2) % 1000;
                        first17 = string.Create(CultureInfo.InvariantCulture, $"{village[..6]}{birth:yyyyMMdd}{seq:000}");
                    }
                    var id = first17 + IdentityNumber.CheckDigitFor(first17);
                    var name = surname + Given[random.Next(Given.Length)];
                    await writer.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                        $"{id},{name},{(sex == Sex.Male ? "男" : "女")},{birth:yyyy-MM-dd},{ethnicity},{number},{relation},{village},{household}号院,139{random.Next(10000000, 99999999)}"));
                    if (attributes is not null)
                    {
                        // Some residents are known to departments: low income, disability, party membership, veterans, the elderly alone,
                        // extreme-poverty support, households monitored against relapse into poverty, left-behind children.
                        var lowIncome = random.Next(100) < 4;
                        var disabled = random.Next(100) < 5;
                        var party = age >= 18 && random.Next(100) < 8;
                        var veteran = sex == Sex.Male && age >= 30 && random.Next(100) < 4;
                        var alone = age >= 60 && size == 1;
                        var tekun = (alone || disabled) && later.Next(100) < 8;
                        var leftBehind = age <= 15 && later.Next(100) < 10;
                        if (lowIncome || disabled || party || veteran || alone || tekun || monitored || leftBehind)
                        {
                            await attributes.WriteLineAsync(string.Join(',', id, Flag(lowIncome), Flag(disabled), Flag(party), Flag(veteran), Flag(alone),
                                Flag(tekun), Flag(monitored), Flag(leftBehind)));
                        }
                    }
                    people++;
                }
            }
        }
    }

    private static string Flag(bool value) => value ? "是" : "否";

    private static T Pick<T>(Random random, (T Value, int Weight)[] choices)
    {
        var roll = random.Next(choices.Sum(c => c.Weight));
        foreach (var (value, weight) in choices)
        {
            if ((roll -= weight) < 0)
            {
                return value;
            }
        }
        return choices[^1].Value;
    }

    private static double NormalSample(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
