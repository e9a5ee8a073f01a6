using System.Globalization;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OneForm.Catalog;
using OneForm.Collection;
using OneForm.Dictionary;
using OneForm.Localization;
using OneForm.Testing;
using OneForm.Tests.Hosting;

namespace OneForm.Tests.Collection;

/// <summary>Finding a unit's task and filling it with valid values, as a cadre would through the API.</summary>
public static class Filling
{
    public static string CurrentPeriod(OneFormHost app, ReportingCycle cycle) =>
        Period.Containing(cycle, app.Services.GetRequiredService<DisplayTime>().Today).ToString();

    public static Task<int> TaskIdAsync(OneFormHost app, string unitCode, string formCode) =>
        app.WithDbAsync(async db =>
        {
            var form = await db.Forms.SingleAsync(f => f.Code == formCode && f.Status == FormStatus.Admitted);
            var period = TaskOpener.PeriodFor(form, app.Services.GetRequiredService<DisplayTime>().Today).ToString();
            return await db.FillingTasks.Where(t => t.Form!.Id == form.Id && t.OrgUnit!.Code == unitCode && t.PeriodCode == period)
                .Select(t => t.Id).SingleAsync();
        });

    public static async Task<TaskDetail> GetAsync(HttpClient client, int taskId) =>
        (await client.GetFromJsonAsync<TaskDetail>($"/api/v1/tasks/{taskId}", TestJson.Options))!;

    /// <summary>A value each element accepts: within its range, a known option, a date, yes.</summary>
    public static string ValidValue(DataElement element, int seed) => element.ValueType switch
    {
        ElementValueType.Integer => ((long)Math.Min((double)(element.Max ?? 1000), (double)(element.Min ?? 0) + seed)).ToString(CultureInfo.InvariantCulture),
        ElementValueType.Decimal => Math.Min((double)(element.Max ?? 1000), (double)(element.Min ?? 0) + seed + 0.5).ToString(CultureInfo.InvariantCulture),
        ElementValueType.Date => "2026-10-15",
        ElementValueType.YesNo => "true",
        ElementValueType.OptionSet => element.Options[0].Code,
        _ => element.Pattern is null ? "无" : "13912345678",
    };

    /// <summary>
    /// Values for every typed field of the task's form (not those the registry derives or a ledger counts), with what the task showed before.
    /// They fall from the first field to the last, so a whole that comes before its parts (党员总数 before 预备党员数) holds
    /// up to the demo's checks across fields.
    /// </summary>
    public static async Task<List<ValueInput>> EverythingAsync(OneFormHost app, TaskDetail task, int seed)
    {
        var codes = task.Values.Select(v => v.Element).ToList();
        var elements = await app.WithDbAsync(db => db.DataElements.Where(e => codes.Contains(e.Code)).ToDictionaryAsync(e => e.Code));
        // Not those a ledger rule counts or a formula computes either: the writer refuses them.
        var counted = await app.WithDbAsync(db => db.LedgerRules.Select(r => r.DataElementId).ToListAsync());
        var typed = task.Values.Where(v => elements[v.Element] is { Source: ElementSource.Entered, Formula: null } e && !counted.Contains(e.Id)).ToList();
        return typed.Select((v, i) => new ValueInput(v.Element, ValidValue(elements[v.Element], seed + typed.Count - i), v.Value, v.Version)).ToList();
    }

    public static ValueInput Change(TaskDetail task, string element, string value)
    {
        var current = task.Values.Single(v => v.Element == element);
        return new ValueInput(element, value, current.Value, current.Version);
    }
}
