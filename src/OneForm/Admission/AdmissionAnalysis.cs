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

public sealed record FieldAnalysis(int Id, int Order, string Name, string? Unit, string ValueType, IReadOnlyList<MatchView> Matches,
    string? AcceptedCode, bool Declined, string? EffectiveCode, FieldStatus Status);

/// <summary>What the form would cost the units a year: units × periods × fields × minutes, before and after prefilling.</summary>
public sealed record BurdenFigures(int Units, int PeriodsPerYear, int Fields, int FieldsToType, double MinutesPerField, double GrossHours, double NetHours);

public sealed record AnalysisResult(IReadOnlyList<FieldAnalysis> Fields, int Held, int Derivable, int New, int Roster, double ShareHeld,
    BurdenFigures Burden, Recommendation Recommendation, FormReference? MergeWith, IReadOnlyList<string> Added, IReadOnlyList<string> Removed);

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

    public async Task<IReadOnlyList<MatchCandidate>> CandidatesAsync() =>
        (await db.DataElements.AsNoTracking().Where(e => !e.IsRetired && e.Source != ElementSource.PersonAttribute)
            .Select(e => new { e.Code, e.Name, e.Synonyms, e.Unit }).ToListAsync())
        .Select(e => new MatchCandidate(e.Code, e.Name, e.Synonyms.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), e.Unit))
        .ToList();

    public async Task<AnalysisResult> AnalyseAsync(AdmissionRequest request)
    {
        var candidates = await CandidatesAsync();
        var elements = await db.DataElements.AsNoTracking().Where(e => !e.IsRetired)
            .Select(e => new { e.Id, e.Code, e.Source }).ToDictionaryAsync(e => e.Code);
        var carried = (await db.Forms.AsNoTracking().Where(f => f.Status == FormStatus.Admitted)
                .SelectMany(f => f.Sections.SelectMany(s => s.Fields), (f, field) => new { f.Code, f.Name, f.AdmissionCode, Element = field.DataElement!.Code })
                .ToListAsync())
            .GroupBy(x => x.Element)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<FormReference>)g.Select(x => new FormReference(x.Code, x.Name, x.AdmissionCode)).Distinct().OrderBy(f => f.Code).ToList());
        var acceptedCodes = await db.DataElements.AsNoTracking()
            .Where(e => request.Fields.Select(f => f.AcceptedElementId).Contains(e.Id)).ToDictionaryAsync(e => e.Id, e => e.Code);

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
            fields.Add(new FieldAnalysis(field.Id, field.Order, field.Name, field.Unit, field.ValueType.ToString(), matches, accepted, field.DeclinedMatches, effective, status));
        }

        var held = fields.Count(f => f.Status == FieldStatus.Held);
        var derivable = fields.Count(f => f.Status == FieldStatus.Derivable);
        var rosterColumns = fields.Count(f => f.Status == FieldStatus.Roster);
        var share = fields.Count == 0 ? 0 : (held + derivable) / (double)fields.Count;

        // Prefilled: derived from the registry, or typed once already in a form in force (the value is shared).
        var prefilled = fields.Count(f => f.Status == FieldStatus.Derivable || (f.EffectiveCode is { } c && carried.ContainsKey(c)));
        var levels = request.Levels;
        var subtree = request.SubtreeUnitId is { } below ? await db.OrgUnits.Where(u => u.Id == below).Select(u => u.Path).SingleOrDefaultAsync() : null;
        var units = levels.Count == 0 ? 0 : await (subtree is null ? db.OrgUnits : db.OrgUnits.InSubtree(subtree)).CountAsync(u => levels.Contains(u.Level));
        var periods = Period.PerYear(request.Cycle);
        var minutes = MinutesPerField;
        double Hours(int n) => Math.Round(units * periods * n * minutes / 60.0, 1);
        var burden = new BurdenFigures(units, periods, fields.Count, fields.Count - prefilled, minutes, Hours(fields.Count), Hours(fields.Count - prefilled));

        // The admitted form that already carries the most of the proposed fields (not the one this request replaces).
        var best = fields.Where(f => f.EffectiveCode is not null && carried.ContainsKey(f.EffectiveCode))
            .SelectMany(f => carried[f.EffectiveCode!])
            .Where(f => f.Code != request.ReplacesFormCode)
            .GroupBy(f => f).OrderByDescending(g => g.Count()).ThenBy(g => g.Key.Code).FirstOrDefault();
        var recommendation = fields.Count > 0 && share >= UseExistingShare && request.ReplacesFormCode is null ? Recommendation.UseExistingData
            : best is not null && fields.Count > 0 && best.Count() >= MergeShare * fields.Count ? Recommendation.MergeInto
            : Recommendation.Admit;

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
        return new AnalysisResult(fields, held, derivable, fields.Count - held - derivable - rosterColumns, rosterColumns, share, burden, recommendation,
            recommendation == Recommendation.MergeInto ? best!.Key : null, added, removed);
    }
}
