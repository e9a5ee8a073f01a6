using Microsoft.Extensions.Localization;

namespace OneForm.Catalog;

public static class FormCategories
{
    public static string Name(FormCategory category, IStringLocalizer l) => category switch
    {
        FormCategory.PartyBuilding => l["Party building"],
        FormCategory.Livelihood => l["Livelihood and social affairs"],
        FormCategory.SafetyGovernance => l["Safety and comprehensive governance"],
        FormCategory.Development => l["Development and the rural economy"],
    };

    public static string CycleName(ReportingCycle cycle, IStringLocalizer l) => cycle switch
    {
        ReportingCycle.Monthly => l["Monthly"],
        ReportingCycle.Quarterly => l["Quarterly"],
        ReportingCycle.HalfYearly => l["Half-yearly"],
        ReportingCycle.Annual => l["Annual"],
        ReportingCycle.OneOff => l["One-off"],
    };

    /// <summary>
    /// A legacy form's cycle as the inventory file gave it: a reporting cycle by its name (Monthly...), or "Irregular"
    /// (不定期), which no form in force has; anything else is shown as typed.
    /// </summary>
    public static string LegacyCycleName(string cycle, IStringLocalizer l) =>
        Enum.TryParse<ReportingCycle>(cycle, ignoreCase: true, out var known) && !int.TryParse(cycle, out _) ? CycleName(known, l)
        : string.Equals(cycle, "Irregular", StringComparison.OrdinalIgnoreCase) ? l["Irregular"]
        : cycle;

    public static string StatusName(FormStatus status, IStringLocalizer l) => status switch
    {
        FormStatus.Draft => l["Draft"],
        FormStatus.Admitted => l["In force"],
        FormStatus.Retired => l["Retired"],
    };

    public static string IssuerLevelName(IssuerLevel level, IStringLocalizer l) => level switch
    {
        IssuerLevel.Prefecture => l["prefecture"],
        IssuerLevel.County => l["county"],
        IssuerLevel.Township => l["township"],
    };

    public static string DispositionName(LegacyDisposition disposition, IStringLocalizer l) => disposition switch
    {
        LegacyDisposition.Merged => l["Merged"],
        LegacyDisposition.SharedData => l["Replaced by shared data"],
        LegacyDisposition.Abolished => l["Abolished"],
    };
}
