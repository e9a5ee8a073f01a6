using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using OneForm.Data;

namespace OneForm.Organization;

/// <summary>A group as the administrator defines it: by rule (codes, levels, a subtree) or by a list of unit codes.</summary>
public sealed record UnitGroupBody(string Name, string? Description, bool ByRule, IReadOnlyList<string>? UrbanRuralCodes,
    IReadOnlyList<OrgUnitLevel>? Levels, string? Below, IReadOnlyList<string>? Units);

/// <summary>Defining unit groups and setting units' urban–rural codes: the administrator's changes, validated and audited.</summary>
public static class UnitGroupEditing
{
    public const int MaxListedUnits = 5000;

    public static bool IsGroupCode(string code) =>
        code.Length is >= 2 and <= UnitGroup.MaxCodeLength && code.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-');

    /// <summary>Creates or replaces the group with this code; returns the problems by field, or none when saved.</summary>
    public static async Task<Dictionary<string, string[]>> SaveAsync(OneFormDbContext db, AuditActor actor, string code, UnitGroupBody body,
        IStringLocalizer l, CancellationToken cancellationToken = default)
    {
        var errors = new Dictionary<string, string[]>();
        code = code.Trim();
        if (!IsGroupCode(code))
        {
            errors["Code"] = [l["A group code has 2 to 40 lower-case letters, digits and -."]];
        }
        var name = body.Name?.Trim() ?? "";
        if (name.Length is 0 or > 100)
        {
            errors[nameof(body.Name)] = [l["Give the group a name of 1 to 100 characters."]];
        }
        if (body.Description is { Length: > 500 })
        {
            errors[nameof(body.Description)] = [l["The description has at most 500 characters."]];
        }
        var codes = (body.UrbanRuralCodes ?? []).Select(c => c.Trim()).Where(c => c.Length > 0).Distinct().ToList();
        var levels = (body.Levels ?? []).Distinct().ToList();
        OrgUnit? below = null;
        var members = new List<OrgUnit>();
        if (body.ByRule)
        {
            if (codes.FirstOrDefault(c => !UrbanRural.IsCode(c)) is { } bad)
            {
                errors[nameof(body.UrbanRuralCodes)] = [l["Urban–rural code '{0}' is not one of {1}.", bad, string.Join(", ", UrbanRural.Codes)]];
            }
            if (!string.IsNullOrWhiteSpace(body.Below))
            {
                below = await db.OrgUnits.AsNoTracking().SingleOrDefaultAsync(u => u.Code == body.Below.Trim(), cancellationToken);
                if (below is null)
                {
                    errors[nameof(body.Below)] = [l["Unit {0} does not exist.", body.Below.Trim()]];
                }
            }
            if (codes.Count == 0 && levels.Count == 0 && string.IsNullOrWhiteSpace(body.Below))
            {
                errors[nameof(body.ByRule)] = [l["A rule needs at least one of: urban–rural codes, levels, a unit to look below."]];
            }
        }
        else
        {
            var listed = (body.Units ?? []).Select(c => c.Trim()).Where(c => c.Length > 0).Distinct().ToList();
            if (listed.Count is 0 or > MaxListedUnits)
            {
                errors[nameof(body.Units)] = [l["List 1 to {0} units by their codes.", MaxListedUnits]];
            }
            else
            {
                members = await db.OrgUnits.Where(u => listed.Contains(u.Code)).ToListAsync(cancellationToken);
                var unknown = listed.Except(members.Select(u => u.Code)).ToList();
                if (unknown.Count > 0)
                {
                    errors[nameof(body.Units)] = [l["These units do not exist: {0}.", string.Join(", ", unknown.Take(20))]];
                }
            }
        }
        if (errors.Count > 0)
        {
            return errors;
        }

        var group = await db.UnitGroups.Include(g => g.Members).SingleOrDefaultAsync(g => g.Code == code, cancellationToken);
        if (group is null)
        {
            group = new UnitGroup { Code = code, Name = name };
            db.UnitGroups.Add(group);
        }
        group.Name = name;
        group.Description = string.IsNullOrWhiteSpace(body.Description) ? null : body.Description.Trim();
        group.ByRule = body.ByRule;
        group.UrbanRuralCodes = body.ByRule && codes.Count > 0 ? string.Join(',', codes) : null;
        group.Levels = body.ByRule && levels.Count > 0 ? string.Join(',', levels) : null;
        group.SubtreePath = body.ByRule ? below?.Path : null;
        var before = group.Members.Select(m => m.OrgUnitId).ToHashSet();
        var after = members.Select(u => u.Id).ToHashSet();
        group.Members.RemoveAll(m => !after.Contains(m.OrgUnitId));
        group.Members.AddRange(after.Where(id => !before.Contains(id)).Select(id => new UnitGroupMember { OrgUnitId = id }));
        if (!before.SetEquals(after))
        {
            // The list lives in rows of its own, which the row audit does not follow: the trail gets the new list.
            db.AuditEntries.Add(actor.Entry("UnitGroup.MembersChanged", nameof(UnitGroup), code, null,
                JsonSerializer.Serialize(members.Select(u => u.Code).Order(StringComparer.Ordinal).ToList(), AuditRecorder.JsonOptions),
                $"{before.Count} -> {after.Count} units"));
        }
        await db.SaveChangesAsync(cancellationToken);
        return errors;
    }

    /// <summary>Sets a unit's urban–rural code, or clears it with null; false when the code is not a classification code.</summary>
    public static async Task<bool> SetUrbanRuralAsync(OneFormDbContext db, OrgUnit unit, string? code, CancellationToken cancellationToken = default)
    {
        code = string.IsNullOrWhiteSpace(code) ? null : code.Trim();
        if (code is not null && !UrbanRural.IsCode(code))
        {
            return false;
        }
        unit.UrbanRuralCode = code;
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }
}
