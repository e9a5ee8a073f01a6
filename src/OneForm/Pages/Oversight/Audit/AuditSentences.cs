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
public sealed partial class AuditSentences(IModel model, IStringLocalizer l, Func<DateTimeOffset, string> formatTime)
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

    /// <summary>
    /// An entry's summary as people read it, with whether it is a sentence for people or a technical record line as
    /// the operation wrote it (the page shows those as code): the summaries OneForm writes in numbers (values saved,
    /// imports, reminders, group members) read as sentences in the reader's language, with element codes left out
    /// (the changes name them).
    /// </summary>
    public (string Text, bool IsRecord)? Summary(AuditEntry entry)
    {
        if (entry.Summary is not { } summary)
        {
            return null;
        }
        string? sentence = entry.Kind switch
        {
            "Divisions.Imported" when OneForm.Organization.Divisions.DivisionImportSummary.TryRead(summary) is { } import => import.Sentence(l),
            "Values.Saved" when SavedValues().Match(summary) is { Success: true } m => string.Join("；", new[]
            {
                l["{0} values saved ({1})", m.Groups["count"].Value, SourceName(m.Groups["source"].Value)]
                    + (m.Groups["file"].Success ? " " + l["from {0}", m.Groups["file"].Value] : ""),
                m.Groups["longer"].Success ? l["{0} values of longer periods follow", m.Groups["longer"].Value].Value : null,
                m.Groups["reopened"].Success ? l["reopened {0}", m.Groups["reopened"].Value.Replace("(task ", "(#", StringComparison.Ordinal)].Value : null,
            }.OfType<string>()),
            "Registry.Imported" or "Registry.AttributesImported" when ImportCounts().Match(summary) is { Success: true } m =>
                l["{0}: read {1}, added {2}, changed {3}, unchanged {4}, rejected {5}", m.Groups["file"].Value, m.Groups["read"].Value, m.Groups["inserted"].Value,
                    m.Groups["updated"].Value, m.Groups["unchanged"].Value, m.Groups["rejected"].Value],
            "Collection.Urged" when Urged().Match(summary) is { Success: true } m => l["{0}: {1} units not started reminded ({2} people)", m.Groups["form"].Value, m.Groups["units"].Value, m.Groups["people"].Value],
            "UnitGroup.MembersChanged" when Members().Match(summary) is { Success: true } m => l["{0} units before, {1} after", m.Groups["before"].Value, m.Groups["after"].Value],
            _ => null,
        };
        return sentence is null ? (summary, true) : (sentence, false);
    }

    private string SourceName(string source) => source switch
    {
        "entered" => l["typed in"],
        "imported" => l["from a file"],
        "derived" => l["from the population registry"],
        "ledger" => l["from the ledgers and activity records"],
        "overtime" => l["computed over periods"],
        _ => source,
    };

    [System.Text.RegularExpressions.GeneratedRegex(@"^.*?: (?<count>\d+) values (?<source>[a-z]+)(?: from (?<file>.+?))? \([^)]*\)(?:; (?<longer>\d+) values of longer periods follow)?(?:; reopened (?<reopened>.*))?$")]
    private static partial System.Text.RegularExpressions.Regex SavedValues();

    [System.Text.RegularExpressions.GeneratedRegex(@"^(?<file>.*): read (?<read>\d+), inserted (?<inserted>\d+), updated (?<updated>\d+), unchanged (?<unchanged>\d+), rejected (?<rejected>\d+)$")]
    private static partial System.Text.RegularExpressions.Regex ImportCounts();

    [System.Text.RegularExpressions.GeneratedRegex(@"^(?<form>.*): (?<units>\d+) units not started reminded \((?<people>\d+) people\)$")]
    private static partial System.Text.RegularExpressions.Regex Urged();

    [System.Text.RegularExpressions.GeneratedRegex(@"^(?<before>\d+) -> (?<after>\d+) units$")]
    private static partial System.Text.RegularExpressions.Regex Members();

    /// <summary>
    /// One field's change as people read it: the field's name (null when the field has none for people yet: the page
    /// then shows it as the code it is) and what became of it ("调查中 → 举报属实").
    /// </summary>
    public sealed record Change(string Field, string? Name, string Text)
    {
        /// <summary>An English name's value is English whatever the reader's language (the page marks it so).</summary>
        public bool InEnglish => Field is "NameEn" or "EnglishName" or "MessageEn";
    }

    public IReadOnlyList<Change> For(AuditEntry entry)
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
            return [new Change("", null, l["(kept with the record)"])];
        }
        var entity = model.GetEntityTypes().FirstOrDefault(t => t.ClrType.Name == entry.EntityType && !t.IsOwned());
        var lines = new List<Change>();
        foreach (var (field, values) in changes ?? [])
        {
            var type = entity?.FindProperty(field)?.ClrType;
            type = type is null ? null : Nullable.GetUnderlyingType(type) ?? type;
            var before = values.Length > 0 ? Text(values[0], field, type) : null;
            var after = values.Length > 1 ? Text(values[1], field, type) : null;
            lines.Add(new Change(field, FieldName(field), before is null ? after ?? "—"
                : after is null ? l["{0} (removed)", before]
                : l["{0} → {1}", before, after]));
        }
        return lines;
    }

    /// <summary>
    /// What an entry is about and what happened, as people say it ("举报 · 修改"); null when either part has no name
    /// yet (the page then shows the kind as the code it is).
    /// </summary>
    public string? KindName(string kind)
    {
        var parts = kind.Split('.', 2);
        return SubjectNames.TryGetValue(parts[0], out var subject) && ActionNames.TryGetValue(parts.ElementAtOrDefault(1) ?? "", out var action)
            ? $"{subject(l)} · {action(l)}"
            : null;
    }

    /// <summary>The name of everything the trail records, by the first part of its kind: every audited entity (a test keeps this complete) and the operations that write their own lines.</summary>
    internal static readonly IReadOnlyDictionary<string, Func<IStringLocalizer, string>> SubjectNames = new Dictionary<string, Func<IStringLocalizer, string>>
    {
        ["AccessToken"] = l => l["Access token"],
        ["Activity"] = l => l["Activity record"],
        ["AdmissionRequest"] = l => l["Admission request"],
        ["DataElement"] = l => l["Data element"],
        ["DataGrant"] = l => l["Data grant"],
        ["Department"] = l => l["Department"],
        ["DerivationRule"] = l => l["Derivation rule"],
        ["FillingTask"] = l => l["Form to fill"],
        ["Form"] = l => l["Form"],
        ["LedgerEntry"] = l => l["Ledger entry"],
        ["LedgerField"] = l => l["Ledger field"],
        ["LedgerKind"] = l => l["Ledger"],
        ["LedgerRule"] = l => l["Ledger rule"],
        ["LegacyForm"] = l => l["Legacy inventory line"],
        ["OneFormUser"] = l => l["Account"],
        ["OrgUnit"] = l => l["Org unit"],
        ["Photo"] = l => l["Photo"],
        ["Report"] = l => l["Report"],
        ["RobotChannel"] = l => l["Messaging robot"],
        ["SavedQuery"] = l => l["Saved query"],
        ["UnitGroup"] = l => l["Unit group"],
        ["ValidationRule"] = l => l["Check across fields"],
        ["WebhookEndpoint"] = l => l["Webhook"],
        ["WebhookDelivery"] = l => l["Webhook delivery"],
        ["Divisions"] = l => l["Divisions"],
        ["Registry"] = l => l["Population registry"],
        ["Resident"] = l => l["Resident"],
        ["Roster"] = l => l["Roster"],
        ["SignIn"] = l => l["Sign-in"],
        ["ReportEvidence"] = l => l["Report evidence"],
        ["Values"] = l => l["Values"],
        ["Collection"] = l => l["Collection"],
    };

    private static readonly IReadOnlyDictionary<string, Func<IStringLocalizer, string>> ActionNames = new Dictionary<string, Func<IStringLocalizer, string>>
    {
        ["Added"] = l => l["added"],
        ["Modified"] = l => l["changed"],
        ["Deleted"] = l => l["deleted"],
        ["Imported"] = l => l["imported"],
        ["ImportFailed"] = l => l["import failed"],
        ["AttributesImported"] = l => l["attributes imported"],
        ["AttributesImportFailed"] = l => l["attribute import failed"],
        ["MembersChanged"] = l => l["members changed"],
        ["Failed"] = l => l["unsuccessful"],
        ["Downloaded"] = l => l["downloaded"],
        ["Saved"] = l => l["saved"],
        ["Unmasked"] = l => l["full identity number shown"],
        ["Urged"] = l => l["units reminded"],
        ["RateLimited"] = l => l["slowed down (too many requests)"],
        ["Replayed"] = l => l["sent again"],
        ["Edited"] = l => l["edited"],
        ["RosterExported"] = l => l["roster exported"],
        ["RosterDownloaded"] = l => l["roster downloaded"],
    };

    private string? Text(JsonElement value, string field, Type? type) => value.ValueKind switch
    {
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        JsonValueKind.True => l["Yes"],
        JsonValueKind.False => l["No"],
        JsonValueKind.Array when value.EnumerateArray().Any(v => v.ValueKind is JsonValueKind.Object or JsonValueKind.Array) => l["(kept with the record)"],
        JsonValueKind.Array => string.Join("、", value.EnumerateArray().Select(v => Text(v, field, type)).OfType<string>()),
        JsonValueKind.String when field is "TargetLevels" or "Levels" =>
            string.Join("、", value.GetString()!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(level => EnumNames[typeof(OrgUnitLevel)](level, l) ?? level)),
        JsonValueKind.String when type is { IsEnum: true } && EnumNames.TryGetValue(type, out var name) => name(value.GetString()!, l) ?? value.GetString(),
        JsonValueKind.String when field == nameof(AdmissionRequest.DecisionAnalysis) => Analysis(value.GetString()!),
        // A report's "same matter" key is how reports are grouped ("title:…"): people read the matter itself.
        JsonValueKind.String when field == "GroupKey" && value.GetString()!.IndexOf(':', StringComparison.Ordinal) is > 0 and var colon => value.GetString()![(colon + 1)..],
        JsonValueKind.String when type == typeof(DateTimeOffset) && DateTimeOffset.TryParse(value.GetString(), System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var at) => formatTime(at),
        JsonValueKind.String when field == "Values" && Record(value.GetString()!) is { } record => record,
        JsonValueKind.String when value.GetString() is ['{' or '[', ..] text && IsJson(text) => l["(kept with the record)"],
        JsonValueKind.Object => l["(kept with the record)"],
        JsonValueKind.String => value.GetString(),
        _ => value.GetRawText(),
    };

    /// <summary>
    /// The analysis frozen with an admission decision, by its figures ("已掌握 5 项，可推算 1 项，新增 2 项"): the whole
    /// analysis, field by field, is on the request's page.
    /// </summary>
    private string Analysis(string text)
    {
        try
        {
            using var json = JsonDocument.Parse(text);
            var root = json.RootElement;
            int Count(string name) => root.TryGetProperty(name, out var n) && n.TryGetInt32(out var count) ? count : 0;
            return l["{0} fields held, {1} derivable, {2} new", Count(nameof(AnalysisResult.Held)), Count(nameof(AnalysisResult.Derivable)), Count(nameof(AnalysisResult.New))];
        }
        catch (JsonException)
        {
            return l["(kept with the request)"];
        }
    }

    /// <summary>
    /// A record's values kept as a JSON object (a ledger entry's fields) as "field：value；…", not as JSON; a record
    /// nested deeper than that is not a sentence, and is said to be kept with the record.
    /// </summary>
    private string? Record(string text)
    {
        if (!text.StartsWith('{'))
        {
            return null;
        }
        try
        {
            using var json = JsonDocument.Parse(text);
            if (json.RootElement.ValueKind != JsonValueKind.Object)
            {
                return null;
            }
            if (json.RootElement.EnumerateObject().Any(p => p.Value.ValueKind is JsonValueKind.Object or JsonValueKind.Array))
            {
                return l["(kept with the record)"];
            }
            return string.Join("；", json.RootElement.EnumerateObject().Select(p => $"{p.Name}：{(p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() : p.Value.GetRawText())}"));
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static bool IsJson(string text)
    {
        try
        {
            using var _ = JsonDocument.Parse(text);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>What a field is called, for the fields people change; a field not named here is null, and shows as the code it is.</summary>
    private string? FieldName(string field) => field switch
    {
        "SubmittedAt" => l["Submitted"],
        "CreatedAt" => l["Created"],
        "CreatedBy" or "SubmittedBy" or "DecidedBy" or "UpdatedBy" => l["By"],
        "UpdatedAt" or "ModifiedAt" or "ChangedAt" => l["Last changed"],
        "DecidedAt" => l["Decided"],
        "Details" or "Description" => l["Details"],
        "GroupKey" => l["Same matter"],
        "IssuedWithoutAdmission" => l["Issued without admission"],
        "ReceivedOn" => l["Received"],
        "ReporterUnitId" => l["Reporting unit"],
        "ReporterUserId" => l["Reported by"],
        "RevealReporter" => l["Reporter named"],
        "DataElementId" or "ElementId" => l["Data element"],
        "LedgerFieldId" or "FieldId" => l["Ledger field"],
        "LedgerKindId" or "KindId" => l["Ledger"],
        "FormId" => l["Form"],
        "Filters" => l["Filters"],
        "PeriodCode" or "Period" => l["Period"],
        "Minutes" => l["Minutes"],
        "StartsAt" => l["Starts"],
        "EndsAt" => l["Ends"],
        "Subject" or "Heading" => l["Title"],
        "UserId" => l["Account"],
        "Url" or "Address" => l["Address"],
        "Enabled" => l["On"],
        "Events" => l["Events"],
        "Scopes" => l["Permissions"],
        "Order" => l["Order"],
        "ContentType" => l["File type"],
        "Length" or "Size" => l["Size"],
        "TakenAt" => l["Taken"],
        "Latitude" => l["Latitude"],
        "Longitude" => l["Longitude"],
        "Sha256" or "Hash" => l["Fingerprint"],
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
        "DecisionAnalysis" => l["Analysis at the decision"],
        "Disposition" => l["What became of it"],
        "Participants" => l["Participants"],
        "OccurredOn" => l["Date"],
        "RevokedAt" => l["Revoked"],
        "MayUnmask" => l["May see full identity numbers"],
        "UrbanRuralCode" => l["Urban–rural code"],
        _ => (string?)null,
    };
}
