using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OneForm.Collection;
using OneForm.Data;
using OneForm.Localization;
using OneForm.Messages;
using OneForm.Testing;
using OneForm.Tests.Hosting;

namespace OneForm.Tests.Messages;

/// <summary>
/// Deadlines approaching and passed reach the unit's cadres as one digest a day each, and each unit is reminded of a
/// deadline of a kind only once, however often the job runs.
/// </summary>
[Collection(nameof(AppsCollection))]
public sealed class DeadlineReminderTests(Apps apps)
{
    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task A_cadre_gets_one_digest_a_day_for_deadlines_approaching_and_another_when_they_pass_and_nothing_twice(DatabaseProvider provider)
    {
        const string unit = "652301006015";
        var app = await apps.GetAsync(provider);
        var cadre = await app.CreateUserAsync(Role.Cadre, unit);
        var today = app.Services.GetRequiredService<DisplayTime>().Today;
        // Two forms of the unit not yet submitted, due in two days and tomorrow.
        var tasks = await app.WithDbAsync(db => db.FillingTasks.Include(t => t.Form)
            .Where(t => t.OrgUnit!.Code == unit && t.Status == TaskState.NotStarted).OrderBy(t => t.Id).Take(2).ToListAsync());
        Assert.Equal(2, tasks.Count);
        // The unit's other open forms are due far off, so that only these two are reminded.
        await app.WithDbAsync(db => db.FillingTasks.Where(t => t.OrgUnit!.Code == unit && t.Status != TaskState.Submitted && t.Status != TaskState.Accepted)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.Deadline, today.AddDays(100))));
        await SetDeadlineAsync(app, tasks[0].Id, today.AddDays(2));
        await SetDeadlineAsync(app, tasks[1].Id, today.AddDays(20));

        await SendAsync(app, today);
        var digest = Assert.Single(await DigestsAsync(app, cadre.Id));
        var text = Text(app, digest);
        Assert.Contains("截止提醒：1张表3天内到期，0张已逾期", text, StringComparison.Ordinal);
        Assert.Contains($"《{tasks[0].Form!.Name}》", text, StringComparison.Ordinal);

        // The job runs again the same day: nothing new, nothing twice. A second deadline comes near: the day's one digest grows.
        await SendAsync(app, today);
        Assert.Equal(digest.Arguments, Assert.Single(await DigestsAsync(app, cadre.Id)).Arguments);
        await SetDeadlineAsync(app, tasks[1].Id, today.AddDays(1));
        await SendAsync(app, today);
        var grown = Assert.Single(await DigestsAsync(app, cadre.Id));
        Assert.Contains("截止提醒：2张表3天内到期", Text(app, grown), StringComparison.Ordinal);
        Assert.Contains($"《{tasks[1].Form!.Name}》", Text(app, grown), StringComparison.Ordinal);

        // Three days on both deadlines have passed: a new day's digest says so, once.
        await SendAsync(app, today.AddDays(3));
        await SendAsync(app, today.AddDays(3));
        var digests = await DigestsAsync(app, cadre.Id);
        Assert.Equal(2, digests.Count);
        Assert.Contains("0张表3天内到期，2张已逾期", Text(app, digests[0]), StringComparison.Ordinal);
        var reminders = await app.WithDbAsync(db => db.Reminders.CountAsync(r => r.OrgUnitId == tasks[0].OrgUnitId && r.Kind == Reminder.Overdue));
        Assert.Equal(2, reminders);
    }

    private static Task<int> SetDeadlineAsync(OneFormHost app, int task, DateOnly deadline) =>
        app.WithDbAsync(db => db.FillingTasks.Where(t => t.Id == task).ExecuteUpdateAsync(s => s.SetProperty(t => t.Deadline, deadline)));

    private static async Task SendAsync(OneFormHost app, DateOnly today)
    {
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<DeadlineReminders>().SendAsync(today);
    }

    private static Task<List<Message>> DigestsAsync(OneFormHost app, string recipient) =>
        app.WithDbAsync(db => db.Messages.Where(m => m.RecipientId == recipient && m.Kind == MessageKind.DeadlineDigest)
            .OrderByDescending(m => m.Id).ToListAsync());

    private static string Text(OneFormHost app, Message message)
    {
        var (culture, ui) = (System.Globalization.CultureInfo.CurrentCulture, System.Globalization.CultureInfo.CurrentUICulture);
        try
        {
            System.Globalization.CultureInfo.CurrentCulture = System.Globalization.CultureInfo.CurrentUICulture = new("zh-CN");
            return MessageTexts.Text(message, app.Services.GetRequiredService<Microsoft.Extensions.Localization.IStringLocalizer<SharedResource>>());
        }
        finally
        {
            (System.Globalization.CultureInfo.CurrentCulture, System.Globalization.CultureInfo.CurrentUICulture) = (culture, ui);
        }
    }
}
