using Microsoft.Extensions.Localization;

namespace OneForm.Common;

public static class RoleNames
{
    public static string Name(Role role, IStringLocalizer l) => role switch
    {
        Role.Cadre => l["Cadre"],
        Role.UnitHead => l["Unit head"],
        Role.Reviewer => l["Reviewer"],
        Role.Department => l["Department"],
        Role.Gatekeeper => l["Gatekeeper"],
        Role.Administrator => l["Administrator"],
        Role.Device => l["Device"],
    };
}
