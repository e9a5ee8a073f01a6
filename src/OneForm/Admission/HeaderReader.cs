using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using MiniExcelLibs;
using OneForm.Dictionary;

namespace OneForm.Admission;

/// <summary>
/// Reads the fields of a form a department already uses from its xlsx: the header row is the row among the first ten
/// with the most text cells; columns that name the filling unit, a row number or remarks are not fields. Units in
/// brackets become the field's unit, and the name hints at its type (是否… yes/no, …日期 a date, …率 or amounts decimal).
/// </summary>
public static partial class HeaderReader
{
    private static readonly string[] NotFields = ["序号", "编号", "单位", "单位名称", "填报单位", "村（社区）", "村(社区)", "村社区", "乡镇", "乡镇（街道）", "乡镇(街道)", "备注", "合计"];

    [GeneratedRegex(@"[（(]([^（）()]{1,6})[)）]\s*$")]
    private static partial Regex TrailingUnit();

    public static IReadOnlyList<ProposedFieldBody> Read(Stream xlsx)
    {
        var rows = xlsx.Query(useHeaderRow: false, excelType: ExcelType.XLSX).Cast<IDictionary<string, object?>>().Take(10)
            .Select(r => r.Values.Select(v => Convert.ToString(v, CultureInfo.InvariantCulture)?.Trim() ?? "").ToList()).ToList();
        var header = rows.OrderByDescending(r => r.Count(IsText)).FirstOrDefault() ?? [];
        return [.. header.Where(IsText).Where(c => !NotFields.Contains(c.Normalize(NormalizationForm.FormKC), StringComparer.Ordinal) && !NotFields.Contains(c))
            .Distinct().Select(Field)];
    }

    private static bool IsText(string cell) =>
        cell.Length is > 0 and <= 100 && !decimal.TryParse(cell, NumberStyles.Any, CultureInfo.InvariantCulture, out _);

    /// <summary>"小菜园面积（亩）" is the field 小菜园面积 in 亩.</summary>
    public static (string Name, string? Unit) SplitUnit(string cell)
    {
        var unit = TrailingUnit().Match(cell) is { Success: true } m ? m.Groups[1].Value.Trim() : null;
        return (unit is null ? cell.Trim() : TrailingUnit().Replace(cell, "").Trim(), unit);
    }

    /// <summary>A field from its header text: the unit in brackets, and the type its name suggests.</summary>
    public static ProposedFieldBody Field(string cell)
    {
        var (name, unit) = SplitUnit(cell);
        var type = name.StartsWith("是否", StringComparison.Ordinal) ? ElementValueType.YesNo
            : name.EndsWith("日期", StringComparison.Ordinal) || name.EndsWith("时间", StringComparison.Ordinal) ? ElementValueType.Date
            : name.EndsWith('率') || unit is "元" or "万元" or "亩" or "%" || name.Contains("金额", StringComparison.Ordinal) || name.Contains("面积", StringComparison.Ordinal) ? ElementValueType.Decimal
            : name.Contains("情况", StringComparison.Ordinal) || name.Contains("措施", StringComparison.Ordinal) || name.Contains("问题", StringComparison.Ordinal) || name.Contains("说明", StringComparison.Ordinal) ? ElementValueType.Text
            : ElementValueType.Integer;
        return new ProposedFieldBody(name, type, unit);
    }
}
