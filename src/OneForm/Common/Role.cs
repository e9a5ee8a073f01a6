namespace OneForm.Common;

/// <summary>
/// What an account does. Cadres, unit heads and reviewers are bound to an org unit;
/// departments and the gatekeeper to a department; a device is a system bound to a unit.
/// </summary>
public enum Role
{
    Cadre,
    UnitHead,
    Reviewer,
    Department,
    Gatekeeper,
    Administrator,
    Device,
}

public static class Roles
{
    /// <summary>The roles a person's account can have (devices only get access tokens).</summary>
    public static readonly Role[] ForPeople =
        [Role.Cadre, Role.UnitHead, Role.Reviewer, Role.Department, Role.Gatekeeper, Role.Administrator];

    public static bool IsBoundToUnit(this Role role) => role is Role.Cadre or Role.UnitHead or Role.Reviewer or Role.Device;

    public static bool IsBoundToDepartment(this Role role) => role is Role.Department or Role.Gatekeeper;
}
