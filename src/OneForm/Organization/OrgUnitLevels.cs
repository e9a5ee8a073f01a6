using Microsoft.Extensions.Localization;

namespace OneForm.Organization;

public static class OrgUnitLevels
{
    public static string Name(OrgUnitLevel level, IStringLocalizer l) => level switch
    {
        OrgUnitLevel.Province => l["province"],
        OrgUnitLevel.Prefecture => l["prefecture"],
        OrgUnitLevel.County => l["county"],
        OrgUnitLevel.Township => l["township"],
        OrgUnitLevel.Village => l["village"],
    };
}
