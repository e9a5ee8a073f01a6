using Microsoft.Extensions.Localization;

namespace OneForm.Catalog;

public static class FormCategories
{
    public static string Name(FormCategory category, IStringLocalizer l) => category switch
    {
        FormCategory.PartyBuilding => l["Party building"],
        FormCategory.Livelihood => l["Livelihood and social affairs"],
        FormCategory.SafetyGovernance => l["Safety and comprehensive governance"],
        _ => l["Development and the rural economy"],
    };

    public static string CycleName(ReportingCycle cycle, IStringLocalizer l) => cycle switch
    {
        ReportingCycle.Monthly => l["Monthly"],
        ReportingCycle.Quarterly => l["Quarterly"],
        ReportingCycle.HalfYearly => l["Half-yearly"],
        ReportingCycle.Annual => l["Annual"],
        _ => l["One-off"],
    };

    public static string DispositionName(LegacyDisposition disposition, IStringLocalizer l) => disposition switch
    {
        LegacyDisposition.Merged => l["Merged"],
        LegacyDisposition.SharedData => l["Replaced by shared data"],
        _ => l["Abolished"],
    };
}
