using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OneForm.Data;

namespace OneForm.Organization;

/// <summary>
/// A group of units (单位分组) the administrator defines, such as 城市社区, 农村, 涉农社区 or 边境村: either a list of units,
/// or a rule over urban–rural classification codes, levels and a subtree (every criterion that is set must hold).
/// Forms target groups, so a form of agricultural figures reaches villages and not residents' committees.
/// </summary>
public sealed class UnitGroup : IAudited, IHasRowVersion
{
    public const int MaxCodeLength = 40;

    public int Id { get; set; }

    /// <summary>A short stable key forms refer to, such as <c>rural</c>.</summary>
    public required string Code { get; set; }

    public required string Name { get; set; }
    public string? Description { get; set; }

    /// <summary>True for a group by rule; false for a list of units.</summary>
    public bool ByRule { get; set; }

    /// <summary>Rule: urban–rural classification codes, separated by ',' (any of them), or null for any code.</summary>
    public string? UrbanRuralCodes { get; set; }

    /// <summary>Rule: levels, separated by ',', or null for any level.</summary>
    public string? Levels { get; set; }

    /// <summary>Rule: only units at or below this path, or null for the whole tree.</summary>
    public string? SubtreePath { get; set; }

    public List<UnitGroupMember> Members { get; set; } = [];
    public uint RowVersion { get; set; }

    int? IAudited.AuditOrgUnitId => null;

    public IReadOnlyList<string> UrbanRuralCodeList => Split(UrbanRuralCodes);

    public IReadOnlyList<OrgUnitLevel> LevelList => Split(Levels).Select(Enum.Parse<OrgUnitLevel>).ToList();

    private static List<string> Split(string? list) =>
        (list ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
}

/// <summary>A unit listed in a group by list.</summary>
public sealed class UnitGroupMember
{
    public int UnitGroupId { get; set; }
    public int OrgUnitId { get; set; }
    public OrgUnit? OrgUnit { get; set; }
}

/// <summary>Who belongs to a group, as one predicate over units: the same for task opening, burden figures and pages.</summary>
public static class UnitGroups
{
    /// <summary>Units in any of these groups (with their members loaded for the groups by list).</summary>
    public static Expression<Func<OrgUnit, bool>> InAny(OneFormDbContext db, IReadOnlyCollection<UnitGroup> groups)
    {
        var unit = Expression.Parameter(typeof(OrgUnit), "u");
        Expression? any = null;
        foreach (var group in groups)
        {
            var one = Rebind(Of(db, group), unit);
            any = any is null ? one : Expression.OrElse(any, one);
        }
        return Expression.Lambda<Func<OrgUnit, bool>>(any ?? Expression.Constant(false), unit);
    }

    /// <summary>Units in the group.</summary>
    public static Expression<Func<OrgUnit, bool>> Of(OneFormDbContext db, UnitGroup group)
    {
        if (!group.ByRule)
        {
            var id = group.Id;
            return u => db.UnitGroupMembers.Any(m => m.UnitGroupId == id && m.OrgUnitId == u.Id);
        }
        Expression<Func<OrgUnit, bool>> rule = u => true;
        var codes = group.UrbanRuralCodeList.ToList();
        if (codes.Count > 0)
        {
            rule = And(rule, u => u.UrbanRuralCode != null && codes.Contains(u.UrbanRuralCode));
        }
        var levels = group.LevelList.ToList();
        if (levels.Count > 0)
        {
            rule = And(rule, u => levels.Contains(u.Level));
        }
        if (group.SubtreePath is { } path)
        {
            rule = And(rule, u => u.Path.StartsWith(path));
        }
        return rule;
    }

    /// <summary>Whether an in-memory unit is in a group by rule (a group by list needs its members loaded).</summary>
    public static bool Contains(UnitGroup group, OrgUnit unit) => group.ByRule
        ? (group.UrbanRuralCodeList.Count == 0 || (unit.UrbanRuralCode is { } code && group.UrbanRuralCodeList.Contains(code)))
          && (group.LevelList.Count == 0 || group.LevelList.Contains(unit.Level))
          && (group.SubtreePath is null || unit.Path.StartsWith(group.SubtreePath, StringComparison.Ordinal))
        : group.Members.Any(m => m.OrgUnitId == unit.Id);

    private static Expression<Func<OrgUnit, bool>> And(Expression<Func<OrgUnit, bool>> left, Expression<Func<OrgUnit, bool>> right) =>
        Expression.Lambda<Func<OrgUnit, bool>>(Expression.AndAlso(left.Body, Rebind(right, left.Parameters[0])), left.Parameters[0]);

    private static Expression Rebind(Expression<Func<OrgUnit, bool>> lambda, ParameterExpression unit) =>
        new Rebinder(lambda.Parameters[0], unit).Visit(lambda.Body);

    private sealed class Rebinder(ParameterExpression from, ParameterExpression to) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == from ? to : base.VisitParameter(node);
    }
}

internal sealed class UnitGroupConfiguration : IEntityTypeConfiguration<UnitGroup>
{
    public void Configure(EntityTypeBuilder<UnitGroup> group)
    {
        group.Property(g => g.Code).HasMaxLength(UnitGroup.MaxCodeLength);
        group.HasIndex(g => g.Code).IsUnique();
        group.Property(g => g.Name).HasMaxLength(100);
        group.Property(g => g.Description).HasMaxLength(500);
        group.Property(g => g.UrbanRuralCodes).HasMaxLength(100);
        group.Property(g => g.Levels).HasMaxLength(100);
        group.Property(g => g.SubtreePath).HasMaxLength(400);
        group.HasMany(g => g.Members).WithOne().HasForeignKey(m => m.UnitGroupId).OnDelete(DeleteBehavior.Cascade);
        group.Property(g => g.RowVersion).IsConcurrencyToken();
        group.Ignore(g => g.UrbanRuralCodeList);
        group.Ignore(g => g.LevelList);
    }
}

internal sealed class UnitGroupMemberConfiguration : IEntityTypeConfiguration<UnitGroupMember>
{
    public void Configure(EntityTypeBuilder<UnitGroupMember> member)
    {
        member.HasKey(m => new { m.UnitGroupId, m.OrgUnitId });
        member.HasOne(m => m.OrgUnit).WithMany().HasForeignKey(m => m.OrgUnitId).OnDelete(DeleteBehavior.Cascade);
        member.HasIndex(m => m.OrgUnitId);
    }
}
