using OneForm.Data;

namespace OneForm.Registry;

/// <summary>The filters rules and rosters share, so "aged 80 and over" means the same in a figure and in a list.</summary>
public static class ResidentFilters
{
    public const int OldestAge = 150;

    /// <summary>Why an age range cannot be asked for, with the field at fault, or null: ages are 0 to 150 and the lower comes first.</summary>
    public static (string Field, string Message)? AgeProblem(int? min, int? max, Microsoft.Extensions.Localization.IStringLocalizer l,
        string minField = "minAge", string maxField = "maxAge") =>
        min is < 0 or > OldestAge ? (minField, l["{0} must be an age from 0 to {1}.", minField, OldestAge])
        : max is < 0 or > OldestAge ? (maxField, l["{0} must be an age from 0 to {1}.", maxField, OldestAge])
        : min > max ? (minField, l["{0} must not be greater than {1}.", minField, maxField])
        : null;

    /// <summary>Completed years at <paramref name="on"/> (the period's last day) from <paramref name="min"/> to <paramref name="max"/>, inclusive.</summary>
    public static IQueryable<Resident> Aged(this IQueryable<Resident> residents, int? min, int? max, DateOnly on)
    {
        // Ages are checked where they are asked for; clamped here too, so no stored rule can reach past the calendar.
        if (min is { } from)
        {
            from = Math.Clamp(from, 0, OldestAge);
            var latest = on.AddYears(-from);
            residents = residents.Where(r => r.BirthDate <= latest);
        }
        if (max is { } to)
        {
            to = Math.Clamp(to, 0, OldestAge);
            var earliest = on.AddYears(-(to + 1));
            residents = residents.Where(r => r.BirthDate > earliest);
        }
        return residents;
    }

    /// <summary>Residents whose person attribute (an element) holds the value.</summary>
    public static IQueryable<Resident> WithAttribute(this IQueryable<Resident> residents, OneFormDbContext db, int? element, string? value)
    {
        if (element is not { } id)
        {
            return residents;
        }
        var wanted = value ?? "true";
        return residents.Where(r => db.PersonAttributes.Any(a => a.ResidentId == r.Id && a.DataElementId == id && a.Value == wanted));
    }
}
