using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using OneForm.Accounts;
using OneForm.Catalog;
using OneForm.Data;
using OneForm.Dictionary;
using OneForm.Localization;
using OneForm.Organization;

namespace OneForm.Admission;

public sealed record ProposedFieldBody(string Name, ElementValueType ValueType = ElementValueType.Integer, string? Unit = null, string? Notes = null);

public sealed record AdmissionBody(string Title, string? Purpose, FormCategory Category, ReportingCycle Cycle, IReadOnlyList<OrgUnitLevel> TargetLevels,
    int DeadlineDays, string Designer, IReadOnlyList<ProposedFieldBody> Fields, string? ReplacesFormCode = null, string? SubtreeUnitCode = null,
    IReadOnlyList<string>? TargetGroups = null);

/// <summary>The gatekeeper's reasons for refusing or returning (required) or admitting (optional).</summary>
public sealed record DecisionBody(string? Reasons);

/// <summary>
/// Binds a proposed field to an element of the dictionary (a suggested match); <see cref="Decline"/> says none of the
/// suggestions is the field; null goes back to the best match.
/// </summary>
public sealed record AcceptBody(int FieldId, string? ElementCode)
{
    public const string Decline = "-";
}

/// <summary>
/// The steps of admission: the department drafts, accepts matches, submits or withdraws; the gatekeeper admits,
/// refuses or returns. Each step checks the state it starts from and who takes it; each change is audited.
/// </summary>
public sealed class AdmissionWorkflow(OneFormDbContext db, IStringLocalizer<SharedResource> l, TimeProvider time, DisplayTime displayTime,
    IConfiguration configuration, Collection.TaskOpener opener, AdmissionAnalyzer analyzer)
{
    public const int MaxFields = 200;

    /// <summary>Who sees a request: its department (drafts too), the gatekeeper and the administrator (not drafts).</summary>
    public static bool CanSee(CallerScope scope, AdmissionRequest request) => scope.Role switch
    {
        Role.Department => scope.DepartmentId == request.DepartmentId,
        Role.Gatekeeper or Role.Administrator => request.State != AdmissionState.Draft,
        _ => false,
    };

    public static IQueryable<AdmissionRequest> Visible(IQueryable<AdmissionRequest> requests, CallerScope scope) => scope.Role switch
    {
        Role.Department => requests.Where(r => r.DepartmentId == scope.DepartmentId),
        Role.Gatekeeper or Role.Administrator => requests.Where(r => r.State != AdmissionState.Draft),
        _ => requests.Where(_ => false),
    };

    public Task<AdmissionRequest?> FindAsync(int id) =>
        db.AdmissionRequests.Include(r => r.Department).Include(r => r.Fields).Include(r => r.Form).Include(r => r.Subtree).SingleOrDefaultAsync(r => r.Id == id);

    /// <summary>Checks a body and writes it into a new or an editable request; returns the problems by field.</summary>
    public async Task<Dictionary<string, string[]>> ApplyAsync(AdmissionRequest request, AdmissionBody body)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(body.Title) || body.Title.Trim().Length > 200)
        {
            errors[nameof(body.Title)] = [l["Give the form a name of 1 to 200 characters."]];
        }
        if (string.IsNullOrWhiteSpace(body.Designer) || body.Designer.Trim().Length > 100)
        {
            errors[nameof(body.Designer)] = [l["Name the designer (制表人), who answers for the form with its issuer."]];
        }
        if (body.DeadlineDays is < 0 or > 366)
        {
            errors[nameof(body.DeadlineDays)] = [l["The deadline must be 0 to 366 days after the period ends."]];
        }
        if (body.TargetLevels is not { Count: > 0 })
        {
            errors[nameof(body.TargetLevels)] = [l["Say which levels of the tree fill the form."]];
        }
        if ((body.Purpose?.Length ?? 0) > 2000)
        {
            errors[nameof(body.Purpose)] = [l["{0} is longer than {1} characters.", l["Purpose"], 2000]];
        }
        // A unit in brackets after the name is the field's unit, unless one is given.
        var fields = (body.Fields ?? []).Select(f => HeaderReader.SplitUnit(f.Name ?? "") is var (name, unit)
            ? f with { Name = name, Unit = string.IsNullOrWhiteSpace(f.Unit) ? unit : f.Unit }
            : f).ToList();
        if (fields.Count == 0 || fields.Count > MaxFields)
        {
            errors[nameof(body.Fields)] = [l["A proposed form needs 1 to {0} fields.", MaxFields]];
        }
        else if (fields.Select((f, i) => (f, i)).FirstOrDefault(x => x.f.Name.Length is 0 or > 100) is { f: not null } bad)
        {
            errors[nameof(body.Fields)] = [l["Field {0}: give it a name of 1 to 100 characters.", bad.i + 1]];
        }
        else if (fields.GroupBy(f => f.Name).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            errors[nameof(body.Fields)] = [l["{0} appears twice in the form.", twice.Key]];
        }
        var replaces = string.IsNullOrWhiteSpace(body.ReplacesFormCode) ? null : body.ReplacesFormCode.Trim().ToUpperInvariant();
        if (replaces is not null && !await db.Forms.AnyAsync(f => f.Code == replaces && f.Status == FormStatus.Admitted && f.IssuingDepartmentId == request.DepartmentId))
        {
            errors[nameof(body.ReplacesFormCode)] = [l["{0} is not an admitted form of your department.", replaces]];
        }
        OrgUnit? subtree = null;
        if (!string.IsNullOrWhiteSpace(body.SubtreeUnitCode))
        {
            subtree = await db.OrgUnits.SingleOrDefaultAsync(u => u.Code == body.SubtreeUnitCode.Trim());
            if (subtree is null)
            {
                errors[nameof(body.SubtreeUnitCode)] = [l["{0} is not a unit of the tree.", body.SubtreeUnitCode.Trim()]];
            }
        }
        var groups = (body.TargetGroups ?? []).Select(g => g.Trim()).Where(g => g.Length > 0).Distinct().ToList();
        if (groups.Count > 0)
        {
            var known = (await UnitGroupQueries.ByCodesAsync(db, groups)).Select(g => g.Code).ToList();
            if (groups.FirstOrDefault(g => !known.Contains(g)) is { } unknownGroup)
            {
                errors[nameof(body.TargetGroups)] = [l["Unit group '{0}' does not exist.", unknownGroup]];
            }
        }
        if (errors.Count > 0)
        {
            return errors;
        }

        request.SubtreeUnitId = subtree?.Id;
        request.TargetGroups = groups.Count > 0 ? string.Join(',', groups) : null;
        request.Subtree = subtree;
        request.Title = body.Title.Trim();
        request.Purpose = body.Purpose?.Trim() ?? "";
        request.Category = body.Category;
        request.Cycle = body.Cycle;
        request.TargetLevels = string.Join(',', body.TargetLevels.Distinct());
        request.DeadlineDays = body.DeadlineDays;
        request.Designer = body.Designer.Trim();
        request.ReplacesFormCode = replaces;
        // Fields keep an accepted match while their name stays the same.
        var bound = request.Fields.ToDictionary(f => f.Name, f => (f.AcceptedElementId, f.DeclinedMatches));
        db.ProposedFields.RemoveRange(request.Fields);
        request.Fields = fields.Select((f, i) => new ProposedField
        {
            Order = i + 1,
            Name = f.Name,
            ValueType = f.ValueType,
            Unit = string.IsNullOrWhiteSpace(f.Unit) ? null : f.Unit.Trim()[..Math.Min(20, f.Unit.Trim().Length)],
            Notes = string.IsNullOrWhiteSpace(f.Notes) ? null : f.Notes.Trim()[..Math.Min(500, f.Notes.Trim().Length)],
            AcceptedElementId = bound.GetValueOrDefault(f.Name).AcceptedElementId,
            DeclinedMatches = bound.GetValueOrDefault(f.Name).DeclinedMatches,
        }).ToList();
        return errors;
    }

    public AdmissionRequest New(CallerScope scope, string by) => new()
    {
        DepartmentId = scope.DepartmentId ?? throw new InvalidOperationException("Only a department proposes forms."),
        Title = "",
        State = AdmissionState.Draft,
        CreatedBy = by,
        CreatedAt = time.GetUtcNow(),
    };

    /// <summary>Binds or unbinds one field; the element must be one the analysis can suggest (not a person attribute).</summary>
    public async Task<string?> AcceptAsync(AdmissionRequest request, AcceptBody body)
    {
        var field = request.Fields.SingleOrDefault(f => f.Id == body.FieldId);
        if (field is null)
        {
            return l["The request has no field {0}.", body.FieldId];
        }
        if (body.ElementCode is null or AcceptBody.Decline)
        {
            field.AcceptedElementId = null;
            field.DeclinedMatches = body.ElementCode is not null;
            return null;
        }
        var element = await db.DataElements.SingleOrDefaultAsync(e => e.Code == body.ElementCode && !e.IsRetired && e.Source != ElementSource.PersonAttribute);
        if (element is null)
        {
            return l["{0} is not an element of the dictionary (or it is retired).", body.ElementCode];
        }
        if (request.Fields.Any(f => f != field && f.AcceptedElementId == element.Id))
        {
            return l["{0} appears twice in the form.", element.Name];
        }
        field.AcceptedElementId = element.Id;
        field.DeclinedMatches = false;
        return null;
    }

    public string? Submit(AdmissionRequest request)
    {
        if (!request.IsEditable)
        {
            return l["Only a draft or a returned request can be submitted."];
        }
        request.State = AdmissionState.Submitted;
        request.SubmittedAt = time.GetUtcNow();
        return null;
    }

    public string? Withdraw(AdmissionRequest request)
    {
        if (request.State is not (AdmissionState.Draft or AdmissionState.Submitted or AdmissionState.Returned))
        {
            return l["A decided request cannot be withdrawn."];
        }
        request.State = AdmissionState.Withdrawn;
        return null;
    }

    /// <summary>Refuses or returns a submitted request; both need reasons the department will read. A refusal keeps the analysis it was made on.</summary>
    public async Task<string?> DecideAsync(AdmissionRequest request, AdmissionState decision, string? reasons, string by)
    {
        if (request.State != AdmissionState.Submitted)
        {
            return l["Only a submitted request can be decided."];
        }
        if (string.IsNullOrWhiteSpace(reasons) || reasons.Trim().Length > 2000)
        {
            return l["Give the department your reasons (1 to 2000 characters)."];
        }
        if (decision == AdmissionState.Refused)
        {
            request.DecisionAnalysis = AdmissionAnalyzer.Freeze(await analyzer.AnalyseAsync(request));
        }
        request.State = decision;
        request.DecisionReasons = reasons.Trim();
        request.DecidedBy = by;
        request.DecidedAt = time.GetUtcNow();
        return null;
    }

    /// <summary>
    /// Admits a submitted request: accepted matches reuse their elements, the other fields become new elements of the
    /// department. What enters the catalogue is the analysis's outcome: a new version of the form the request replaces
    /// or merges into (see <see cref="AdmissionAnalyzer"/>: a merge keeps the form's fields and adds the new ones in a
    /// section of their own), or else a new form; it gets its admission code, and its tasks open.
    /// </summary>
    public async Task<string?> AdmitAsync(AdmissionRequest request, string? reasons, string by)
    {
        if (request.State != AdmissionState.Submitted)
        {
            return l["Only a submitted request can be decided."];
        }
        var department = request.Department ?? await db.Departments.SingleAsync(d => d.Id == request.DepartmentId);
        var analysis = await analyzer.AnalyseAsync(request);
        var effective = analysis.Fields.Where(f => f.EffectiveCode is not null).ToDictionary(f => f.Id, f => f.EffectiveCode!);
        var held = await db.DataElements.Where(e => effective.Values.Contains(e.Code)).ToDictionaryAsync(e => e.Code, e => e.Id);
        var previous = analysis.Outcome?.Into is { } into
            ? await db.Forms.Include(f => f.Sections).ThenInclude(s => s.Fields).AsSplitQuery()
                .Where(f => f.Code == into.Code && f.Status == FormStatus.Admitted).OrderByDescending(f => f.Version).FirstOrDefaultAsync()
            : null;
        var merging = previous is not null && request.ReplacesFormCode is null;
        var kept = merging ? previous!.Sections.SelectMany(s => s.Fields).Select(f => f.DataElementId).ToHashSet() : [];
        await using var transaction = await db.Database.BeginTransactionAsync();
        var elementIds = new List<int>();
        foreach (var field in request.Fields.OrderBy(f => f.Order))
        {
            if (effective.TryGetValue(field.Id, out var heldCode))
            {
                if (!elementIds.Contains(held[heldCode]) && !kept.Contains(held[heldCode]))
                {
                    elementIds.Add(held[heldCode]);
                }
                continue;
            }
            var element = new DataElement
            {
                Code = $"{department.Code}_A{request.Id}_{field.Order}".ToUpperInvariant(),
                Name = field.Name,
                ValueType = field.ValueType,
                Unit = field.Unit,
                Aggregation = field.ValueType is ElementValueType.Integer or ElementValueType.Decimal ? Aggregation.Sum : Aggregation.None,
                OwnerDepartmentId = department.Id,
                Source = ElementSource.Entered,
                Required = false,
                Min = field.ValueType is ElementValueType.Integer or ElementValueType.Decimal ? 0 : null,
            };
            db.DataElements.Add(element);
            await db.SaveChangesAsync();
            elementIds.Add(element.Id);
        }
        var proposed = new FormSection
        {
            Order = merging ? previous!.Sections.Select(x => x.Order).DefaultIfEmpty(0).Max() + 1 : 1,
            // Merged, the new fields form a section named after the proposal, so the form's layout shows where they came from.
            Title = merging ? request.Title : "填报内容",
            TitleEn = merging ? null : "Fields",
            Fields = elementIds.Select((id, i) => new FormField { Order = i + 1, DataElementId = id }).ToList(),
        };
        var form = merging
            ? new Form
            {
                // The form its units know, one version on: its name, targeting and deadline, its sections, and the new fields.
                Code = previous!.Code,
                Version = previous.Version + 1,
                Name = previous.Name,
                NameEn = previous.NameEn,
                Category = previous.Category,
                Cycle = previous.Cycle,
                IssuingDepartmentId = previous.IssuingDepartmentId,
                Designer = request.Designer,
                DeadlineDays = previous.DeadlineDays,
                TargetLevels = previous.TargetLevels,
                TargetSubtreePath = previous.TargetSubtreePath,
                TargetGroups = previous.TargetGroups,
                Status = FormStatus.Draft,
                Sections = [.. previous.Sections.OrderBy(s => s.Order).Select(Copy), .. proposed.Fields.Count > 0 ? [proposed] : Array.Empty<FormSection>()],
            }
            : new Form
            {
                Code = previous?.Code ?? string.Create(CultureInfo.InvariantCulture, $"{department.Code}-{displayTime.Today.Year}-{request.Id:000}"),
                Version = (previous?.Version ?? 0) + 1,
                Name = request.Title,
                Category = request.Category,
                Cycle = request.Cycle,
                IssuingDepartmentId = department.Id,
                Designer = request.Designer,
                DeadlineDays = request.DeadlineDays,
                TargetLevels = request.TargetLevels,
                TargetSubtreePath = request.Subtree?.Path,
                TargetGroups = request.TargetGroups,
                Status = FormStatus.Draft,
                Sections = [proposed],
            };
        db.Forms.Add(form);
        await FormEditing.AdmitAsync(db, form, displayTime.Today, configuration["Catalog:AdmissionCodePrefix"] ?? "CJZR");
        request.State = AdmissionState.Admitted;
        request.DecisionAnalysis = AdmissionAnalyzer.Freeze(analysis);
        request.DecisionReasons = string.IsNullOrWhiteSpace(reasons) ? null : reasons.Trim();
        request.DecidedBy = by;
        request.DecidedAt = time.GetUtcNow();
        request.Form = form;
        await db.SaveChangesAsync();
        await transaction.CommitAsync();
        var period = Collection.TaskOpener.PeriodFor(form, displayTime.Today);
        await (previous is null ? opener.OpenAsync(form, period) : opener.OpenNewVersionAsync(previous, form, period));
        return null;

        static FormSection Copy(FormSection s) => new()
        {
            Order = s.Order,
            Title = s.Title,
            TitleEn = s.TitleEn,
            Kind = s.Kind,
            RosterMinAge = s.RosterMinAge,
            RosterMaxAge = s.RosterMaxAge,
            RosterAttributeElementId = s.RosterAttributeElementId,
            RosterAttributeValue = s.RosterAttributeValue,
            Fields = [.. s.Fields.OrderBy(f => f.Order).Select(f => new FormField { Order = f.Order, DataElementId = f.DataElementId })],
        };
    }
}
