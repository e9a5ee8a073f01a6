using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using OneForm.Accounts;
using OneForm.Data;
using OneForm.Dictionary;
using OneForm.Localization;
using OneForm.Organization;

namespace OneForm.Pages.Shared;

/// <summary>
/// A unit field (_UnitPicker): a text box for a name, part of one, pinyin initials or a pasted code. A choice made from
/// the suggestions or from the list of several matches comes as <c>{Name}Pick</c> (a code) and wins over the text.
/// </summary>
public sealed record UnitPicker(string Name, string Label, UnitLookup Lookup, bool Required = false)
{
    public string PickName => Name + "Pick";
}

/// <summary>A period field (_PeriodPicker): a text box offering the periods' Chinese names; codes and typed names are read alike.</summary>
public sealed record PeriodPicker(string Name, string Label, string? Typed, IReadOnlyList<Period> Offered, string? Problem = null);

/// <summary>An element field (_ElementPicker): checkboxes by name, grouped by the department that keeps them, with a search box.</summary>
public sealed record ElementPicker(string Name, string Label, IReadOnlyList<ElementPicker.Choice> Choices, IReadOnlyCollection<string> Selected)
{
    public sealed record Choice(string Code, string Name, string Group);

    /// <summary>The elements grouped by their keeper's name (<paramref name="departments"/> by id), in the order given within a group.</summary>
    public static ElementPicker Of(string name, string label, IEnumerable<DataElement> elements, IReadOnlyCollection<string> selected,
        IReadOnlyDictionary<int, string> departments, System.Globalization.CultureInfo culture) =>
        new(name, label, [.. elements.Select(e => new Choice(e.Code, e.DisplayName(culture), departments.GetValueOrDefault(e.OwnerDepartmentId, "")))
            .OrderBy(c => c.Group, StringComparer.Ordinal)], selected);
}

public static class PickerReading
{
    /// <summary>What the unit field <paramref name="name"/> came to: the picked code if any, else what was typed.</summary>
    public static Task<UnitLookup> ReadUnitAsync(this PageModel page, OneFormDbContext db, string name, string? typed)
    {
        var values = page.Request.HasFormContentType ? page.Request.Form[name + "Pick"] : page.Request.Query[name + "Pick"];
        var picked = values.FirstOrDefault(v => !string.IsNullOrWhiteSpace(v));
        return OrgUnitSearch.ResolveAsync(db, page.User.Scope(), string.IsNullOrWhiteSpace(picked) ? typed : picked);
    }

    /// <summary>The Chinese (or English) sentence for a unit field that did not come to one unit, or null.</summary>
    public static string? Problem(UnitLookup lookup, IStringLocalizer<SharedResource> l) =>
        lookup.NotFound ? l["No unit you may see is called or coded “{0}”. Type part of its name, its pinyin initials or its code.", lookup.Typed].Value
        : lookup.Choices.Count > 0 ? l["Several units match “{0}”; choose one:", lookup.Typed].Value
        : null;

    /// <summary>Whether the unit field came to no single unit (none, or several to choose from): the page then shows the choices and does nothing else.</summary>
    public static bool Unsettled(this UnitLookup lookup) => lookup.NotFound || lookup.Choices.Count > 0;

    /// <summary>The periods a field offers for a form of <paramref name="cycle"/>: the current one and those before it.</summary>
    public static List<Period> Recent(ReportingCycle cycle, DateOnly today, int count = 8)
    {
        var offered = new List<Period> { Period.Containing(cycle == ReportingCycle.OneOff ? ReportingCycle.Annual : cycle, today) };
        while (offered.Count < count)
        {
            offered.Add(offered[^1].Previous);
        }
        return offered;
    }

    /// <summary>The periods offered where any cycle will do: recent quarters, then months, half-years and years.</summary>
    public static List<Period> Recent(DateOnly today) =>
        [.. Recent(ReportingCycle.Quarterly, today, 4), .. Recent(ReportingCycle.Monthly, today, 3),
            .. Recent(ReportingCycle.HalfYearly, today, 2), .. Recent(ReportingCycle.Annual, today, 2)];

    /// <summary>
    /// Reads a typed period (a code or a name such as 2026年第四季度) among the periods of <paramref name="cycle"/>;
    /// null with a problem naming what was typed when it is not one.
    /// </summary>
    public static Period? ReadPeriod(string? typed, ReportingCycle? cycle, IEnumerable<Period> offered, IStringLocalizer<SharedResource> l,
        out string? problem)
    {
        problem = null;
        var text = typed?.Trim() ?? "";
        offered = [.. offered];
        var named = offered.FirstOrDefault(p => PeriodNames.Name(p, l) == text);
        if (named != default)
        {
            return named;
        }
        if (!Period.TryParseName(text, out var period))
        {
            problem = l["“{0}” is not a period. Choose one from the list, or type it as 2026年第四季度, 2026年11月, 2026年上半年 or 2026年.", text];
            return null;
        }
        var expected = cycle == ReportingCycle.OneOff ? ReportingCycle.Annual : cycle;
        if (expected is { } c && period.Cycle != c)
        {
            problem = l["“{0}” is not one of this form's periods, such as {1}.", text, PeriodNames.Name(offered.FirstOrDefault(p => p.Cycle == c, new Period(period.Year, c, 1)), l)];
            return null;
        }
        return period;
    }
}
