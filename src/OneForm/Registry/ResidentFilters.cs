using OneForm.Data;

namespace OneForm.Registry;

/// <summary>The filters rules and rosters share, so "aged 80 and over" means the same in a figure and in a list.</summary>
public static class ResidentFilters
{
    /// <summary>Completed years at <paramref name="on"/> (the period's last day) from <paramref name="min"/> to <paramref name="max"/>, inclusive.</summary>
    public static IQueryable<Resident> Aged(this IQueryable<Resident> residents, int? min, int? max, DateOnly on)
    {
        if (min is { } from)
        {
            var latest = on.AddYears(-from);
            residents = residents.Where(r => r.BirthDate <= latest);
        }
        if (max is { } to)
        {
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
