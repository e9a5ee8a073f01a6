using System.Globalization;
using Microsoft.EntityFrameworkCore;
using OneForm.Collection;
using OneForm.Data;
using OneForm.Localization;

namespace OneForm.Messages;

/// <summary>
/// Deadlines approaching (within <see cref="DaysAhead"/> days) and passed, for the tasks a unit has not submitted:
/// each unit is reminded once per deadline and kind, and each person gets one digest a day summing their items, not
/// one message a form.
/// </summary>
public sealed class DeadlineReminders(OneFormDbContext db, Inbox inbox, DisplayTime clock, TimeProvider time)
{
    public const int DaysAhead = 3;

    /// <summary>Overdue tasks older than this are not brought up again: a reminder is for what can still be done.</summary>
    private const int DaysBehind = 30;

    private const int MaxListed = 20;

    /// <summary>Sends the reminders due on <paramref name="today"/>; returns how many people got (or had added to) a digest.</summary>
    public async Task<int> SendAsync(DateOnly today, CancellationToken cancellationToken = default)
    {
        var open = new[] { TaskState.NotStarted, TaskState.Draft, TaskState.Returned, TaskState.Reopened };
        var tasks = await db.FillingTasks.AsNoTracking().Include(t => t.Form)
            .Where(t => open.Contains(t.Status) && t.Deadline <= today.AddDays(DaysAhead) && t.Deadline >= today.AddDays(-DaysBehind))
            .ToListAsync(cancellationToken);
        var items = tasks.Select(t => (Task: t, Kind: t.Deadline < today ? Reminder.Overdue : Reminder.DueSoon,
            Key: t.Deadline.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))).ToList();
        var unitIds = items.Select(i => i.Task.OrgUnitId).Distinct().ToList();
        var sent = (await db.Reminders.AsNoTracking()
                .Where(r => (r.Kind == Reminder.DueSoon || r.Kind == Reminder.Overdue) && unitIds.Contains(r.OrgUnitId))
                .Select(r => new { r.OrgUnitId, r.Kind, r.Key }).ToListAsync(cancellationToken))
            .Select(r => (r.OrgUnitId, r.Kind, r.Key)).ToHashSet();
        var fresh = items.Where(i => !sent.Contains((i.Task.OrgUnitId, i.Kind, i.Key))).ToList();
        if (fresh.Count == 0)
        {
            return 0;
        }
        var now = time.GetUtcNow();
        var perPerson = new Dictionary<string, List<(FillingTask Task, string Kind)>>();
        foreach (var unit in fresh.GroupBy(i => i.Task.OrgUnitId))
        {
            foreach (var (kind, key) in unit.Select(i => (i.Kind, i.Key)).Distinct())
            {
                db.Reminders.Add(new Reminder { OrgUnitId = unit.Key, Kind = kind, Key = key, SentAt = now });
            }
            foreach (var person in await inbox.PeopleOfAsync(unit.Key, Role.Cadre))
            {
                perPerson.TryAdd(person, []);
                perPerson[person].AddRange(unit.Select(i => (i.Task, i.Kind)));
            }
        }
        var (startOfDay, endOfDay) = (clock.StartOfDay(today), clock.StartOfDay(today.AddDays(1)));
        var people = perPerson.Keys.ToList();
        var todays = await db.Messages
            .Where(m => m.Kind == MessageKind.DeadlineDigest && m.CreatedAt >= startOfDay && m.CreatedAt < endOfDay && people.Contains(m.RecipientId))
            .ToDictionaryAsync(m => m.RecipientId, cancellationToken);
        foreach (var (person, list) in perPerson)
        {
            var soon = list.Count(i => i.Kind == Reminder.DueSoon);
            var overdue = list.Count - soon;
            var listed = list.OrderBy(i => i.Task.Deadline).Select(i => string.Create(CultureInfo.InvariantCulture, $"《{i.Task.Form!.Name}》{i.Task.Deadline:M月d日}截止")).ToList();
            if (todays.TryGetValue(person, out var digest))
            {
                // The day's one digest grows, and is unread again.
                var old = digest.Args;
                soon += int.Parse(old[0], CultureInfo.InvariantCulture);
                overdue += int.Parse(old[2], CultureInfo.InvariantCulture);
                listed.InsertRange(0, old[3].Split('；', StringSplitOptions.RemoveEmptyEntries).Where(s => s != "…"));
                digest.Arguments = Inbox.Fit(Args(soon, overdue, listed));
                digest.ReadAt = null;
            }
            else
            {
                inbox.Add(person, MessageKind.DeadlineDigest, "/", Args(soon, overdue, listed));
            }
        }
        await db.SaveChangesAsync(cancellationToken);
        return perPerson.Count;
    }

    private static string[] Args(int soon, int overdue, List<string> listed) =>
    [
        soon.ToString(CultureInfo.InvariantCulture), DaysAhead.ToString(CultureInfo.InvariantCulture), overdue.ToString(CultureInfo.InvariantCulture),
        string.Join("；", listed.Take(MaxListed)) + (listed.Count > MaxListed ? "；…" : ""),
    ];
}

/// <summary>Sends the deadline reminders once an hour on every node; the reminders table keeps each one to once (two nodes: one wins).</summary>
internal sealed class DeadlineReminderService(IServiceScopeFactory scopes, TimeProvider time, DisplayTime clock, ILogger<DeadlineReminderService> log)
    : HourlyWork(scopes, time, log)
{
    protected override string What => "Sending deadline reminders";

    protected override async Task RunAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var people = await services.GetRequiredService<DeadlineReminders>().SendAsync(clock.Today, cancellationToken);
        if (people > 0)
        {
            log.LogInformation("Sent deadline reminders to {Count} people", people);
        }
    }
}
