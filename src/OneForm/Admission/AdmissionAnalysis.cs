using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using OneForm.Catalog;
using OneForm.Collection;
using OneForm.Data;
using OneForm.Dictionary;
using OneForm.Organization;

namespace OneForm.Admission;

public enum FieldStatus
{
    /// <summary>The dictionary already has it, typed in an admitted form or waiting for one.</summary>
    Held,

    /// <summary>The registry derives it: nobody needs to type it.</summary>
    Derivable,

    /// <summary>Nothing in the dictionary: a new element if the form is admitted.</summary>
    New,

    /// <summary>
    /// A column about one person (姓名, 性别, 出生日期, 文化程度): what the registry holds or could hold, so a roster section
    /// (名单) covers it; never a new aggregate field.
    /// </summary>
    Roster,
}

public enum Recommendation
{
    /// <summary>Almost everything is held: a statistics query of the existing data serves instead of a form.</summary>
    UseExistingData,

    /// <summary>One admitted form already carries most of it: add the rest to that form.</summary>
    MergeInto,

    Admit,
}

public sealed record FormReference(string Code, string Name, string? AdmissionCode);

public sealed record MatchView(string Code, string Name, double Confidence, MatchKind Kind, bool Derived, IReadOnlyList<FormReference> Forms);

/// <param name="OnSheet">An admitted form of the proposal's category that reaches its units already asks this element: the category sheet holds it.</param>
public sealed record FieldAnalysis(int Id, int Order, string Name, string? Unit, string ValueType, IReadOnlyList<MatchView> Matches,
    string? AcceptedCode, bool Declined, string? EffectiveCode, FieldStatus Status, bool OnSheet = false);

/// <summary>
/// What the units pay a year: units × periods × fields × minutes, gross and net. <paramref name="FieldsToType"/> counts only
/// the fields new to the units' sheets: not derived from the registry and not asked by a form in force that reaches them.
/// </summary>
public sealed record BurdenFigures(int Units, int PeriodsPerYear, int Fields, int FieldsToType, double MinutesPerField, double GrossHours, double NetHours);

/// <summary>
/// What admitting does: a new version <paramref name="Version"/> of the form <paramref name="Into"/> (its fields plus
/// <paramref name="Adds"/>), or a new form when <paramref name="Into"/> is null.
/// </summary>
public sealed record AdmissionOutcome(FormReference? Into, int Version, IReadOnlyList<string> Adds)
{
    public bool IsNewVersion => Into is not null;
}

/// <param name="SheetForms">The admitted forms of the proposal's category that reach its units: together they are the category sheet it joins.</param>
/// <param name="OnSheet">Proposed fields the category sheet already holds; <paramref name="NewToSheet"/> the names of those it adds.</param>
public sealed record AnalysisResult(IReadOnlyList<FieldAnalysis> Fields, int Held, int Derivable, int New, int Roster, double ShareHeld,
    BurdenFigures Burden, Recommendation Recommendation, FormReference? MergeWith, IReadOnlyList<string> Added, IReadOnlyList<string> Removed,
    IReadOnlyList<FormReference>? SheetForms = null, int OnSheet = 0, IReadOnlyList<string>? NewToSheet = null, AdmissionOutcome? Outcome = null);

/// <summary>
/// The automatic analysis of an admission request, computed from the dictionary and the catalogue whenever it is
/// shown: for each field its best matches and the admitted forms that carry them, what the registry derives, what is
/// new; the share already held; the burden added, gross and net of prefilled fields; and a recommendation.
/// </summary>
public sealed class AdmissionAnalyzer(OneFormDbContext db, IConfiguration configuration)
{
    public const double UseExistingShare = 0.8;
    public const double MergeShare = 0.5;

    public double MinutesPerField => configuration.GetValue("Admission:MinutesPerField", 2.0);

    private static readonly JsonSerializerOptions FrozenJson = new() { Converters = { new JsonStringEnumConverter() } };

    /// <summary>The analysis as stored with a decision (<see cref="AdmissionRequest.DecisionAnalysis"/>).</summary>
    public static string Freeze(AnalysisResult analysis) => JsonSerializer.Serialize(analysis, FrozenJson);

    /// <summary>
    /// The analysis a request is shown with: for an admitted or refused request the one its decision was made on (admitting
    /// adds its fields to the dictionary, so a fresh analysis would call them all held); otherwise computed now.
    /// </summary>
    public async Task<AnalysisResult> ForAsync(AdmissionRequest request) =>
        request.State is AdmissionState.Admitted or AdmissionState.Refused && request.DecisionAnalysis is { } frozen
            ? JsonSerializer.Deserialize<AnalysisResult>(frozen, FrozenJson)!
            : await AnalyseAsync(request);

    public async Task<IReadOnlyList<MatchCandidate>> CandidatesAsync() =>
        (await db.DataElements.AsNoTracking().Where(e => !e.IsRetired && e.Source != ElementSource.PersonAttribute)
            .Select(e => new { e.Code, e.Name, e.Synonyms, e.Unit }).ToListAsync())
        .Select(e => new MatchCandidate(e.Code, e.Name, e.Synonyms.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), e.Unit))
        .ToList();

    /// <summary>An admitted form as the analysis reads it: its targeting and the elements of its fields.</summary>
    private sealed record AdmittedForm(FormReference Reference, int DepartmentId, FormCategory Category, ReportingCycle Cycle, int Version,
        IReadOnlySet<OrgUnitLevel> Levels, string? Subtree, IReadOnlySet<string> Groups, IReadOnlyList<string> Elements);

    public async Task<AnalysisResult> AnalyseAsync(AdmissionRequest request)
    {
        var candidates = await CandidatesAsync();
        var elements = await db.DataElements.AsNoTracking().Where(e => !e.IsRetired)
            .Select(e => new { e.Id, e.Code, e.Source }).ToDictionaryAsync(e => e.Code);
        var admitted = (await db.Forms.AsNoTracking().Include(f => f.Sections).ThenInclude(s => s.Fields).ThenInclude(f => f.DataElement)
                .AsSplitQuery().Where(f => f.Status == FormStatus.Admitted).OrderBy(f => f.Code).ToListAsync())
            .Select(f => new AdmittedForm(new FormReference(f.Code, f.Name, f.AdmissionCode), f.IssuingDepartmentId, f.Category, f.Cycle, f.Version,
                f.Levels.ToHashSet(), f.TargetSubtreePath, f.Groups.ToHashSet(), [.. f.Fields.Select(x => x.DataElement!.Code)]))
            .ToList();
        var carried = admitted.SelectMany(f => f.Elements.Select(e => (Element: e, Form: f.Reference)))
            .GroupBy(x => x.Element)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<FormReference>)g.Select(x => x.Form).Distinct().OrderBy(f => f.Code).ToList());
        var acceptedCodes = await db.DataElements.AsNoTracking()
            .Where(e => request.Fields.Select(f => f.AcceptedElementId).Contains(e.Id)).ToDictionaryAsync(e => e.Id, e => e.Code);

        // The units it targets, and the admitted forms that reach some of them: those of its category make the sheet it joins.
        var levels = request.Levels;
        var subtree = request.Subtree?.Path
            ?? (request.SubtreeUnitId is { } below ? await db.OrgUnits.Where(u => u.Id == below).Select(u => u.Path).SingleOrDefaultAsync() : null);
        bool Reaches(AdmittedForm f) => f.Levels.Overlaps(levels)
            && (f.Subtree is null || (subtree is not null && subtree.StartsWith(f.Subtree, StringComparison.Ordinal)) || f.Subtree.StartsWith(subtree ?? "", StringComparison.Ordinal));
        var reaching = admitted.Where(Reaches).ToList();
        var sheetForms = reaching.Where(f => f.Category == request.Category).ToList();
        var onSheet = sheetForms.SelectMany(f => f.Elements).ToHashSet();
        var typedForThem = reaching.SelectMany(f => f.Elements).ToHashSet();

        var fields = new List<FieldAnalysis>();
        var ordered = request.Fields.OrderBy(f => f.Order).ToList();
        var personLevel = FieldMatcher.PersonLevel([.. ordered.Select(f => f.Name)]);
        foreach (var (field, i) in ordered.Select((f, i) => (f, i)))
        {
            var matches = FieldMatcher.Match(field.Name, field.Unit, candidates)
                .Select(m => new MatchView(m.Code, m.Name, m.Confidence, m.Kind, elements[m.Code].Source == ElementSource.Derived,
                    carried.GetValueOrDefault(m.Code) ?? []))
                .ToList();
            var accepted = field.AcceptedElementId is { } id ? acceptedCodes.GetValueOrDefault(id) : null;
            // A person's column is a roster's unless the department chose an element for it or insisted it is new.
            var roster = personLevel[i] && accepted is null && !field.DeclinedMatches;
            var effective = accepted ?? (field.DeclinedMatches || roster ? null : matches.FirstOrDefault(m => m.Kind is not MatchKind.Related)?.Code);
            var status = roster ? FieldStatus.Roster
                : effective is null ? FieldStatus.New
                : elements.TryGetValue(effective, out var element) && element.Source == ElementSource.Derived ? FieldStatus.Derivable
                : FieldStatus.Held;
            fields.Add(new FieldAnalysis(field.Id, field.Order, field.Name, field.Unit, field.ValueType.ToString(), matches, accepted, field.DeclinedMatches, effective, status,
                effective is not null && onSheet.Contains(effective)));
        }

        var held = fields.Count(f => f.Status == FieldStatus.Held);
        var derivable = fields.Count(f => f.Status == FieldStatus.Derivable);
        var rosterColumns = fields.Count(f => f.Status == FieldStatus.Roster);
        var share = fields.Count == 0 ? 0 : (held + derivable) / (double)fields.Count;

        // Only what is new to the units' sheets costs them time: a derived field is filled by the registry, and a field a form in
        // force already asks of them is typed there once and shown filled (values are shared by element, unit and period).
        var toType = fields.Count(f => f.Status != FieldStatus.Derivable && !(f.EffectiveCode is { } c && typedForThem.Contains(c)));
        var units = levels.Count == 0 ? 0 : await TargetedUnitsAsync(levels, subtree, request.Groups);
        var periods = Period.PerYear(request.Cycle);
        var minutes = MinutesPerField;
        double Hours(int n) => Math.Round(units * periods * n * minutes / 60.0, 1);
        var burden = new BurdenFigures(units, periods, fields.Count, toType, minutes, Hours(fields.Count), Hours(toType));

        // The admitted form that already carries the most of the proposed fields (not the one this request replaces).
        var best = fields.Where(f => f.EffectiveCode is not null && carried.ContainsKey(f.EffectiveCode))
            .SelectMany(f => carried[f.EffectiveCode!])
            .Where(f => f.Code != request.ReplacesFormCode)
            .GroupBy(f => f).OrderByDescending(g => g.Count()).ThenBy(g => g.Key.Code).FirstOrDefault();
        var into = request.ReplacesFormCode is null ? MergeTarget(request, admitted, subtree, fields) : null;
        var recommendation = fields.Count > 0 && share >= UseExistingShare && request.ReplacesFormCode is null ? Recommendation.UseExistingData
            : into is not null ? Recommendation.MergeInto
            : best is not null && fields.Count > 0 && best.Count() >= MergeShare * fields.Count ? Recommendation.MergeInto
            : Recommendation.Admit;
        var mergeWith = recommendation != Recommendation.MergeInto ? null : into?.Reference ?? best!.Key;

        // A new version shows what changed against the form in force.
        var (added, removed) = (new List<string>(), new List<string>());
        if (request.ReplacesFormCode is { } code)
        {
            var current = await db.Forms.AsNoTracking().Where(f => f.Code == code && f.Status == FormStatus.Admitted)
                .SelectMany(f => f.Sections.SelectMany(s => s.Fields)).Select(f => new { f.DataElement!.Code, f.DataElement.Name }).ToListAsync();
            var proposed = fields.Select(f => f.EffectiveCode).OfType<string>().ToHashSet();
            added.AddRange(fields.Where(f => f.EffectiveCode is null || current.All(c => c.Code != f.EffectiveCode)).Select(f => f.Name));
            removed.AddRange(current.Where(c => !proposed.Contains(c.Code)).Select(c => c.Name));
        }
        var replaced = request.ReplacesFormCode is { } replaces ? admitted.FirstOrDefault(f => f.Reference.Code == replaces) : null;
        var outcome = replaced is not null ? new AdmissionOutcome(replaced.Reference, replaced.Version + 1, added)
            : into is not null ? new AdmissionOutcome(into.Reference, into.Version + 1, [.. Adds(into, fields).Select(f => f.Name)])
            : new AdmissionOutcome(null, 1, [.. fields.Select(f => f.Name)]);
        return new AnalysisResult(fields, held, derivable, fields.Count - held - derivable - rosterColumns, rosterColumns, share, burden, recommendation,
            mergeWith, added, removed, [.. sheetForms.Select(f => f.Reference)], fields.Count(f => f.OnSheet), [.. fields.Where(f => !f.OnSheet).Select(f => f.Name)], outcome);
    }

    /// <summary>
    /// The admitted form a proposal merges into, as its next version, instead of becoming a form of its own. The rule:
    /// a form in force of the same issuing department, category and cycle, that targets exactly the same units (levels,
    /// subtree, unit groups: the new fields then reach the proposal's units and no others), at least half of whose fields
    /// the proposal asks again, and to which the proposal adds at least one field. Of several, the one sharing the most
    /// fields (then the lowest code). A proposal for fewer or other units than the form stays a form of its own: its new
    /// elements join those units' category sheet only, and the form's other units are not asked them.
    /// </summary>
    private static AdmittedForm? MergeTarget(AdmissionRequest request, IReadOnlyList<AdmittedForm> admitted, string? subtree, IReadOnlyList<FieldAnalysis> fields)
    {
        var proposed = fields.Select(f => f.EffectiveCode).OfType<string>().ToHashSet();
        return admitted
            .Where(f => f.DepartmentId == request.DepartmentId && f.Category == request.Category && f.Cycle == request.Cycle)
            .Where(f => f.Levels.SetEquals(request.Levels) && f.Subtree == subtree && f.Groups.SetEquals(request.Groups))
            .Select(f => (Form: f, Shared: f.Elements.Count(proposed.Contains)))
            .Where(x => x.Form.Elements.Count > 0 && x.Shared * 2 >= x.Form.Elements.Count && Adds(x.Form, fields).Any())
            .OrderByDescending(x => x.Shared).ThenBy(x => x.Form.Reference.Code, StringComparer.Ordinal)
            .Select(x => x.Form).FirstOrDefault();
    }

    /// <summary>The proposed fields a form does not ask yet: new elements, and held ones it lacks.</summary>
    private static IEnumerable<FieldAnalysis> Adds(AdmittedForm form, IReadOnlyList<FieldAnalysis> fields) =>
        fields.Where(f => f.EffectiveCode is null || !form.Elements.Contains(f.EffectiveCode));

    /// <summary>The units of these levels below <paramref name="subtree"/> (the whole tree when null), in one of the groups when any are named.</summary>
    private async Task<int> TargetedUnitsAsync(IReadOnlyList<OrgUnitLevel> levels, string? subtree, IReadOnlyList<string> groupCodes)
    {
        var units = (subtree is null ? db.OrgUnits : db.OrgUnits.InSubtree(subtree)).Where(u => levels.Contains(u.Level));
        if (groupCodes.Count == 0)
        {
            return await units.CountAsync();
        }
        var groups = await UnitGroupQueries.ByCodesAsync(db, groupCodes);
        return groups.Count == 0 ? 0 : await units.Where(UnitGroups.InAny(db, groups)).CountAsync();
    }
}
