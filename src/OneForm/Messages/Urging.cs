using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using OneForm.Collection;
using OneForm.Data;
using OneForm.Localization;
using OneForm.Organization;

namespace OneForm.Messages;

/// <summary>
/// A reviewer's 催报: one tap reminds the cadres of every unit below that has not started a form's period. Each unit
/// is reminded at most once a day, whoever taps; the reminder names no other unit and no ranking.
/// </summary>
public sealed class Urging(OneFormDbContext db, Inbox inbox, DisplayTime clock, TimeProvider time, AuditActor audit, IStringLocalizer<SharedResource> l)
{
    /// <summary>The units below <paramref name="root"/> (or the reviewer's own unit) that have not started the form's period.</summary>
    public async Task<(OrgUnit Root, Catalog.Form Form, string Period, List<FillingTask> Tasks)?> NotStartedAsync(CallerScope scope, string formCode,
        string? period, string? unitCode)
    {
        var root = unitCode is { Length: > 0 } ? await OrgUnitQueries.ByCodeAsync(db, unitCode)
            : scope.OrgUnitId is { } own ? await OrgUnitQueries.ByIdAsync(db, own) : null;
        var form = await Catalog.FormQueries.AdmittedWithFieldsAsync(db, formCode);
        if (root is null || form is null || !scope.Admits(Operations.TasksUrge) || !scope.CanSeeTasksOf(root))
        {
            return null;
        }
        var code = Period.TryParse(period, out var chosen) ? chosen.ToString() : TaskOpener.PeriodFor(form, clock.Today).ToString();
        var tasks = (await TaskProgress.BelowAsync(db, root, form.Id, code)).Select(r => r.Task)
            .Where(t => t.Status == TaskState.NotStarted).OrderBy(t => t.OrgUnit!.Path).ToList();
        return (root, form, code, tasks);
    }

    public async Task<UrgeResult?> UrgeAsync(CallerScope scope, string actor, string formCode, string? period, string? unitCode)
    {
        if (await NotStartedAsync(scope, formCode, period, unitCode) is not { } found)
        {
            return null;
        }
        var (root, form, code, tasks) = found;
        var today = clock.Today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var unitIds = tasks.Select(t => t.OrgUnitId).Distinct().ToList();
        var already = await db.Reminders.AsNoTracking()
            .Where(r => r.Kind == Reminder.Urge && r.Key == today && unitIds.Contains(r.OrgUnitId)).Select(r => r.OrgUnitId).ToListAsync();
        var fresh = tasks.Where(t => !already.Contains(t.OrgUnitId)).DistinctBy(t => t.OrgUnitId).ToList();
        var periodName = MessageWords.Chinese(() => PeriodNames.Name(Period.Parse(code), l));
        var people = 0;
        var now = time.GetUtcNow();
        foreach (var task in fresh)
        {
            db.Reminders.Add(new Reminder { OrgUnitId = task.OrgUnitId, Kind = Reminder.Urge, Key = today, SentAt = now, SentBy = actor });
            people += await inbox.ToUnitAsync(task.OrgUnitId, [Role.Cadre], MessageKind.Urged,
                $"/Collection/Task/{task.Id.ToString(CultureInfo.InvariantCulture)}", root.Name, form.Name, periodName);
        }
        if (fresh.Count > 0)
        {
            db.AuditEntries.Add(audit.Entry("Collection.Urged", "Form", form.Code, root.Id, null,
                string.Create(CultureInfo.InvariantCulture, $"{code}: {fresh.Count} units not started reminded ({people} people)")));
            try
            {
                await db.SaveChangesAsync();
            }
            catch (DbUpdateException)
            {
                // Someone reminded the same units at the same moment: they are reminded, once.
                db.ChangeTracker.Clear();
                return new UrgeResult(0, unitIds.Count, 0, l["These units were already reminded today; you can remind them again tomorrow."]);
            }
        }
        var text = fresh.Count == 0
            ? already.Count > 0
                ? l["These units were already reminded today; you can remind them again tomorrow."]
                : l["Every unit below has started this form; there is no one to remind."]
            : already.Count > 0
                ? l["Reminded {0} units ({1} people); {2} others were already reminded today.", fresh.Count, people, already.Distinct().Count()]
                : l["Reminded {0} units ({1} people).", fresh.Count, people];
        return new UrgeResult(fresh.Count, already.Distinct().Count(), people, text);
    }
}

internal static class MessageWords
{
    /// <summary>
    /// Words stored in a message's arguments (a period's name) are written in Chinese, the working language of the
    /// people they go to, whatever the language of the person whose action sent them.
    /// </summary>
    public static string Chinese(Func<string> words)
    {
        var (culture, ui) = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("zh-CN");
            return words();
        }
        finally
        {
            (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture) = (culture, ui);
        }
    }
}
