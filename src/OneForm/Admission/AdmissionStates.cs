using Microsoft.Extensions.Localization;

namespace OneForm.Admission;

/// <summary>The names people read for states, statuses and recommendations of admission.</summary>
public static class AdmissionStates
{
    /// <summary>A share or a confidence as people read it: "92%".</summary>
    public static string Percent(double share) => Math.Round(share * 100).ToString(System.Globalization.CultureInfo.InvariantCulture) + "%";

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
