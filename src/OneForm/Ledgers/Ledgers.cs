using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using OneForm.Data;
using OneForm.Collection;
using OneForm.Localization;
using OneForm.Organization;

namespace OneForm.Ledgers;

public sealed record LedgerFieldRequest(string Name, LedgerFieldType Type, bool Required = false, IReadOnlyList<string>? Options = null, string? EnglishName = null);

public sealed record LedgerKindRequest(string Name, string EnglishName, string Department, IReadOnlyList<LedgerFieldRequest> Fields);

public sealed record LedgerFieldView(int Id, string Name, string? EnglishName, string Type, bool Required, IReadOnlyList<string> Options);

public sealed record LedgerKindView(int Id, string Name, string EnglishName, string Department, IReadOnlyList<LedgerFieldView> Fields)
{
    public static LedgerKindView Of(LedgerKind k) => new(k.Id, k.Name, k.EnglishName, k.OwnerDepartment?.Code ?? "",
        [.. k.Fields.OrderBy(f => f.Position).Select(f => new LedgerFieldView(f.Id, f.Name, f.EnglishName, f.Type.ToString(), f.Required, f.OptionList))]);
}

/// <summary>An entry's values by field name (or field id); the unit defaults to the caller's own.</summary>
public sealed record LedgerEntryRequest(int Kind, IReadOnlyDictionary<string, string?> Values, string? Unit = null);

public sealed record LedgerChangeView(IReadOnlyDictionary<string, string>? Before, IReadOnlyDictionary<string, string>? After, string ChangedBy, DateTimeOffset ChangedAt);

/// <summary>An entry as read; <paramref name="Reopened"/> only in the answer to a recording or correction that sent forms back to the unit.</summary>
public sealed record LedgerEntryView(long Id, int Kind, string Unit, string UnitName, DateOnly OccurredOn, IReadOnlyDictionary<string, string> Values,
    string RecordedBy, DateTimeOffset RecordedAt, string UpdatedBy, DateTimeOffset UpdatedAt, IReadOnlyList<LedgerChangeView>? History = null,
    IReadOnlyList<ReopenedTask>? Reopened = null);

/// <summary>
/// Ledger kinds and their entries: defining a kind (the gatekeeper), recording and correcting entries (the unit's own
/// people), reading them (the unit, the reviewers above it and the department that owns the kind). Every input is
/// checked against the kind's fields, with messages that name the field.
/// </summary>
public sealed class Ledgers(OneFormDbContext db, LedgerValues values, DisplayTime time, IStringLocalizer<SharedResource> l)
{
    public const int MaxFields = 30;
    public const int MaxOptions = 50;
    public const int MaxTextLength = 500;

    /// <summary>Defines a new kind, or the problems by field.</summary>
    public async Task<(LedgerKind? Kind, Dictionary<string, string[]> Errors)> DefineAsync(LedgerKindRequest request, CancellationToken cancellationToken = default)
    {
        var errors = new Dictionary<string, string[]>();
        void Problem(string field, string message) => errors.TryAdd(field, [message]);
        var name = request.Name?.Trim() ?? "";
        var englishName = request.EnglishName?.Trim() ?? "";
        if (name.Length == 0)
        {
            Problem(nameof(request.Name), l["The ledger needs a name."]);
        }
        else if (name.Length > LedgerKind.MaxNameLength)
        {
            Problem(nameof(request.Name), l["{0} may have at most {1} characters.", l["Name"], LedgerKind.MaxNameLength]);
        }
        else if (await db.LedgerKinds.AnyAsync(k => k.Name == name, cancellationToken))
        {
            Problem(nameof(request.Name), l["A ledger named {0} exists already.", name]);
        }
        if (englishName.Length is 0 or > LedgerKind.MaxNameLength)
        {
            Problem(nameof(request.EnglishName), l["The ledger needs an English name of at most {0} characters.", LedgerKind.MaxNameLength]);
        }
        var department = await db.Departments.AsNoTracking().SingleOrDefaultAsync(d => d.Code == request.Department, cancellationToken);
        if (department is null)
        {
            Problem(nameof(request.Department), l["Choose the department that owns the ledger."]);
        }
        var fields = request.Fields ?? [];
        if (fields.Count is 0 or > MaxFields)
        {
            Problem(nameof(request.Fields), l["A ledger has between 1 and {0} fields.", MaxFields]);
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < fields.Count; i++)
        {
            var field = fields[i];
            var key = string.Create(CultureInfo.InvariantCulture, $"Fields[{i}]");
            var fieldName = field.Name?.Trim() ?? "";
            if (fieldName.Length is 0 or > LedgerKind.MaxNameLength)
            {
                Problem(key + ".Name", l["Field {0} needs a name of at most {1} characters.", i + 1, LedgerKind.MaxNameLength]);
            }
            else if (!seen.Add(fieldName))
            {
                Problem(key + ".Name", l["Two fields are named {0}.", fieldName]);
            }
            if (!Enum.IsDefined(field.Type))
            {
                Problem(key + ".Type", l["Choose the type of {0}.", fieldName]);
            }
            var options = (field.Options ?? []).Select(o => o?.Trim() ?? "").Where(o => o.Length > 0).ToList();
            if (field.Type == LedgerFieldType.Option)
            {
                if (options.Count is < 2 or > MaxOptions || options.Distinct().Count() != options.Count || options.Any(o => o.Length > LedgerKind.MaxNameLength || o.Contains('\n')))
                {
                    Problem(key + ".Options", l["{0} needs between 2 and {1} different options.", fieldName, MaxOptions]);
                }
            }
            else if (options.Count > 0)
            {
                Problem(key + ".Options", l["Only an option set has options; {0} does not.", fieldName]);
            }
        }
        if (!fields.Any(f => f is { Type: LedgerFieldType.Date, Required: true }))
        {
            Problem(nameof(request.Fields), l["A ledger needs a required date field: it places each entry in a period."]);
        }
        if (errors.Count > 0)
        {
            return (null, errors);
        }
        var kind = new LedgerKind
        {
            Name = name,
            EnglishName = englishName,
            OwnerDepartmentId = department!.Id,
            CreatedAt = time.Time.GetUtcNow(),
            Fields = [.. fields.Select((f, i) => new LedgerField
            {
                Position = i + 1,
                Name = f.Name.Trim(),
                EnglishName = string.IsNullOrWhiteSpace(f.EnglishName) ? null : f.EnglishName.Trim(),
                Type = f.Type,
                Required = f.Required,
                Options = f.Type == LedgerFieldType.Option ? string.Join('\n', f.Options!.Select(o => o.Trim()).Where(o => o.Length > 0)) : null,
            })],
            RowVersion = 1,
        };
        db.LedgerKinds.Add(kind);
        await db.SaveChangesAsync(cancellationToken);
        return (kind, errors);
    }

    public Task<List<LedgerKind>> KindsAsync(CancellationToken cancellationToken = default) =>
        db.LedgerKinds.AsNoTracking().Include(k => k.Fields).Include(k => k.OwnerDepartment).OrderBy(k => k.Id).ToListAsync(cancellationToken);

    public Task<LedgerKind?> KindAsync(int id, CancellationToken cancellationToken = default) =>
        db.LedgerKinds.AsNoTracking().Include(k => k.Fields).Include(k => k.OwnerDepartment).SingleOrDefaultAsync(k => k.Id == id, cancellationToken);

    /// <summary>A unit's ledger of a kind: its own people, the reviewers above it, the gatekeeper and administrator, and the department that owns the kind.</summary>
    public static bool CanRead(CallerScope scope, OrgUnit unit, LedgerKind kind) =>
        scope.CanSeeTasksOf(unit) || scope is { Role: Role.Department, IsAccessToken: false } && scope.DepartmentId == kind.OwnerDepartmentId;

    /// <summary>Checks values against the kind's fields: the normal forms by field id, or the problems by field name.</summary>
    public Dictionary<string, string[]> Check(LedgerKind kind, IReadOnlyDictionary<string, string?> input, out Dictionary<int, string> checkedValues)
    {
        var culture = CultureInfo.CurrentUICulture;
        var errors = new Dictionary<string, string[]>();
        checkedValues = [];
        var fields = kind.Fields.OrderBy(f => f.Position).ToList();
        foreach (var key in input.Keys.Where(k => Field(fields, k) is null))
        {
            errors[key] = [l["{0} is not a field of this ledger.", key]];
        }
        foreach (var field in fields)
        {
            var raw = input.FirstOrDefault(p => Field(fields, p.Key) == field).Value?.Trim() ?? "";
            var name = field.DisplayName(culture);
            string? problem = null;
            string? normal = null;
            if (raw.Length == 0)
            {
                problem = field.Required ? l["{0} is required.", name].Value : null;
            }
            else
            {
                switch (field.Type)
                {
                    case LedgerFieldType.Date:
                        if (!DateOnly.TryParseExact(raw, ["yyyy-MM-dd", "yyyy/M/d", "yyyy.M.d", "yyyy年M月d日"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
                        {
                            problem = l["{0} must be a date such as 2026-03-31; '{1}' is not.", name, raw];
                        }
                        else if (date > time.Today || date < time.Today.AddYears(-5))
                        {
                            problem = l["{0}: the date {1} is in the future or more than five years ago.", name, date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)];
                        }
                        else
                        {
                            normal = date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
                        }
                        break;
                    case LedgerFieldType.Integer:
                        if (!long.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var whole) || whole < 0 || whole > 1_000_000_000)
                        {
                            problem = l["{0} must be a whole number; '{1}' is not.", name, raw];
                        }
                        else
                        {
                            normal = whole.ToString(CultureInfo.InvariantCulture);
                        }
                        break;
                    case LedgerFieldType.Decimal:
                        if (!decimal.TryParse(raw, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number) || Math.Abs(number) > 1_000_000_000_000m)
                        {
                            problem = l["{0} must be a number; '{1}' is not.", name, raw];
                        }
                        else
                        {
                            normal = number.ToString(CultureInfo.InvariantCulture);
                        }
                        break;
                    case LedgerFieldType.Option:
                        if (!field.OptionList.Contains(raw))
                        {
                            problem = l["{0} must be one of {1}; '{2}' is not.", name, string.Join("、", field.OptionList), raw];
                        }
                        else
                        {
                            normal = raw;
                        }
                        break;
                    default:
                        problem = raw.Length > MaxTextLength
                            ? l["{0} may have at most {1} characters.", name, MaxTextLength]
                            : InputRules.Problem(raw, name, l);
                        normal = problem is null ? raw : null;
                        break;
                }
            }
            if (problem is not null)
            {
                errors[field.Name] = [problem];
            }
            else if (normal is not null)
            {
                checkedValues[field.Id] = normal;
            }
        }
        return errors;
    }

    private static LedgerField? Field(List<LedgerField> fields, string key) =>
        fields.FirstOrDefault(f => f.Name == key || f.EnglishName == key || f.Id.ToString(CultureInfo.InvariantCulture) == key);

    /// <summary>
    /// Records an entry of the unit (the caller has been checked to fill for it), or the problems by field; with the
    /// forms sent back to the unit because a count they held changed (an entry recorded late for a closed period).
    /// </summary>
    public async Task<(LedgerEntry? Entry, Dictionary<string, string[]> Errors, IReadOnlyList<ReopenedTask> Reopened)> RecordAsync(string actor,
        OrgUnit unit, LedgerKind kind, IReadOnlyDictionary<string, string?> input, CancellationToken cancellationToken = default)
    {
        var errors = Check(kind, input, out var checkedValues);
        if (errors.Count > 0)
        {
            return (null, errors, []);
        }
        var now = time.Time.GetUtcNow();
        var entry = new LedgerEntry
        {
            LedgerKindId = kind.Id,
            OrgUnitId = unit.Id,
            OccurredOn = DateOnly.ParseExact(checkedValues[kind.DateField!.Id], "yyyy-MM-dd", CultureInfo.InvariantCulture),
            Values = LedgerEntry.Write(checkedValues),
            CreatedBy = actor,
            CreatedAt = now,
            UpdatedBy = actor,
            UpdatedAt = now,
            RowVersion = 1,
        };
        db.LedgerEntries.Add(entry);
        await db.SaveChangesAsync(cancellationToken);
        db.LedgerEntryChanges.Add(new LedgerEntryChange
        {
            LedgerEntryId = entry.Id, OrgUnitId = unit.Id, NewValues = entry.Values, ChangedBy = actor, ChangedAt = now,
        });
        await db.SaveChangesAsync(cancellationToken);
        var reopened = await values.EntryChangedAsync(kind.Id, unit.Id, [entry.OccurredOn], actor, cancellationToken);
        return (entry, errors, reopened);
    }

    /// <summary>
    /// Corrects an entry: every field as given (a field left out is cleared), the old and new values kept in its
    /// history; with the forms sent back to the unit because a count they held changed.
    /// </summary>
    public async Task<(Dictionary<string, string[]> Errors, IReadOnlyList<ReopenedTask> Reopened)> CorrectAsync(string actor, LedgerEntry entry,
        LedgerKind kind, IReadOnlyDictionary<string, string?> input, CancellationToken cancellationToken = default)
    {
        var errors = Check(kind, input, out var checkedValues);
        if (errors.Count > 0)
        {
            return (errors, []);
        }
        var written = LedgerEntry.Write(checkedValues);
        if (written == entry.Values)
        {
            return (errors, []);
        }
        var before = (entry.Values, entry.OccurredOn);
        var now = time.Time.GetUtcNow();
        entry.Values = written;
        entry.OccurredOn = DateOnly.ParseExact(checkedValues[kind.DateField!.Id], "yyyy-MM-dd", CultureInfo.InvariantCulture);
        entry.UpdatedBy = actor;
        entry.UpdatedAt = now;
        db.LedgerEntryChanges.Add(new LedgerEntryChange
        {
            LedgerEntryId = entry.Id, OrgUnitId = entry.OrgUnitId, OldValues = before.Values, NewValues = written, ChangedBy = actor, ChangedAt = now,
        });
        await db.SaveChangesAsync(cancellationToken);
        var reopened = await values.EntryChangedAsync(kind.Id, entry.OrgUnitId, [before.OccurredOn, entry.OccurredOn], actor, cancellationToken);
        return (errors, reopened);
    }

    /// <summary>The entry with its kind and unit, when the caller may read it; otherwise null (a 404, not saying it exists).</summary>
    public async Task<LedgerEntry?> FindAsync(CallerScope scope, long id, CancellationToken cancellationToken = default)
    {
        var entry = await db.LedgerEntries.Include(e => e.OrgUnit).Include(e => e.LedgerKind).ThenInclude(k => k!.Fields)
            .SingleOrDefaultAsync(e => e.Id == id, cancellationToken);
        return entry is not null && CanRead(scope, entry.OrgUnit!, entry.LedgerKind!) ? entry : null;
    }

    /// <summary>A unit's entries of a kind in a period, oldest first.</summary>
    public Task<List<LedgerEntry>> EntriesAsync(int kindId, int unitId, Period period, CancellationToken cancellationToken = default) =>
        db.LedgerEntries.AsNoTracking().Include(e => e.OrgUnit)
            .Where(e => e.LedgerKindId == kindId && e.OrgUnitId == unitId && e.OccurredOn >= period.Start && e.OccurredOn <= period.End)
            .OrderBy(e => e.OccurredOn).ThenBy(e => e.Id).ToListAsync(cancellationToken);

    public Task<List<LedgerEntryChange>> HistoryAsync(long entryId, CancellationToken cancellationToken = default) =>
        db.LedgerEntryChanges.AsNoTracking().Where(c => c.LedgerEntryId == entryId).OrderBy(c => c.Id).ToListAsync(cancellationToken);

    /// <summary>Values by field name, for showing and for the API.</summary>
    public static Dictionary<string, string> Named(LedgerKind kind, string? json)
    {
        var byId = LedgerEntry.Read(json);
        return kind.Fields.OrderBy(f => f.Position).Where(f => byId.ContainsKey(f.Id)).ToDictionary(f => f.Name, f => byId[f.Id]);
    }
}
