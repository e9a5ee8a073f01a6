using System.Globalization;
using Microsoft.EntityFrameworkCore;
using OneForm.Collection;
using Microsoft.Extensions.Localization;
using OneForm.Data;
using OneForm.Localization;

namespace OneForm.Messages;

/// <summary>
/// The steps of a submission, told to the people whose turn it is next: the head when a cadre submits, the cadres on
/// a return, the unit on acceptance and on a reopening. Written in the step's own save.
/// </summary>
public sealed class TaskMessages(OneFormDbContext db, Inbox inbox, IStringLocalizer<SharedResource> l) : ITaskStepTaken, ISubmissionReopened
{
    public async Task TakenAsync(TaskStep step, IReadOnlyList<FillingTask> tasks, string actor, string? comment)
    {
        if (tasks.Count == 0)
        {
            return;
        }
        var (subject, link, unitName) = await DescribeAsync(tasks);
        var unitId = tasks[0].OrgUnitId;
#pragma warning disable CS8524 // every named step is handled; a missing one fails the build (CS8509)
        _ = step switch
        {
            TaskStep.Submitted => await inbox.ToUnitAsync(unitId, [Role.UnitHead], MessageKind.SignOffNeeded, link, subject, unitName),
            TaskStep.Returned => await inbox.ToUnitAsync(unitId, [Role.Cadre], MessageKind.Returned, link, subject, comment ?? ""),
            TaskStep.ReturnedToCadre => await inbox.ToUnitAsync(unitId, [Role.Cadre], MessageKind.ReturnedToCadre, link, subject, comment ?? ""),
            TaskStep.Accepted => await inbox.ToUnitAsync(unitId, [Role.Cadre, Role.UnitHead], MessageKind.Accepted, link, subject),
        };
#pragma warning restore CS8524
    }

    public async Task ReopenedAsync(FillingTask task, ReopenCause cause)
    {
        var (subject, link, _) = await DescribeAsync([task]);
        await inbox.ToUnitAsync(task.OrgUnitId, [Role.Cadre], MessageKind.Reopened, link, subject);
    }

    /// <summary>
    /// What the tasks are called (the form, or the forms of a sheet) and where they are worked on: the form's page for
    /// one task, the category sheet's page for several.
    /// </summary>
    private async Task<(string Subject, string Link, string UnitName)> DescribeAsync(IReadOnlyList<FillingTask> tasks)
    {
        var formIds = tasks.Select(t => t.FormId).Distinct().ToList();
        var forms = await db.Forms.AsNoTracking().Where(f => formIds.Contains(f.Id)).Select(f => new { f.Id, f.Name, f.Category }).ToListAsync();
        var unit = await db.OrgUnits.AsNoTracking().Where(u => u.Id == tasks[0].OrgUnitId).Select(u => new { u.Code, u.Name }).SingleAsync();
        var names = forms.OrderBy(f => formIds.IndexOf(f.Id)).Select(f => f.Name).ToList();
        var period = Period.Parse(tasks[0].PeriodCode);
        var subject = names.Count <= 3 ? string.Join("、", names) : string.Join("、", names.Take(3)) + "…";
        var link = tasks.Count == 1
            ? $"/Collection/Task/{tasks[0].Id.ToString(CultureInfo.InvariantCulture)}"
            : string.Create(CultureInfo.InvariantCulture, $"/Collection/Sheet/{unit.Code}/{forms[0].Category}/{period.End:yyyy-MM-dd}");
        return ($"{subject}（{MessageWords.Chinese(() => PeriodNames.Name(period, l))}）", link, unit.Name);
    }
}
