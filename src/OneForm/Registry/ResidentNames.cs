using Microsoft.Extensions.Localization;

namespace OneForm.Registry;

/// <summary>The names people read for a resident's sex and status (one table per enum).</summary>
public static class ResidentNames
{
    public static string Name(Sex sex, IStringLocalizer l) => sex switch
    {
        Sex.Male => l["Male"],
        Sex.Female => l["Female"],
    };

    public static string Name(ResidentStatus status, IStringLocalizer l) => status switch
    {
        ResidentStatus.Active => l["Living here"],
        ResidentStatus.MovedOut => l["Moved out"],
        ResidentStatus.Deceased => l["Deceased"],
    };
}

/// <summary>What a derivation rule counts (one table per enum).</summary>
public static class DerivationCounts
{
    public static string Name(Derivation.DerivationCount count, IStringLocalizer l) => count switch
    {
        Derivation.DerivationCount.Residents => l["Residents"],
        Derivation.DerivationCount.Households => l["Households"],
    };
}
