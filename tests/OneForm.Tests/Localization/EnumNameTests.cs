using System.Reflection;
using System.Xml.Linq;
using Microsoft.Extensions.Localization;
using OneForm.Admission;
using OneForm.Catalog;
using OneForm.Collection;
using OneForm.Common;
using OneForm.Dictionary;
using OneForm.Dictionary.Validation;
using OneForm.Ledgers;
using OneForm.Media;
using OneForm.Organization;
using OneForm.Registry;
using OneForm.Reports;
using OneForm.Sharing;

namespace OneForm.Tests.Localization;

/// <summary>
/// Every enum a person reads has one table of names (a static <c>Name(value, IStringLocalizer)</c>-shaped method), and
/// every value of it reads in Chinese without a Latin letter and in English.
/// </summary>
public sealed class EnumNameTests
{
    /// <summary>The enums whose values pages, messages, the audit trail and files show.</summary>
    private static readonly Type[] Shown =
    [
        typeof(ElementValueType), typeof(Aggregation), typeof(TimeAggregation), typeof(ElementSource), typeof(RuleImportance),
        typeof(OrgUnitLevel), typeof(Role), typeof(ReportingCycle), typeof(FormCategory), typeof(LegacyDisposition),
        typeof(TaskState), typeof(ReportState), typeof(ReportChannel), typeof(DeductionReason), typeof(AdmissionState),
        typeof(FieldStatus), typeof(MatchKind), typeof(GrantState), typeof(ActivityKind), typeof(LedgerFieldType),
        typeof(LedgerMeasure), typeof(LedgerSource), typeof(Sex), typeof(ResidentStatus),
    ];

    private static List<MethodInfo> Tables() =>
        typeof(Program).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .Where(m => m.ReturnType == typeof(string) && m.GetParameters() is [var value, var localizer]
                        && value.ParameterType.IsEnum && localizer.ParameterType == typeof(IStringLocalizer))
            .ToList();

    [Fact]
    public void Every_enum_a_person_reads_has_a_table_of_names()
    {
        var named = Tables().Select(m => m.GetParameters()[0].ParameterType).ToHashSet();

        var missing = Shown.Where(t => !named.Contains(t)).Select(t => t.Name).ToList();

        Assert.True(missing.Count == 0, "No name table for: " + string.Join(", ", missing));
    }

    [Fact]
    public void Every_value_of_every_table_has_a_Chinese_name_without_Latin_letters_and_an_English_name()
    {
        var chinese = new ResourceLocalizer(ChineseResources());
        var english = new ResourceLocalizer([]);
        var problems = new List<string>();
        var tables = Tables();

        foreach (var table in tables)
        {
            var type = table.GetParameters()[0].ParameterType;
            foreach (var value in Enum.GetValues(type))
            {
                var zh = (string)table.Invoke(null, [value, chinese])!;
                var en = (string)table.Invoke(null, [value, english])!;
                if (string.IsNullOrWhiteSpace(zh) || zh.Any(char.IsAsciiLetter))
                {
                    problems.Add($"{table.DeclaringType!.Name}.{table.Name}({type.Name}.{value}) in Chinese: '{zh}'");
                }
                if (string.IsNullOrWhiteSpace(en) || !en.Any(char.IsAsciiLetter))
                {
                    problems.Add($"{table.DeclaringType!.Name}.{table.Name}({type.Name}.{value}) in English: '{en}'");
                }
            }
        }

        Assert.True(tables.Count >= Shown.Length, $"only {tables.Count} tables found: is the pattern still right?");
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void Every_kind_of_thing_the_audit_trail_records_has_a_Chinese_name()
    {
        var chinese = new ResourceLocalizer(ChineseResources());
        var audited = typeof(Program).Assembly.GetTypes().Where(t => t.IsClass && !t.IsAbstract && typeof(IAudited).IsAssignableFrom(t)).Select(t => t.Name).ToList();
        var names = OneForm.Pages.Oversight.Audit.AuditSentences.SubjectNames;

        var unnamed = audited.Where(t => !names.ContainsKey(t)).ToList();
        var untranslated = names.Where(n => n.Value(chinese) is var zh && (string.IsNullOrWhiteSpace(zh) || zh.Any(char.IsAsciiLetter))).Select(n => n.Key).ToList();

        Assert.True(audited.Count >= 20, $"only {audited.Count} audited entities found: is IAudited still the mark?");
        Assert.True(unnamed.Count == 0, "The audit trail has no name for: " + string.Join(", ", unnamed));
        Assert.True(untranslated.Count == 0, "No Chinese name for: " + string.Join(", ", untranslated));
    }

    private static Dictionary<string, string> ChineseResources()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "OneForm.slnx")))
        {
            dir = dir.Parent;
        }
        var path = Path.Combine(dir!.FullName, "src", "OneForm", "Localization", "SharedResource.zh-CN.resx");
        return XDocument.Load(path).Root!.Elements("data")
            .ToDictionary(d => (string)d.Attribute("name")!, d => (string?)d.Element("value") ?? "");
    }

    /// <summary>The resource file read as the app reads it: the translation if there is one, else the English key.</summary>
    private sealed class ResourceLocalizer(Dictionary<string, string> texts) : IStringLocalizer
    {
        public LocalizedString this[string name] =>
            texts.TryGetValue(name, out var text) ? new(name, text) : new(name, name, resourceNotFound: true);

        public LocalizedString this[string name, params object[] arguments] =>
            new(name, string.Format(System.Globalization.CultureInfo.InvariantCulture, this[name].Value, arguments));

        public IEnumerable<LocalizedString> GetAllStrings(bool includeParentCultures) => [];
    }
}
