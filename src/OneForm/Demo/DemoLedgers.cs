using Microsoft.EntityFrameworkCore;
using OneForm.Data;
using OneForm.Ledgers;
using OneForm.Localization;
using OneForm.Media;

namespace OneForm.Demo;

/// <summary>
/// The demo's ledgers: kinds of 台账 with the rules that replace the counts typed before (disputes handled and
/// mediated, major disputes, visits to veterans, hazards found, fixed and major; petitions received, patrols,
/// services handled: each an event a unit records as it happens), the 三会一课 and 主题党日 counts from activity
/// records, and a few entries of 锦绣社区 in the current and the previous month.
/// </summary>
internal sealed class DemoLedgers(OneFormDbContext db, OneForm.Ledgers.Ledgers ledgers, LedgerRules rules, DisplayTime time)
{
    public const string Disputes = "矛盾纠纷排查调处台账";
    public const string Visits = "走访台账";
    public const string Hazards = "安全隐患排查整改台账";
    public const string Petitions = "信访登记台账";
    public const string Patrols = "群防群治巡逻台账";
    public const string Services = "便民服务台账";
    public const string Jinxiu = "652301004002";

    private static readonly (string Name, string English, string Department, LedgerFieldRequest[] Fields)[] Kinds =
    [
        (Disputes, "Dispute screening and mediation ledger", "ZFW",
        [
            new("日期", LedgerFieldType.Date, true, EnglishName: "Date"),
            new("当事人数", LedgerFieldType.Integer, true, EnglishName: "Parties"),
            new("纠纷类型", LedgerFieldType.Option, true, ["婚姻家庭", "邻里纠纷", "土地纠纷", "劳资纠纷", "其他"], "Kind of dispute"),
            new("纠纷等级", LedgerFieldType.Option, true, ["一般", "重大"], "Severity"),
            new("调处结果", LedgerFieldType.Option, true, ["调解成功", "未成功", "移交"], "Outcome"),
            new("简要情况", LedgerFieldType.Text, EnglishName: "Summary"),
        ]),
        (Visits, "Visits ledger", "TYJ",
        [
            new("日期", LedgerFieldType.Date, true, EnglishName: "Date"),
            new("走访对象", LedgerFieldType.Text, true, EnglishName: "Visited"),
            new("对象类别", LedgerFieldType.Option, true, ["退役军人", "困难群众", "独居老人", "其他"], "Group"),
            new("走访人次", LedgerFieldType.Integer, true, EnglishName: "Person-visits"),
            new("反映事项", LedgerFieldType.Text, EnglishName: "Matters raised"),
        ]),
        (Hazards, "Safety hazard screening and correction ledger", "ZFW",
        [
            new("日期", LedgerFieldType.Date, true, EnglishName: "Date"),
            new("隐患地点", LedgerFieldType.Text, true, EnglishName: "Place"),
            new("隐患类型", LedgerFieldType.Option, true, ["消防", "燃气", "用电", "房屋", "其他"], "Kind of hazard"),
            new("隐患等级", LedgerFieldType.Option, true, ["一般", "重大"], "Severity"),
            new("整改状态", LedgerFieldType.Option, true, ["已整改", "整改中", "未整改"], "Correction"),
            new("整改完成日期", LedgerFieldType.Date, EnglishName: "Corrected on"),
        ]),
        (Petitions, "Petitions register", "ZFW",
        [
            new("日期", LedgerFieldType.Date, true, EnglishName: "Date"),
            new("信访人", LedgerFieldType.Text, true, EnglishName: "Petitioner"),
            new("反映事项", LedgerFieldType.Text, true, EnglishName: "Matter"),
            new("办理状态", LedgerFieldType.Option, true, ["已办结", "办理中"], "State"),
        ]),
        (Patrols, "Joint patrol ledger", "GAJ",
        [
            new("日期", LedgerFieldType.Date, true, EnglishName: "Date"),
            new("巡逻区域", LedgerFieldType.Text, true, EnglishName: "Area"),
            new("参加人数", LedgerFieldType.Integer, true, EnglishName: "Patrollers"),
            new("发现问题", LedgerFieldType.Text, EnglishName: "Found"),
        ]),
        (Services, "Convenience services ledger", "MZJ",
        [
            new("日期", LedgerFieldType.Date, true, EnglishName: "Date"),
            new("服务对象", LedgerFieldType.Text, true, EnglishName: "Served"),
            new("事项类型", LedgerFieldType.Option, true, ["证明开具", "社保医保", "民政救助", "其他"], "Kind of matter"),
            new("办理结果", LedgerFieldType.Option, true, ["已办结", "转办"], "Outcome"),
        ]),
    ];

    public async Task SeedAsync(CancellationToken cancellationToken = default)
    {
        if (await db.LedgerKinds.AnyAsync(cancellationToken))
        {
            return;
        }
        var kinds = new Dictionary<string, int>();
        foreach (var (name, english, department, fields) in Kinds)
        {
            var (kind, errors) = await ledgers.DefineAsync(new LedgerKindRequest(name, english, department, fields), cancellationToken);
            kinds[name] = kind?.Id ?? throw new CommandLine.StartupProblem($"{name}: {string.Join("; ", errors.SelectMany(e => e.Value))}");
        }
        LedgerRuleRequest Count(string element, string kind, params LedgerFilterRequest[] filters) =>
            new(element, LedgerSource.Ledger, LedgerMeasure.Count, kinds[kind], Filters: filters);
        LedgerRuleRequest Meetings(string element, ActivityKind activity, LedgerMeasure measure = LedgerMeasure.Count) =>
            new(element, LedgerSource.Activities, measure, Activity: activity);
        foreach (var rule in new[]
        {
            Count("DISPUTES_SCREENED", Disputes),
            Count("DISPUTES_MEDIATED", Disputes, new LedgerFilterRequest("调处结果", "调解成功")),
            Count("DISPUTES_MAJOR", Disputes, new LedgerFilterRequest("纠纷等级", "重大")),
            new LedgerRuleRequest("VETERANS_VISITED", LedgerSource.Ledger, LedgerMeasure.Sum, kinds[Visits], Field: "走访人次",
                Filters: [new LedgerFilterRequest("对象类别", "退役军人")]),
            Count("HAZARDS_CHECKED", Hazards),
            Count("HAZARDS_FIXED", Hazards, new LedgerFilterRequest("整改状态", "已整改")),
            Count("HAZARDS_MAJOR", Hazards, new LedgerFilterRequest("隐患等级", "重大")),
            Meetings("BRANCH_COMMITTEE_MEETINGS", ActivityKind.BranchCommittee),
            Meetings("MEMBER_GENERAL_MEETINGS", ActivityKind.MembersAssembly),
            Meetings("PARTY_GROUP_MEETINGS", ActivityKind.GroupMeeting),
            Meetings("PARTY_LECTURES", ActivityKind.PartyLesson),
            Meetings("LAST_COMMITTEE_MEETING_DATE", ActivityKind.BranchCommittee, LedgerMeasure.Latest),
            Meetings("THEME_PARTY_DAYS", ActivityKind.ThemePartyDay),
            // A petition counts in the period it was received. Those resolved in a period may have been received earlier
            // (the check 信访办结件数不大于信访件数 asks for the reason), so 信访办结件数 stays typed.
            Count("PETITIONS", Petitions),
            Count("PATROL_TIMES", Patrols),
            Count("SERVICE_ITEMS_HANDLED", Services),
        })
        {
            var (saved, errors) = await rules.SaveAsync(rule, cancellationToken);
            if (saved is null)
            {
                throw new CommandLine.StartupProblem($"{rule.Element}: {string.Join("; ", errors.SelectMany(e => e.Value))}");
            }
        }

        // A few entries of 锦绣社区, recorded by its cadre, in the previous month and this one.
        var unit = await db.OrgUnits.AsNoTracking().SingleOrDefaultAsync(u => u.Code == Jinxiu, cancellationToken);
        var cadre = await db.Users.AsNoTracking().Where(u => u.UserName == "cadre.jinxiu").Select(u => u.Id).SingleOrDefaultAsync(cancellationToken);
        if (unit is null || cadre is null)
        {
            return;
        }
        var today = time.Today;
        var lastMonth = new DateOnly(today.Year, today.Month, 1).AddMonths(-1);
        string Day(DateOnly month, int day) => month.AddDays(Math.Min(day, DateTime.DaysInMonth(month.Year, month.Month)) - 1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var thisMonth = new DateOnly(today.Year, today.Month, 1);
        var entries = new (string Kind, Dictionary<string, string?> Values)[]
        {
            (Disputes, new() { ["日期"] = Day(lastMonth, 3), ["当事人数"] = "2", ["纠纷类型"] = "邻里纠纷", ["纠纷等级"] = "一般", ["调处结果"] = "调解成功", ["简要情况"] = "楼上漏水引发邻里矛盾，协商赔偿后和解。" }),
            (Disputes, new() { ["日期"] = Day(lastMonth, 12), ["当事人数"] = "3", ["纠纷类型"] = "婚姻家庭", ["纠纷等级"] = "一般", ["调处结果"] = "调解成功" }),
            (Disputes, new() { ["日期"] = Day(lastMonth, 20), ["当事人数"] = "5", ["纠纷类型"] = "劳资纠纷", ["纠纷等级"] = "重大", ["调处结果"] = "移交", ["简要情况"] = "工地欠薪，移交劳动监察大队。" }),
            (Disputes, new() { ["日期"] = Day(thisMonth, 1), ["当事人数"] = "2", ["纠纷类型"] = "邻里纠纷", ["纠纷等级"] = "一般", ["调处结果"] = "未成功" }),
            (Visits, new() { ["日期"] = Day(lastMonth, 5), ["走访对象"] = "王某（退役军人）", ["对象类别"] = "退役军人", ["走访人次"] = "1" }),
            (Visits, new() { ["日期"] = Day(lastMonth, 18), ["走访对象"] = "李某家庭", ["对象类别"] = "困难群众", ["走访人次"] = "2", ["反映事项"] = "申请临时救助。" }),
            (Visits, new() { ["日期"] = Day(lastMonth, 25), ["走访对象"] = "退役军人之家", ["对象类别"] = "退役军人", ["走访人次"] = "4" }),
            (Hazards, new() { ["日期"] = Day(lastMonth, 8), ["隐患地点"] = "锦绣小区3号楼", ["隐患类型"] = "消防", ["隐患等级"] = "一般", ["整改状态"] = "已整改", ["整改完成日期"] = Day(lastMonth, 10) }),
            (Hazards, new() { ["日期"] = Day(lastMonth, 15), ["隐患地点"] = "沿街商铺", ["隐患类型"] = "燃气", ["隐患等级"] = "重大", ["整改状态"] = "整改中" }),
        };
        foreach (var (kindName, values) in entries)
        {
            var kind = (await ledgers.KindAsync(kinds[kindName], cancellationToken))!;
            var (entry, errors, _) = await ledgers.RecordAsync(cadre, unit, kind, values, cancellationToken);
            if (entry is null)
            {
                throw new CommandLine.StartupProblem($"{kindName}: {string.Join("; ", errors.SelectMany(e => e.Value))}");
            }
        }
    }
}
