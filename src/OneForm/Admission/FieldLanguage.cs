namespace OneForm.Admission;

/// <summary>
/// What the matcher knows of the language of village-form headers, kept as tables so that a gatekeeper who meets a
/// new abbreviation adds a line here instead of a rule in <see cref="FieldMatcher"/>. Each table says what it means;
/// the code that reads them is in the matcher.
/// </summary>
public static class FieldLanguage
{
    /// <summary>
    /// Abbreviations and full names that mean the same in a village form (left: as written; right: the one form both
    /// become). Longer entries are applied first, so a full name is replaced before the words inside it.
    /// </summary>
    public static readonly IReadOnlyList<(string Written, string Canonical)> Abbreviations =
    [
        ("计生", "计划生育"),
        // 实有 (actually living here) is what the dictionary calls 常住.
        ("实有", "常住"),
        // 新农合 and 新农保 were merged into the residents' schemes in 2016–2019; forms still use the old names.
        ("新型农村合作医疗", "城乡居民医保"),
        ("新农合", "城乡居民医保"),
        ("新型农村社会养老保险", "城乡居民养老保险"),
        ("新农保", "城乡居民养老保险"),
        ("村党组织和村民委员会", "两委"),
        ("村党支部和村民委员会", "两委"),
        ("村党组织和村委会", "两委"),
        ("党支部和村委会", "两委"),
        ("社区党组织和居民委员会", "两委"),
        ("村两委", "两委"),
        ("社区两委", "两委"),
        ("村民委员会", "村委会"),
        ("居民委员会", "村委会"),
        ("村居委会", "村委会"),
        ("最低生活保障", "低保"),
        ("低保资金", "低保金"),
        ("特困供养", "特困"),
        ("农村五保供养", "特困"),
        ("五保供养", "特困"),
        ("五保户", "特困人员"),
        ("防止返贫", "防返贫"),
        ("刑释", "刑满释放"),
        ("社矫", "社区矫正"),
        ("重精", "严重精神障碍"),
        ("慢病", "慢性病"),
        ("人民调解员", "调解员"),
        ("网格管理员", "网格员"),
        ("卫生厕所改造", "改厕"),
        ("户厕改造", "改厕"),
        ("厕所改造", "改厕"),
        ("基层党组织", "党组织"),
        ("支部党员大会", "党员大会"),
        ("高龄补贴", "高龄津贴"),
        ("残疾人证", "残疾证"),
        ("农险", "农业保险"),
        ("危改", "危房改造"),
        ("农村危房改造", "危房改造"),
        ("来信来访", "信访"),
        ("专题组织生活会", "组织生活会"),
    ];

    /// <summary>
    /// Counting words that mean the same in a header's last word (left: as written; right: one form): a dispute is
    /// counted in 件, 起 or 宗, a hazard in 处 or 条; people in 人, 名 or 位, or as 人员.
    /// </summary>
    public static readonly IReadOnlyList<(string Written, string Canonical)> CountingWords =
    [
        ("起数", "件数"), ("宗数", "件数"), ("处数", "件数"), ("条数", "件数"), ("项数", "件数"),
        ("名数", "人数"), ("位数", "人数"), ("人员数", "人数"), ("人员数量", "人数"),
    ];

    /// <summary>What a unit in brackets counts, when it counts something: a field in 名 and one in 人 count the same.</summary>
    public static readonly IReadOnlyDictionary<string, string> CountedBy = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["户"] = "户",
        ["人"] = "人", ["名"] = "人", ["位"] = "人",
        ["件"] = "件", ["起"] = "件", ["宗"] = "件", ["处"] = "件", ["条"] = "件",
    };

    /// <summary>
    /// Columns that describe one person, not a unit: what the registry holds (name, sex, birth date, identity number,
    /// ethnicity) or could hold (education, marital status…). A form with these is a roster (名单), not a table of totals.
    /// A column is person-level when its name ends with one of these after at most a short qualifier (户主姓名, 监护人联系电话).
    /// </summary>
    public static readonly IReadOnlyList<string> PersonColumns =
    [
        "姓名", "性别", "出生日期", "出生年月", "出生年月日", "身份证号", "身份证号码", "公民身份号码", "身份号码", "证件号码",
        "民族", "籍贯", "户籍地", "户籍所在地", "文化程度", "学历", "婚姻状况", "政治面貌", "宗教信仰", "健康状况",
        "与户主关系", "户主关系", "户号", "就业状况", "职业", "工作单位", "残疾类别", "残疾等级", "残疾证号", "兵役状况",
    ];

    /// <summary>Columns that describe one person only when the form is already a roster (it has a name or an identity number).</summary>
    public static readonly IReadOnlyList<string> PersonColumnsInRoster =
    [
        "联系电话", "手机号码", "手机号", "电话", "家庭住址", "现住址", "居住地址", "住址", "年龄", "备注",
    ];

    /// <summary>Kinds of person a yes/no column asks about (是否低保对象): a roster column, the person attributes' subject.</summary>
    public static readonly IReadOnlyList<string> PersonKinds =
    [
        "低保对象", "低保户", "特困人员", "五保户", "残疾人", "党员", "中共党员", "退役军人", "独居老人", "空巢老人",
        "监测对象", "脱贫户", "留守儿童", "孤儿", "高龄老人", "流动人口",
    ];

    /// <summary>Words that make a column a figure about many people (平均年龄, 文化程度高中以上人数), never person-level.</summary>
    public static readonly IReadOnlyList<string> AggregateWords = ["数", "率", "平均", "合计", "总", "比例", "占比"];
}
