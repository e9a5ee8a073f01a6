using System.Text.Json;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.Extensions.Localization;
using OneForm.Admission;
using OneForm.Catalog;
using OneForm.Collection;
using OneForm.Dictionary;
using OneForm.Dictionary.Validation;
using OneForm.Ledgers;
using OneForm.Media;
using OneForm.Organization;
using OneForm.Registry;
using OneForm.Registry.Derivation;
using OneForm.Reports;
using OneForm.Sharing;

namespace OneForm.Pages.Oversight.Audit;

/// <summary>
/// An audit entry's changes as people read them, one sentence per field ("状态：调查中 → 查实"), not the stored JSON
/// (<c>{"State":["Investigating","Substantiated"]}</c>). The trail itself keeps the enum names: they are what the code
/// and the database say, and they do not change with the reader's language.
/// </summary>
public sealed class AuditSentences(IModel model, IStringLocalizer l)
{
    /// <summary>The name table of every enum an audited entity holds (a test keeps this list complete).</summary>
    internal static readonly IReadOnlyDictionary<Type, Func<string, IStringLocalizer, string?>> EnumNames = new Dictionary<Type, Func<string, IStringLocalizer, string?>>
    {
        [typeof(ReportState)] = Named<ReportState>(ReportNames.State),
        [typeof(ReportChannel)] = Named<ReportChannel>(ReportNames.Channel),
        [typeof(TaskState)] = Named<TaskState>(TaskStates.Name),
        [typeof(AdmissionState)] = Named<AdmissionState>(AdmissionStates.Name),
        [typeof(GrantState)] = Named<GrantState>(GrantStates.Name),
        [typeof(Role)] = Named<Role>(RoleNames.Name),
        [typeof(OrgUnitLevel)] = Named<OrgUnitLevel>(OrgUnitLevels.Name),
        [typeof(ReportingCycle)] = Named<ReportingCycle>(FormCategories.CycleName),
        [typeof(FormCategory)] = Named<FormCategory>(FormCategories.Name),
        [typeof(FormStatus)] = Named<FormStatus>(FormCategories.StatusName),
        [typeof(LegacyDisposition)] = Named<LegacyDisposition>(FormCategories.DispositionName),
        [typeof(IssuerLevel)] = Named<IssuerLevel>(FormCategories.IssuerLevelName),
        [typeof(ElementValueType)] = Named<ElementValueType>(ElementNames.ValueType),
        [typeof(Aggregation)] = Named<Aggregation>(ElementNames.Aggregation),
        [typeof(TimeAggregation)] = Named<TimeAggregation>(TimeAggregations.Name),
        [typeof(ElementSource)] = Named<ElementSource>(ElementNames.Source),
        [typeof(RuleImportance)] = Named<RuleImportance>(RuleImportances.Name),
        [typeof(RuleOperator)] = Named<RuleOperator>(RuleOperators.Name),
        [typeof(ActivityKind)] = Named<ActivityKind>(ActivityKinds.Name),
        [typeof(LedgerFieldType)] = Named<LedgerFieldType>(LedgerFieldTypes.Name),
        [typeof(LedgerSource)] = Named<LedgerSource>(LedgerSources.Name),
        [typeof(LedgerMeasure)] = Named<LedgerMeasure>(LedgerMeasures.Name),
        [typeof(Sex)] = Named<Sex>(ResidentNames.Name),
        [typeof(DerivationCount)] = Named<DerivationCount>(DerivationCounts.Name),
    };

    private static Func<string, IStringLocalizer, string?> Named<T>(Func<T, IStringLocalizer, string> name) where T : struct, Enum =>
        (text, l) => Enum.TryParse<T>(text, out var value) && Enum.IsDefined(value) && !int.TryParse(text, out _) ? name(value, l) : null;

    /// <summary>An entry's summary as people read it: a divisions import's counts as a sentence, levels by name; others as written.</summary>
    public string? Summary(AuditEntry entry) =>
        entry.Kind == "Divisions.Imported" && OneForm.Organization.Divisions.DivisionImportSummary.TryRead(entry.Summary) is { } import
            ? import.Sentence(l)
            : entry.Summary;

    public IReadOnlyList<string> For(AuditEntry entry)
    {
        if (string.IsNullOrEmpty(entry.Changes))
        {
            return [];
        }
        Dictionary<string, JsonElement[]>? changes;
        try
        {
            changes = JsonSerializer.Deserialize<Dictionary<string, JsonElement[]>>(entry.Changes);
        }
        catch (JsonException)
        {
            return [entry.Changes];
        }
        var entity = model.GetEntityTypes().FirstOrDefault(t => t.ClrType.Name == entry.EntityType && !t.IsOwned());
        var lines = new List<string>();
        foreach (var (field, values) in changes ?? [])
        {
            var type = entity?.FindProperty(field)?.ClrType;
            type = type is null ? null : Nullable.GetUnderlyingType(type) ?? type;
            var before = values.Length > 0 ? Text(values[0], field, type) : null;
            var after = values.Length > 1 ? Text(values[1], field, type) : null;
            var name = FieldName(field);
            lines.Add(before is null ? l["{0}: {1}", name, after ?? "—"]
                : after is null ? l["{0}: {1} (removed)", name, before]
                : l["{0}: {1} → {2}", name, before, after]);
        }
        return lines;
    }

    private string? Text(JsonElement value, string field, Type? type) => value.ValueKind switch
    {
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        JsonValueKind.True => l["Yes"],
        JsonValueKind.False => l["No"],
        JsonValueKind.Array => string.Join("、", value.EnumerateArray().Select(v => Text(v, field, type)).OfType<string>()),
        JsonValueKind.String when field is "TargetLevels" or "Levels" =>
            string.Join("、", value.GetString()!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(level => EnumNames[typeof(OrgUnitLevel)](level, l) ?? level)),
        JsonValueKind.String when type is { IsEnum: true } && EnumNames.TryGetValue(type, out var name) => name(value.GetString()!, l) ?? value.GetString(),
        JsonValueKind.String when Record(value.GetString()!) is { } record => record,
        JsonValueKind.String => value.GetString(),
        _ => value.GetRawText(),
    };

    /// <summary>A record's values kept as a JSON object (a ledger entry's fields) as "field：value；…", not as JSON.</summary>
    private static string? Record(string text)
    {
        if (!text.StartsWith('{'))
        {
            return null;
        }
        try
        {
            using var json = JsonDocument.Parse(text);
            return string.Join("；", json.RootElement.EnumerateObject().Select(p => $"{p.Name}：{(p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() : p.Value.GetRawText())}"));
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>What a field is called, for the fields people change; a field not named here shows as it is called in the code.</summary>
    private string FieldName(string field) => field switch
    {
        "State" or "Status" => l["Status"],
        "Name" or "DisplayName" => l["Name"],
        "NameEn" or "EnglishName" or "MessageEn" => l["English name"],
        "Code" => l["Code"],
        "Values" => l["Values recorded"],
        "Role" => l["Role"],
        "Level" or "IssuerLevel" => l["Level"],
        "TargetLevels" or "Levels" => l["Levels"],
        "ParentId" => l["Parent unit"],
        "OrgUnitId" => l["Org unit"],
        "DepartmentId" or "OwnerDepartmentId" or "IssuingDepartmentId" => l["Department"],
        "IsDisabled" => l["Disabled"],
        "IsRetired" => l["Retired"],
        "Password" => l["Password"],
        "Category" => l["Category"],
        "Cycle" => l["Cycle"],
        "Title" or "FormTitle" => l["Title"],
        "Purpose" => l["Purpose"],
        "ValueType" => l["Value type"],
        "Unit" => l["Unit"],
        "Aggregation" => l["Aggregation"],
        "TimeAggregation" => l["Over time"],
        "Source" => l["Source"],
        "Required" => l["Required"],
        "Kind" or "ActivityKind" => l["Kind"],
        "Finding" => l["Finding"],
        "Channel" => l["Channel"],
        "Designer" or "ResponsibleDesigner" => l["Designer"],
        "ResponsibleDepartmentId" => l["Responsible department"],
        "Version" => l["Version"],
        "DeadlineDays" => l["Days to the deadline"],
        "Deadline" or "RectificationDue" => l["Deadline"],
        "ExpiresOn" or "ExpiresAt" => l["Expires"],
        "Synonyms" => l["Synonyms"],
        "Formula" => l["Formula"],
        "Importance" => l["Importance"],
        "Message" => l["Message"],
        "ReviewComment" or "DecisionNote" or "DecisionReasons" or "InterviewNote" => l["Comment"],
        "AdmissionCode" => l["Admission code"],
        "Disposition" => l["What became of it"],
        "Participants" => l["Participants"],
        "OccurredOn" => l["Date"],
        "RevokedAt" => l["Revoked"],
        "MayUnmask" => l["May see full identity numbers"],
        "UrbanRuralCode" => l["Urban–rural code"],
        _ => field,
    };
}
