using Microsoft.Extensions.Localization;

namespace OneForm.Admission;

/// <summary>The names people read for states, statuses and recommendations of admission.</summary>
public static class AdmissionStates
{
    /// <summary>A share or a confidence as people read it: "92%".</summary>
    public static string Percent(double share) => Math.Round(share * 100).ToString(System.Globalization.CultureInfo.InvariantCulture) + "%";

    /// <summary>
    /// The recommendation in words that agree with the figures shown beside it: the share held is named, and "most of it is
    /// not held" is said only when less than half is held (between half and <see cref="AdmissionAnalyzer.UseExistingShare"/>
    /// a form is still worth admitting, for its new fields, with the held ones filled in for the units).
    /// </summary>
    public static string Recommend(AnalysisResult a, IStringLocalizer l)
    {
        var percent = Percent(a.ShareHeld);
        var others = a.Fields.Count - a.Held - a.Derivable;
        return a.Recommendation switch
        {
            Recommendation.UseExistingData => l["{0} of the fields are already held: use a statistics query of the existing data instead of a new form.", percent],
            Recommendation.MergeInto => l["{0} of the {1} proposed fields are already in 《{2}》 ({3}): add what is missing to that form instead.",
                a.Fields.Count(f => f.EffectiveCode is { } code && f.Matches.Any(m => m.Code == code && m.Forms.Any(x => x.Code == a.MergeWith!.Code))),
                a.Fields.Count, a.MergeWith!.Name, a.MergeWith.Code],
            Recommendation.Admit when a.Fields.Count > 0 && a.ShareHeld >= AdmissionAnalyzer.MergeShare =>
                l["Admit: {0} of the fields are already held and will be filled in for the units; the other {1} are not held yet.", percent, others],
            Recommendation.Admit when a.ShareHeld > 0 => l["Admit: only {0} of the fields are held; most of what it asks is not held yet.", percent],
            Recommendation.Admit => l["Admit: nothing it asks is held yet."],
            _ => throw new ArgumentOutOfRangeException(nameof(a), a.Recommendation, null),
        };
    }

    public static string Name(AdmissionState state, IStringLocalizer l) => state switch
    {
        AdmissionState.Draft => l["Draft"],
        AdmissionState.Submitted => l["Waiting for review"],
        AdmissionState.Returned => l["Returned for changes"],
        AdmissionState.Admitted => l["Admitted"],
        AdmissionState.Refused => l["Refused"],
        AdmissionState.Withdrawn => l["Withdrawn"],
    };

    public static string Name(FieldStatus status, IStringLocalizer l) => status switch
    {
        FieldStatus.Held => l["Already held"],
        FieldStatus.Derivable => l["Derived from the registry"],
        FieldStatus.Roster => l["A roster covers it"],
        FieldStatus.New => l["New"],
    };

    public static string Name(MatchKind kind, IStringLocalizer l) => kind switch
    {
        MatchKind.Exact => l["same name"],
        MatchKind.SameWording => l["same wording"],
        MatchKind.Likely => l["likely the same"],
        MatchKind.Related => l["related, not the same"],
    };
}
