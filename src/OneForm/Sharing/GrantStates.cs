using Microsoft.Extensions.Localization;

namespace OneForm.Sharing;

/// <summary>The names people read for a grant's state (one table per enum: a new state fails the build here).</summary>
public static class GrantStates
{
    public static string Name(GrantState state, IStringLocalizer l) => state switch
    {
        GrantState.Requested => l["Waiting for the owner"],
        GrantState.Approved => l["Approved"],
        // Not 不予准入 (an admission's refusal): a refused grant is access not given.
        GrantState.Refused => l["Not granted"],
        GrantState.Revoked => l["Revoked"],
    };
}
