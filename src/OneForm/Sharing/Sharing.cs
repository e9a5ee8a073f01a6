using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using OneForm.Accounts;
using OneForm.Collection;
using OneForm.Data;
using OneForm.Localization;
using OneForm.Organization;

namespace OneForm.Sharing;

public sealed record GrantRequest(IReadOnlyList<string> Elements, string? UnitCode, int FromYear, int ToYear, string Purpose,
    bool PersonLevel = false, bool Unmasked = false);

public sealed record GrantDecision(DateOnly? ExpiresOn, string? Note);

/// <summary>
/// Who reads which values: a department its own elements' values everywhere, and other departments' values only
/// through a grant in force for that element, unit and year; the gatekeeper and the administrator everything.
/// </summary>
public sealed class SharingPolicy(OneFormDbContext db, DisplayTime time)
{
    public static bool ReadsEverything(CallerScope scope) => scope.Role is Role.Gatekeeper or Role.Administrator;

    /// <summary>The department of a caller bound by grants, or null for those who read everything or nothing.</summary>
    private static int? GrantBound(CallerScope scope) => scope.Role == Role.Department ? scope.DepartmentId : null;

    /// <summary>The grants a department holds today: approved, and not expired.</summary>
    private IQueryable<DataGrant> InForce(int department)
    {
        var today = time.Today;
        return db.DataGrants.Where(g => g.GranteeDepartmentId == department && g.State == GrantState.Approved && (g.ExpiresOn == null || g.ExpiresOn >= today));
    }

    /// <summary>The values the caller may read, as a query to filter further.</summary>
    public IQueryable<DataValue> Readable(CallerScope scope)
    {
        if (ReadsEverything(scope))
        {
            return db.DataValues;
        }
        if (GrantBound(scope) is not { } department)
        {
            return db.DataValues.Where(_ => false);
        }
        var grants = InForce(department);
        return db.DataValues.Where(v => v.DataElement!.OwnerDepartmentId == department
            || grants.Any(g => g.Elements.Any(e => e.DataElementId == v.DataElementId)
                               && (g.SubtreePath == null || v.OrgUnit!.Path.StartsWith(g.SubtreePath))
                               && string.Compare(v.PeriodCode, g.PeriodFrom) >= 0 && string.Compare(v.PeriodCode, g.PeriodUntil) < 0));
    }

    /// <summary>The value changes the caller may read: the same rule as for values.</summary>
    public IQueryable<DataValueChange> ReadableChanges(CallerScope scope)
    {
        if (ReadsEverything(scope))
        {
            return db.DataValueChanges;
        }
        if (GrantBound(scope) is not { } department)
        {
            return db.DataValueChanges.Where(_ => false);
        }
        var grants = InForce(department);
        return db.DataValueChanges.Where(c => db.DataElements.Any(e => e.Id == c.DataElementId && e.OwnerDepartmentId == department)
            || grants.Any(g => g.Elements.Any(e => e.DataElementId == c.DataElementId)
                               && (g.SubtreePath == null || db.OrgUnits.Any(u => u.Id == c.OrgUnitId && u.Path.StartsWith(g.SubtreePath)))
                               && string.Compare(c.PeriodCode, g.PeriodFrom) >= 0 && string.Compare(c.PeriodCode, g.PeriodUntil) < 0));
    }

    /// <summary>
    /// The readable changes placed after a cursor, in the order they were placed, with element and unit codes: for the
    /// API and for webhooks. The caller places what has committed first (ValueChangeOrder.PlaceBeforeReadingAsync, on
    /// the primary), so the answer includes every change committed before it asked.
    /// </summary>
    public async Task<List<SharedChange>> ChangesAfterAsync(CallerScope scope, long after, int take, CancellationToken cancellationToken = default)
    {
        var changes = await ReadableChanges(scope).AsNoTracking().Where(c => c.Sequence > after).OrderBy(c => c.Sequence).Take(take)
            .Join(db.DataElements, c => c.DataElementId, e => e.Id, (c, e) => new { c, Element = e.Code })
            .Join(db.OrgUnits, x => x.c.OrgUnitId, u => u.Id, (x, u) => new SharedChange(x.c.Sequence!.Value, x.Element, u.Code, x.c.PeriodCode,
                x.c.OldValue, x.c.NewValue, x.c.Source.ToString(), x.c.ChangedAt))
            .ToListAsync(cancellationToken);
        return [.. changes.OrderBy(c => c.Id)];
    }

    /// <summary>The elements the caller may read at all (somewhere, some year), in one query; null means every element.</summary>
    public async Task<HashSet<int>?> ReadableElementIdsAsync(CallerScope scope)
    {
        if (ReadsEverything(scope))
        {
            return null;
        }
        if (GrantBound(scope) is not { } department)
        {
            return [];
        }
        var granted = InForce(department).SelectMany(g => g.Elements).Select(e => e.DataElementId);
        return [.. await db.DataElements.Where(e => e.OwnerDepartmentId == department || granted.Contains(e.Id)).Select(e => e.Id).ToListAsync()];
    }

    /// <summary>The ids of the grants in force that bind the caller (none for those who read everything or nothing): what its reading depends on besides its role.</summary>
    public async Task<List<int>> GrantsInForceAsync(CallerScope scope) =>
        GrantBound(scope) is { } department ? await InForce(department).OrderBy(g => g.Id).Select(g => g.Id).ToListAsync() : [];

    /// <summary>Whether the caller may read the element at all (somewhere, some year): otherwise the answer is 403.</summary>
    public async Task<bool> MayReadElementAsync(CallerScope scope, int elementId) =>
        await ReadableElementIdsAsync(scope) is not { } ids || ids.Contains(elementId);

    /// <summary>Whether a department owns the element or holds a grant in force for it that covers the whole subtree at <paramref name="path"/>.</summary>
    public async Task<bool> CoversSubtreeAsync(CallerScope scope, int elementId, string path)
    {
        if (ReadsEverything(scope))
        {
            return true;
        }
        if (GrantBound(scope) is not { } department)
        {
            return false;
        }
        if (await db.DataElements.AnyAsync(e => e.Id == elementId && e.OwnerDepartmentId == department))
        {
            return true;
        }
        var subtrees = await InForce(department).Where(g => g.Elements.Any(e => e.DataElementId == elementId)).Select(g => g.SubtreePath).ToListAsync();
        return subtrees.Any(s => s is null || path.StartsWith(s, StringComparison.Ordinal));
    }

    /// <summary>
    /// Whether the caller reads every value of these elements and periods in the whole subtree at <paramref name="path"/>:
    /// it reads everything, owns the element, or holds one grant in force for it that covers the subtree and the period.
    /// Figures summed over the subtree (a township's roll-up) may then be shown to it without reading the units one by one.
    /// </summary>
    public async Task<bool> ReadsWholeSubtreeAsync(CallerScope scope, IReadOnlyCollection<int> elementIds, IReadOnlyCollection<string> periods, string path)
    {
        if (ReadsEverything(scope))
        {
            return true;
        }
        if (GrantBound(scope) is not { } department)
        {
            return false;
        }
        var owned = await db.DataElements.Where(e => elementIds.Contains(e.Id) && e.OwnerDepartmentId == department).Select(e => e.Id).ToListAsync();
        var grants = await InForce(department).AsNoTracking().Include(g => g.Elements).ToListAsync();
        return elementIds.Except(owned).All(id => periods.All(period => grants.Any(g => g.Elements.Any(e => e.DataElementId == id)
            && (g.SubtreePath is null || path.StartsWith(g.SubtreePath, StringComparison.Ordinal))
            && string.CompareOrdinal(period, g.PeriodFrom) >= 0 && string.CompareOrdinal(period, g.PeriodUntil) < 0)));
    }

    /// <summary>
    /// Whether the caller may take person-level data (a roster) below a path with these person attributes; and whether
    /// unmasked. A department needs one person-level grant in force that covers the subtree and every attribute.
    /// </summary>
    public async Task<(bool Allowed, bool Unmasked)> PersonLevelAsync(CallerScope scope, string path, IReadOnlyCollection<int> attributes)
    {
        if (ReadsEverything(scope))
        {
            return (true, false);
        }
        if (GrantBound(scope) is not { } department)
        {
            return (false, false);
        }
        var grants = await InForce(department).AsNoTracking().Where(g => g.PersonLevel).Include(g => g.Elements).ToListAsync();
        var covering = grants.Where(g => (g.SubtreePath is null || path.StartsWith(g.SubtreePath, StringComparison.Ordinal))
                                         && attributes.All(id => g.Elements.Any(e => e.DataElementId == id))).ToList();
        return (covering.Count > 0, covering.Any(g => g.Unmasked));
    }
}

/// <summary>Asking for, approving, refusing and revoking grants; each step audited.</summary>
/// <summary>Told when a grant request is approved or refused, before the decision is saved: what a listener adds is saved with it.</summary>
public interface IGrantDecided
{
    void Decided(DataGrant grant);
}

public sealed class GrantWorkflow(OneFormDbContext db, IStringLocalizer<SharedResource> l, TimeProvider time, DisplayTime displayTime,
    IEnumerable<IGrantDecided> listeners)
{
    public Task<DataGrant?> FindAsync(int id) => db.DataGrants.Include(g => g.Grantee).Include(g => g.Owner)
        .Include(g => g.Elements).ThenInclude(e => e.DataElement).SingleOrDefaultAsync(g => g.Id == id);

    public static IQueryable<DataGrant> Visible(IQueryable<DataGrant> grants, CallerScope scope) => scope.Role switch
    {
        Role.Gatekeeper or Role.Administrator => grants,
        Role.Department => grants.Where(g => g.GranteeDepartmentId == scope.DepartmentId || g.OwnerDepartmentId == scope.DepartmentId),
        _ => grants.Where(_ => false),
    };

    /// <summary>The owner of the elements and the gatekeeper decide; the administrator does not.</summary>
    public static bool MayDecide(CallerScope scope, DataGrant grant) =>
        scope.Role == Role.Gatekeeper || (scope.Role == Role.Department && scope.DepartmentId == grant.OwnerDepartmentId);

    public async Task<(DataGrant? Grant, Dictionary<string, string[]> Errors)> RequestAsync(GrantRequest request, CallerScope scope, string by)
    {
        var errors = new Dictionary<string, string[]>();
        var codes = (request.Elements ?? []).Distinct().ToList();
        var elements = await db.DataElements.Where(e => codes.Contains(e.Code) && !e.IsRetired).ToListAsync();
        if (codes.Count == 0)
        {
            errors[nameof(request.Elements)] = [l["Name the elements you need."]];
        }
        else if (codes.FirstOrDefault(c => elements.All(e => e.Code != c)) is { } unknown)
        {
            errors[nameof(request.Elements)] = [l["{0} is not an element of the dictionary (or it is retired).", unknown]];
        }
        else if (elements.Select(e => e.OwnerDepartmentId).Distinct().Count() > 1)
        {
            errors[nameof(request.Elements)] = [l["These elements belong to different departments: ask each owner separately."]];
        }
        else if (elements[0].OwnerDepartmentId == scope.DepartmentId)
        {
            errors[nameof(request.Elements)] = [l["Your department owns these elements and reads them without a grant."]];
        }
        string? path = null;
        if (!string.IsNullOrWhiteSpace(request.UnitCode))
        {
            path = await db.OrgUnits.Where(u => u.Code == request.UnitCode).Select(u => u.Path).SingleOrDefaultAsync();
            if (path is null)
            {
                errors[nameof(request.UnitCode)] = [l["{0} is not a unit of the tree.", request.UnitCode]];
            }
        }
        if (request.FromYear < 2000 || request.ToYear > 2100 || request.FromYear > request.ToYear)
        {
            errors[nameof(request.FromYear)] = [l["The years {0} to {1} are not a range of years.", request.FromYear, request.ToYear]];
        }
        if (string.IsNullOrWhiteSpace(request.Purpose) || request.Purpose.Trim().Length > 1000)
        {
            errors[nameof(request.Purpose)] = [l["Say what the data is for (1 to 1000 characters)."]];
        }
        if (errors.Count > 0)
        {
            return (null, errors);
        }
        var grant = new DataGrant
        {
            GranteeDepartmentId = scope.DepartmentId!.Value,
            OwnerDepartmentId = elements[0].OwnerDepartmentId,
            Elements = [.. elements.Select(e => new GrantElement { DataElementId = e.Id })],
            SubtreePath = path,
            FromYear = request.FromYear,
            ToYear = request.ToYear,
            PeriodFrom = request.FromYear.ToString(CultureInfo.InvariantCulture),
            PeriodUntil = (request.ToYear + 1).ToString(CultureInfo.InvariantCulture),
            Purpose = request.Purpose.Trim(),
            PersonLevel = request.PersonLevel,
            Unmasked = request.PersonLevel && request.Unmasked,
            State = GrantState.Requested,
            RequestedBy = by,
            RequestedAt = time.GetUtcNow(),
        };
        db.DataGrants.Add(grant);
        await db.SaveChangesAsync();
        return (grant, errors);
    }

    public string? Decide(DataGrant grant, GrantState decision, GrantDecision body, string by)
    {
        switch (decision)
        {
            case GrantState.Approved or GrantState.Refused when grant.State != GrantState.Requested:
                return l["Only a requested grant can be approved or refused."];
            case GrantState.Revoked when grant.State != GrantState.Approved:
                return l["Only an approved grant can be revoked."];
            case GrantState.Approved when body.ExpiresOn is { } until && until < displayTime.Today:
                return l["The deadline {0} has already passed.", until.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)];
            case GrantState.Refused or GrantState.Revoked when string.IsNullOrWhiteSpace(body.Note):
                return l["Give the department your reasons (1 to 2000 characters)."];
        }
        grant.State = decision;
        if (decision == GrantState.Approved)
        {
            grant.ExpiresOn = body.ExpiresOn;
        }
        grant.DecisionNote = string.IsNullOrWhiteSpace(body.Note) ? grant.DecisionNote : body.Note.Trim()[..Math.Min(1000, body.Note.Trim().Length)];
        grant.DecidedBy = by;
        grant.DecidedAt = time.GetUtcNow();
        if (decision is GrantState.Approved or GrantState.Refused)
        {
            foreach (var listener in listeners)
            {
                listener.Decided(grant);
            }
        }
        return null;
    }
}
