using System.Globalization;
using System.Security.Claims;
using OneForm.Organization;

namespace OneForm.Organization;

/// <summary>
/// The one answer to "may this caller see or change this unit, this department's thing?".
/// A cadre or unit head (or a device) sees its own unit, a reviewer its subtree, a department its own things;
/// the gatekeeper and the administrator see everything. Every later feature asks here.
/// </summary>
public sealed record CallerScope(Role Role, int? OrgUnitId, string? OrgUnitPath, int? DepartmentId, bool IsAccessToken = false)
{
    public static CallerScope? From(ClaimsPrincipal user)
    {
        if (user.Identity?.IsAuthenticated != true
            || !Enum.TryParse<Role>(user.FindFirstValue(ClaimTypes.Role), out var role))
        {
            return null;
        }
        return new CallerScope(role, IntClaim(user, ScopeClaims.OrgUnitId), user.FindFirstValue(ScopeClaims.OrgUnitPath),
            IntClaim(user, ScopeClaims.DepartmentId), user.HasClaim(c => c.Type == ScopeClaims.AccessTokenId));
    }

    /// <summary>What kind of caller this is, for the operations' table (<see cref="Operations"/>).</summary>
    /// <summary>Whether the caller is of a kind the operation admits (the operation's table in <see cref="Operations"/>).</summary>
    public bool Admits(string operation) =>
        Operations.Admitted.TryGetValue(operation, out var callers) && (callers & Kind) != 0;

    public Callers Kind => (Role, IsAccessToken) switch
    {
        (Role.Device, _) => Callers.DeviceToken,
        (Role.Department, true) => Callers.DepartmentToken,
        (_, true) => Callers.None,
        (Role.Cadre, false) => Callers.Cadre,
        (Role.UnitHead, false) => Callers.UnitHead,
        (Role.Reviewer, false) => Callers.Reviewer,
        (Role.Department, false) => Callers.Department,
        (Role.Gatekeeper, false) => Callers.Gatekeeper,
        (Role.Administrator, false) => Callers.Administrator,
        _ => Callers.None,
    };

    private static int? IntClaim(ClaimsPrincipal user, string type) =>
        int.TryParse(user.FindFirstValue(type), CultureInfo.InvariantCulture, out var value) ? value : null;

    /// <summary>Sees every unit of the tree (the tree itself holds no personal data).</summary>
    public bool SeesWholeTree => Role is Role.Administrator or Role.Gatekeeper or Role.Department;

    public bool CanSeeUnit(OrgUnit unit) => Role switch
    {
        Role.Administrator or Role.Gatekeeper or Role.Department => true,
        Role.Reviewer => OrgUnitPath is not null && unit.IsInSubtreeOf(OrgUnitPath),
        Role.Cadre or Role.UnitHead or Role.Device => unit.Id == OrgUnitId,
        _ => false,
    };

    /// <summary>Units whose data this caller enters: its own unit, for those who work in it.</summary>
    public bool CanFillFor(OrgUnit unit) => Role is Role.Cadre or Role.UnitHead or Role.Device && unit.Id == OrgUnitId;

    /// <summary>Units whose submissions this caller reviews: strictly below its own unit.</summary>
    public bool CanReview(OrgUnit unit) =>
        Role == Role.Reviewer && OrgUnitPath is not null && unit.IsInSubtreeOf(OrgUnitPath) && unit.Id != OrgUnitId;

    /// <summary>A unit's tasks and values: those who fill them, the reviewers above, the gatekeeper and the administrator.</summary>
    public bool CanSeeTasksOf(OrgUnit unit) => Role switch
    {
        Role.Administrator or Role.Gatekeeper => true,
        Role.Reviewer => OrgUnitPath is not null && unit.IsInSubtreeOf(OrgUnitPath),
        _ => CanFillFor(unit),
    };

    /// <summary>
    /// A derived element's figure for a unit and everything below it (a count of residents): those who see the unit's
    /// tasks, and the element's owner. Other departments read figures through grants and statistics.
    /// </summary>
    public bool CanPreviewFigures(OrgUnit unit, int ownerDepartmentId) =>
        CanSeeTasksOf(unit) || (Role == Role.Department && !IsAccessToken && DepartmentId == ownerDepartmentId);

    /// <summary>Trying a rule's filters before it is saved singles out people: only for the keeper of the dictionary.</summary>
    public bool CanTryRules => KeepsCatalogue;

    public IQueryable<OrgUnit> UnitsWhoseTasksAreVisible(IQueryable<OrgUnit> units) =>
        Role == Role.Department ? units.Where(_ => false) : VisibleUnits(units);

    public bool KeepsCatalogue => Role == Role.Gatekeeper;

    /// <summary>Only the administrator reshapes the tree.</summary>
    public bool CanChangeTree => Role == Role.Administrator;

    public IQueryable<OrgUnit> VisibleUnits(IQueryable<OrgUnit> units) => Role switch
    {
        Role.Administrator or Role.Gatekeeper or Role.Department => units,
        Role.Reviewer when OrgUnitPath is not null => units.InSubtree(OrgUnitPath),
        Role.Cadre or Role.UnitHead or Role.Device when OrgUnitId is not null => units.Where(u => u.Id == OrgUnitId),
        _ => units.Where(_ => false),
    };

    /// <summary>A department's own things (elements, forms, grants): the owner, the gatekeeper and the administrator.</summary>
    public bool CanSeeDepartmentThing(int ownerDepartmentId) => Role switch
    {
        Role.Administrator or Role.Gatekeeper => true,
        Role.Department => DepartmentId == ownerDepartmentId,
        _ => false,
    };

    public bool CanChangeDepartmentThing(int ownerDepartmentId) =>
        Role == Role.Department && DepartmentId == ownerDepartmentId;

    public bool CanAdminister => Role == Role.Administrator;

    public bool CanSearchAudit => Role is Role.Administrator or Role.Gatekeeper;
}

public static class CallerScopeExtensions
{
    /// <summary>The caller's scope; endpoints behind authorization always have one.</summary>
    public static CallerScope Scope(this ClaimsPrincipal user) =>
        CallerScope.From(user) ?? throw new InvalidOperationException("The caller has no scope.");

    /// <summary>
    /// Who the caller is, for records of who did something: the account's id, or "token:" and the access token's id.
    /// Never a display name: two tokens may share a name, and a name can change.
    /// </summary>
    public static string ActorId(this ClaimsPrincipal user) =>
        user.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new InvalidOperationException("The caller has no id.");
}
