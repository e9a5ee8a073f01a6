using System.Globalization;
using System.Net.Http.Json;
using MiniExcelLibs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OneForm.Catalog;
using OneForm.Collection;
using OneForm.Dictionary;
using OneForm.Localization;
using OneForm.Testing;
using OneForm.Tests.Hosting;

namespace OneForm.Tests.Collection;

/// <summary>Finding a unit's task or category sheet and filling it with valid values, as a cadre would through the API.</summary>
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

    /// <summary>The unit's sheet of a category due last (the one holding the most periods), by its address.</summary>
    public static async Task<(string Url, SheetDetail Detail)> SheetAsync(HttpClient client, string unit, string category)
    {
        var sheets = (await client.GetFromJsonAsync<List<SheetResponse>>($"/api/v1/sheets?unit={unit}", TestJson.Options))!;
        var sheet = sheets.Where(s => s.Category == category && s.State != "Accepted").MaxBy(s => s.PeriodEnd)!;
        var url = $"/api/v1/sheets/{unit}/{category}/{sheet.PeriodEnd.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}";
        return (url, (await client.GetFromJsonAsync<SheetDetail>(url, TestJson.Options))!);
    }

    /// <summary>A valid value for every cell the unit types on a sheet, falling from first to last so a whole comes before its parts.</summary>
    public static async Task<List<ValueInput>> EverythingAsync(OneFormHost app, SheetDetail sheet, int seed)
    {
        var typed = sheet.Cells.Where(c => c.Typed).ToList();
        var codes = typed.Select(c => c.Element).ToList();
        var elements = await app.WithDbAsync(db => db.DataElements.Where(e => codes.Contains(e.Code)).ToDictionaryAsync(e => e.Code));
        return [.. typed.Select((c, i) => new ValueInput(c.Element, ValidValue(elements[c.Element], seed + typed.Count - i), c.Value, c.Version))];
    }

    /// <summary>A file as downloaded (a form's or a sheet's), row by row, to change cells of before uploading it again.</summary>
    public static async Task<List<IDictionary<string, object?>>> RowsAsync(HttpClient client, string url)
    {
        using var stream = new MemoryStream(await client.GetByteArrayAsync(url));
        return [.. stream.Query(useHeaderRow: false, excelType: ExcelType.XLSX).Cast<IDictionary<string, object?>>()];
    }

    /// <summary>The rows as an xlsx file.</summary>
    public static byte[] Xlsx(List<IDictionary<string, object?>> rows, string sheetName = "Sheet1")
    {
        using var file = new MemoryStream();
        file.SaveAs(rows.Select(r => r.ToDictionary(p => p.Key, p => p.Value)).ToList(), printHeader: false, sheetName: sheetName, excelType: ExcelType.XLSX);
        return file.ToArray();
    }

    /// <summary>Uploads a filled file through the API (a task's or a sheet's <c>/file</c>).</summary>
    public static async Task<HttpResponseMessage> UploadAsync(HttpClient client, string url, byte[] xlsx)
    {
        using var form = new MultipartFormDataContent { { new ByteArrayContent(xlsx), "file", "filled.xlsx" } };
        return await client.PostAsync(url, form);
    }
}
