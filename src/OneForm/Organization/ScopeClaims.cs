namespace OneForm.Organization;

/// <summary>Claim types that carry an account's or token's scope.</summary>
public static class ScopeClaims
{
    public const string OrgUnitId = "oneform:unit";
    public const string OrgUnitPath = "oneform:unit-path";
    public const string DepartmentId = "oneform:department";
    public const string DisplayName = "oneform:display-name";
    public const string MayUnmask = "oneform:may-unmask";

    /// <summary>Present on callers signed in with an access token (its id), absent on people.</summary>
    public const string AccessTokenId = "oneform:access-token";
}
