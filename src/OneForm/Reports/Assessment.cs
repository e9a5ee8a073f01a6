using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using MiniExcelLibs;
using OneForm.Data;

namespace OneForm.Reports;

public sealed record DeductionLine(int ReportId, string FormTitle, string Reason, decimal Points, DateOnly? DecidedOn);

public sealed record AssessmentRow(string Department, string DepartmentName, int SubstantiatedReports, int FormsWithoutAdmission,
    decimal Points, decimal Score, IReadOnlyList<DeductionLine> Lines);

/// <summary>
/// The annual assessment (考核) of departments on form burden: every department starts from the base score and loses
/// the points of its deductions of the year, each one linked to its report.
/// </summary>
public sealed class Assessment(OneFormDbContext db, Microsoft.Extensions.Configuration.IConfiguration configuration)
{
    public decimal BaseScore => configuration.GetValue("Assessment:BaseScore", 100m);

    public async Task<IReadOnlyList<AssessmentRow>> ForYearAsync(int year)
    {
        var departments = await db.Departments.AsNoTracking().OrderBy(d => d.Code).ToListAsync();
        var deductions = await db.Deductions.AsNoTracking().Include(d => d.Report).Where(d => d.Year == year).ToListAsync();
        return [.. departments.Select(d =>
        {
            var own = deductions.Where(x => x.DepartmentId == d.Id).OrderBy(x => x.ReportId).ThenBy(x => x.Reason).ToList();
            var points = own.Sum(x => x.Points);
            return new AssessmentRow(d.Code, d.Name, own.Count(x => x.Reason == DeductionReason.SubstantiatedReport),
                own.Count(x => x.Reason == DeductionReason.FormWithoutAdmission), points, BaseScore - points,
                [.. own.Select(x => new DeductionLine(x.ReportId, x.Report!.FormTitle, x.Reason.ToString(), x.Points, x.Report.DecidedOn))]);
        }).OrderBy(r => r.Score).ThenBy(r => r.Department, StringComparer.Ordinal)];
    }

    /// <summary>The year's assessment as an xlsx: one row a deduction, under its department, with the totals.</summary>
    public async Task<byte[]> XlsxAsync(int year, IStringLocalizer l)
    {
        var rows = await ForYearAsync(year);
        var sheet = new List<Dictionary<string, object?>>();
        foreach (var row in rows)
        {
            sheet.Add(new Dictionary<string, object?>
            {
                [l["Department"]] = row.DepartmentName, [l["Report"]] = null, [l["Form"]] = null, [l["Reason"]] = null,
                [l["Points"]] = row.Points, [l["Score"]] = row.Score,
            });
            foreach (var line in row.Lines)
            {
                sheet.Add(new Dictionary<string, object?>
                {
                    [l["Department"]] = row.DepartmentName, [l["Report"]] = line.ReportId.ToString(CultureInfo.InvariantCulture), [l["Form"]] = line.FormTitle,
                    [l["Reason"]] = ReportNames.Reason(Enum.Parse<DeductionReason>(line.Reason), l), [l["Points"]] = line.Points, [l["Score"]] = null,
                });
            }
        }
        using var stream = new MemoryStream();
        await stream.SaveAsAsync(sheet, sheetName: year.ToString(CultureInfo.InvariantCulture), excelType: ExcelType.XLSX);
        return stream.ToArray();
    }
}
