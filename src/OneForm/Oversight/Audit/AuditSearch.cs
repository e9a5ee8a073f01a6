using Microsoft.EntityFrameworkCore;
using OneForm.Accounts;
using OneForm.Data;
using OneForm.Localization;
using OneForm.Organization;

namespace OneForm.Oversight.Audit;

/// <summary>A search of the audit trail by person, unit (with its subtree), kind and local date range.</summary>
public sealed record AuditSearch(string? Actor, string? UnitCode, string? Kind, DateOnly? From, DateOnly? To)
{
    public const int PageSize = 50;

    public async Task<(List<AuditEntry> Entries, int Total, bool UnknownUnit)> RunAsync(OneFormDbContext db, ActorNames names, DisplayTime time, int page)
    {
        var entries = db.AuditEntries.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(Actor))
        {
            // The trail keeps ids, so a person is found by the names their account has now (user name or display
            // name), a token by its name; OneForm's own work ("cli:import", "anonymous") has no account and is its name.
            var text = Actor.Trim();
            var actors = names.Matching(text);
            entries = entries.Where(e => actors.Contains(e.ActorId)
                || (e.ActorId.Contains(text) && !e.ActorId.StartsWith("token:") && !db.Users.Any(u => u.Id == e.ActorId)));
        }
        if (!string.IsNullOrWhiteSpace(Kind))
        {
            entries = entries.Where(e => e.Kind.StartsWith(Kind.Trim()));
        }
        if (!string.IsNullOrWhiteSpace(UnitCode))
        {
            var path = await db.OrgUnits.Where(u => u.Code == UnitCode.Trim()).Select(u => u.Path).SingleOrDefaultAsync();
            if (path is null)
            {
                return ([], 0, true);
            }
            var units = db.OrgUnits.InSubtree(path).Select(u => (int?)u.Id);
            entries = entries.Where(e => units.Contains(e.OrgUnitId));
        }
        if (From is { } from)
        {
            var start = time.StartOfDay(from);
            entries = entries.Where(e => e.At >= start);
        }
        if (To is { } to)
        {
            var end = to == DateOnly.MaxValue ? DateTimeOffset.MaxValue : time.StartOfDay(to.AddDays(1));
            entries = entries.Where(e => e.At < end);
        }
        var total = await entries.CountAsync();
        var list = await entries.OrderByDescending(e => e.Id).Skip(Paging.Skip(page, PageSize)).Take(PageSize).ToListAsync();
        // Who each line is by, as they are called now: one look-up for the page, not one per line.
        await names.LoadAsync(list.Select(e => e.ActorId));
        return (list, total, false);
    }
}
