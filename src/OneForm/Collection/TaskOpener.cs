using Microsoft.EntityFrameworkCore;
using OneForm.Catalog;
using OneForm.Data;
using OneForm.Localization;
using OneForm.Organization;

namespace OneForm.Collection;

/// <summary>
/// Opens periods: for every admitted form in force, the period that contains today gets one task per targeted unit.
/// Set-based and idempotent (<c>ON CONFLICT DO NOTHING</c> on the unique form × period × unit index), so several
/// app nodes may run it at the same moment without making a task twice.
/// </summary>
public sealed class TaskOpener(OneFormDbContext db) : IAdmittedForms
{
    public Task<int> AdmittedAsync(Form form, DateOnly today, CancellationToken cancellationToken = default) =>
        OpenAsync(form, PeriodFor(form, today), cancellationToken);

    public async Task<int> OpenAsync(DateOnly today, CancellationToken cancellationToken = default)
    {
        var forms = await db.Forms.AsNoTracking()
            .Where(f => f.Status == FormStatus.Admitted
                        && (f.ValidFrom == null || f.ValidFrom <= today)
                        && (f.ValidTo == null || f.ValidTo >= today))
            .ToListAsync(cancellationToken);
        var opened = 0;
        foreach (var form in forms)
        {
            opened += await OpenAsync(form, PeriodFor(form, today), cancellationToken);
        }
        return opened;
    }

    /// <summary>The period a form reports for on a day; a one-off form reports once, for the year it takes effect.</summary>
    public static Period PeriodFor(Form form, DateOnly today) => form.Cycle == ReportingCycle.OneOff
        ? new Period((form.ValidFrom ?? today).Year, ReportingCycle.Annual, 1)
        : Period.Containing(form.Cycle, today);

    public async Task<int> OpenAsync(Form form, Period period, CancellationToken cancellationToken = default)
    {
        var deadline = period.End.AddDays(form.DeadlineDays);
        var code = period.ToString();
        var state = nameof(TaskState.NotStarted);
        var opened = 0;
        if (form.Groups.Count > 0)
        {
            return await OpenForGroupsAsync(form, code, deadline, cancellationToken);
        }
        // Paths hold digits and '/', so a prefix match needs no escaping; every path starts with at least one code.
        var below = (form.TargetSubtreePath ?? "") + "%";
        foreach (var level in form.Levels.Select(l => l.ToString()))
        {
            opened += await db.Database.ExecuteSqlAsync($"""
                INSERT INTO "FillingTasks" ("FormId", "PeriodCode", "OrgUnitId", "Deadline", "Status", "RowVersion")
                SELECT {form.Id}, {code}, u."Id", {deadline}, {state}, 0 FROM "OrgUnits" u WHERE u."Level" = {level} AND u."Path" LIKE {below}
                ON CONFLICT DO NOTHING
                """, cancellationToken);
        }
        return opened;
    }

    /// <summary>
    /// Opens a new version of a form for a period: the previous version's tasks of that period that the unit has not
    /// submitted move to the new version, with whatever is typed (values are the unit's, not the form's), so the unit's
    /// sheet holds the form once and asks its new fields; submitted and accepted tasks stay with the version they were
    /// submitted on. Every other targeted unit then gets a task as usual.
    /// </summary>
    public async Task<int> OpenNewVersionAsync(Form previous, Form form, Period period, CancellationToken cancellationToken = default)
    {
        var code = period.ToString();
        var moved = await db.FillingTasks
            .Where(t => t.FormId == previous.Id && t.PeriodCode == code)
            .Where(t => t.Status == TaskState.NotStarted || t.Status == TaskState.Draft || t.Status == TaskState.Returned || t.Status == TaskState.Reopened)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.FormId, form.Id).SetProperty(t => t.RowVersion, t => t.RowVersion + 1), cancellationToken);
        return moved + await OpenAsync(form, period, cancellationToken);
    }

    /// <summary>
    /// A form that targets unit groups opens only for the units of its levels (and subtree) that are in one of them;
    /// membership is the one predicate of <see cref="UnitGroups"/>, so pages and burden figures count the same units.
    /// </summary>
    private async Task<int> OpenForGroupsAsync(Form form, string code, DateOnly deadline, CancellationToken cancellationToken)
    {
        var groups = await UnitGroupQueries.ByCodesAsync(db, form.Groups, cancellationToken);
        var levels = form.Levels.ToList();
        var below = form.TargetSubtreePath ?? "";
        var missing = await db.OrgUnits
            .Where(u => levels.Contains(u.Level) && u.Path.StartsWith(below))
            .Where(UnitGroups.InAny(db, groups))
            .Where(u => !db.FillingTasks.Any(t => t.FormId == form.Id && t.PeriodCode == code && t.OrgUnitId == u.Id))
            .Select(u => u.Id).ToListAsync(cancellationToken);
        var state = nameof(TaskState.NotStarted);
        var opened = 0;
        foreach (var chunk in missing.Chunk(500))
        {
            // The ids are integers read from the database, so writing them into the statement is safe; the rest are parameters.
            var ids = string.Join(',', chunk.Select(id => id.ToString(System.Globalization.CultureInfo.InvariantCulture)));
#pragma warning disable EF1003 // only integers from the database are concatenated
            opened += await db.Database.ExecuteSqlRawAsync(
                "INSERT INTO \"FillingTasks\" (\"FormId\", \"PeriodCode\", \"OrgUnitId\", \"Deadline\", \"Status\", \"RowVersion\") "
                + "SELECT {0}, {1}, u.\"Id\", {2}, {3}, 0 FROM \"OrgUnits\" u WHERE u.\"Id\" IN (" + ids + ") ON CONFLICT DO NOTHING",
                [form.Id, code, deadline, state], cancellationToken);
#pragma warning restore EF1003
        }
        return opened;
    }
}

/// <summary>Opens periods when the app starts (the start-up preparation) and every hour after, on every node (the opener is idempotent).</summary>
internal sealed class TaskOpeningService(IServiceScopeFactory scopes, TimeProvider time, DisplayTime clock, ILogger<TaskOpeningService> log)
    : HourlyWork(scopes, time, log)
{
    protected override string What => "Opening periods";

    protected override async Task RunAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var opened = await services.GetRequiredService<TaskOpener>().OpenAsync(clock.Today, cancellationToken);
        if (opened > 0)
        {
            log.LogInformation("Opened {Count} filling tasks", opened);
            // A new period needs its derived values.
            await services.GetRequiredService<Registry.Derivation.IDerivedValues>().RecomputeAsync(cancellationToken: cancellationToken);
        }
    }
}
