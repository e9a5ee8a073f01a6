using OneForm.Accounts;
using OneForm.Organization;

namespace OneForm.Tests.Accounts;

/// <summary>The one scope rule, as a matrix of roles against units around the caller's own.</summary>
public sealed class CallerScopeTests
{
    private static readonly OrgUnit County = Unit(1, "652301000000/");
    private static readonly OrgUnit Township = Unit(2, "652301000000/652301004000/");
    private static readonly OrgUnit OwnVillage = Unit(3, "652301000000/652301004000/652301004002/");
    private static readonly OrgUnit SiblingVillage = Unit(4, "652301000000/652301004000/652301004003/");
    private static readonly OrgUnit OtherTownshipVillage = Unit(5, "652301000000/652301005000/652301005001/");
    // A code that shares a prefix with the township's but is not below it.
    private static readonly OrgUnit LookAlike = Unit(6, "652301000000/652301004000X/");

    private static OrgUnit Unit(int id, string path) => new() { Id = id, Code = path.TrimEnd('/').Split('/')[^1], Name = "", Path = path };

    public static TheoryData<Role, string, bool> Visibility => new()
    {
        { Role.Cadre, nameof(OwnVillage), true },
        { Role.Cadre, nameof(SiblingVillage), false },
        { Role.Cadre, nameof(Township), false },
        { Role.Cadre, nameof(County), false },
        { Role.UnitHead, nameof(OwnVillage), true },
        { Role.UnitHead, nameof(SiblingVillage), false },
        { Role.Device, nameof(OwnVillage), true },
        { Role.Device, nameof(SiblingVillage), false },
        { Role.Reviewer, nameof(Township), true },
        { Role.Reviewer, nameof(OwnVillage), true },
        { Role.Reviewer, nameof(SiblingVillage), true },
        { Role.Reviewer, nameof(OtherTownshipVillage), false },
        { Role.Reviewer, nameof(County), false },
        { Role.Reviewer, nameof(LookAlike), false },
        { Role.Department, nameof(OtherTownshipVillage), true },
        { Role.Gatekeeper, nameof(OtherTownshipVillage), true },
        { Role.Administrator, nameof(County), true },
    };

    private static OrgUnit Named(string name) => name switch
    {
        nameof(County) => County,
        nameof(Township) => Township,
        nameof(OwnVillage) => OwnVillage,
        nameof(SiblingVillage) => SiblingVillage,
        nameof(OtherTownshipVillage) => OtherTownshipVillage,
        _ => LookAlike,
    };

    private static CallerScope ScopeOf(Role role) => role switch
    {
        Role.Reviewer => new CallerScope(role, Township.Id, Township.Path, null),
        Role.Cadre or Role.UnitHead or Role.Device => new CallerScope(role, OwnVillage.Id, OwnVillage.Path, null),
        _ => new CallerScope(role, null, null, 7),
    };

    [Theory, MemberData(nameof(Visibility))]
    public void Each_role_sees_its_own_scope_and_nothing_else(Role role, string unit, bool sees) =>
        Assert.Equal(sees, ScopeOf(role).CanSeeUnit(Named(unit)));

    [Fact]
    public void Only_those_who_work_in_a_unit_fill_for_it_and_only_reviewers_above_it_review_it()
    {
        Assert.True(ScopeOf(Role.Cadre).CanFillFor(OwnVillage));
        Assert.False(ScopeOf(Role.Cadre).CanFillFor(SiblingVillage));
        Assert.False(ScopeOf(Role.Reviewer).CanFillFor(OwnVillage));
        Assert.True(ScopeOf(Role.Reviewer).CanReview(OwnVillage));
        Assert.False(ScopeOf(Role.Reviewer).CanReview(Township));
        Assert.False(ScopeOf(Role.Reviewer).CanReview(OtherTownshipVillage));
        Assert.False(ScopeOf(Role.Administrator).CanFillFor(OwnVillage));
    }

    [Fact]
    public void A_department_sees_its_own_things_and_not_another_departments()
    {
        var department = new CallerScope(Role.Department, null, null, 7);
        Assert.True(department.CanSeeDepartmentThing(7));
        Assert.True(department.CanChangeDepartmentThing(7));
        Assert.False(department.CanSeeDepartmentThing(8));
        Assert.False(department.CanChangeDepartmentThing(8));
        Assert.True(new CallerScope(Role.Gatekeeper, null, null, 1).CanSeeDepartmentThing(8));
        Assert.False(new CallerScope(Role.Gatekeeper, null, null, 1).CanChangeDepartmentThing(8));
        Assert.False(ScopeOf(Role.Cadre).CanSeeDepartmentThing(7));
    }
}
