namespace OneForm.Organization;

/// <summary>Levels from the top of the tree down; a unit's parent is always on a higher level.</summary>
public enum OrgUnitLevel
{
    Province = 1,
    Prefecture = 2,
    County = 3,
    Township = 4,
    Village = 5,
}
