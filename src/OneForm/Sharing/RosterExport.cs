using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using MiniExcelLibs;
using OneForm.Accounts;
using OneForm.Data;
using OneForm.Dictionary;
using OneForm.Localization;
using OneForm.Organization;
using OneForm.Registry;

namespace OneForm.Sharing;

public enum ExportFormat
{
    Csv,
    Xlsx,
}

/// <summary>Which residents a roster lists: those below a unit, optionally by age and a person attribute, with attribute columns.</summary>
public sealed record RosterQuery(string Unit, int? MinAge = null, int? MaxAge = null, string? Attribute = null, string? Attributes = null)
{
    /// <summary>The attribute codes the roster reads: the columns asked for and the filter.</summary>
    public List<string> AttributeCodes() => [.. Text.Codes(Attributes).Append(Attribute).OfType<string>().Where(c => c.Length > 0).Distinct()];

    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"residents below {Unit}; ages {MinAge}-{MaxAge}; attribute {Attribute}; columns {string.Join(',', AttributeCodes())}");
}

/// <summary>A roster the caller may export: the unit, the attribute columns, whether numbers are shown whole.</summary>
public sealed record RosterPlan(RosterQuery Query, OrgUnit Root, IReadOnlyList<DataElement> Attributes, int? FilterElementId, bool Unmasked, DateOnly On);

/// <summary>
/// A roster export (名单导出): a department needs a person-level grant in force covering the unit and the attributes;
/// numbers stay masked unless the grant says otherwise; every export is written to the audit trail. Rows are read and
/// written in chunks, so memory does not grow with the roster.
/// </summary>
public sealed class RosterExporter(OneFormDbContext db, ReadDatabase read, SharingPolicy policy, DisplayTime time, IdentityProtection protection, AuditActor actor,
    Microsoft.Extensions.Configuration.IConfiguration configuration)
{
    // The rows come from the read replica when there is one; the grant check and the audit entry stay on the primary.
    private readonly OneFormDbContext reads = read.Db;

    public const int Chunk = 2000;

    /// <summary>Rows on one sheet of an xlsx roster; a prefecture's roster goes on to 名单2, 名单3 (a sheet holds at most 1,048,576 rows).</summary>
    public int RowsPerSheet => Math.Clamp(configuration.GetValue("Exports:RowsPerSheet", 1_000_000), 1, 1_048_575);

    /// <summary>The registry's own column names, so a roster opens like the import template.</summary>
    private static readonly string[] Columns = ["身份证号", "姓名", "性别", "出生日期", "户号", "村居代码"];

    /// <summary>The plan, or why not: 404 for an unknown unit or attribute, 403 without a person-level grant covering them.</summary>
    public async Task<(RosterPlan? Plan, int Status)> PlanAsync(CallerScope scope, RosterQuery query, CancellationToken cancellationToken = default)
    {
        var root = await db.OrgUnits.AsNoTracking().SingleOrDefaultAsync(u => u.Code == query.Unit, cancellationToken);
        var codes = query.AttributeCodes();
        var elements = await db.DataElements.AsNoTracking().Where(e => codes.Contains(e.Code) && e.Source == ElementSource.PersonAttribute)
            .ToListAsync(cancellationToken);
        if (root is null || elements.Count != codes.Count)
        {
            return (null, StatusCodes.Status404NotFound);
        }
        var (allowed, unmasked) = await policy.PersonLevelAsync(scope, root.Path, [.. elements.Select(e => e.Id)]);
        if (!allowed)
        {
            return (null, StatusCodes.Status403Forbidden);
        }
        var ordered = codes.Select(c => elements.Single(e => e.Code == c)).ToList();
        var filter = query.Attribute is { Length: > 0 } attribute ? ordered.Single(e => e.Code == attribute).Id : (int?)null;
        return (new RosterPlan(query, root, ordered, filter, unmasked, time.Today), StatusCodes.Status200OK);
    }

    public IQueryable<Resident> Residents(RosterPlan plan)
    {
        var units = reads.OrgUnits.InSubtree(plan.Root.Path).Select(u => u.Id);
        return reads.Residents.AsNoTracking().Where(r => units.Contains(r.OrgUnitId) && r.Status == ResidentStatus.Active)
            .Aged(plan.Query.MinAge, plan.Query.MaxAge, plan.On).WithAttribute(reads, plan.FilterElementId, "true");
    }

    public Task<int> CountAsync(RosterPlan plan, CancellationToken cancellationToken = default) => Residents(plan).CountAsync(cancellationToken);

    /// <summary>Records the export in the audit trail, with its filter, size and whether numbers were shown.</summary>
    public async Task AuditAsync(RosterPlan plan, int count, string how)
    {
        db.AuditEntries.Add(actor.Entry("Registry.RosterExported", "OrgUnit", plan.Root.Code, plan.Root.Id, null,
            $"{count} {plan.Query.Describe()}; {how}; {(plan.Unmasked ? "unmasked" : "masked")}"));
        await db.SaveChangesAsync();
    }

    public static string FileName(RosterPlan plan, ExportFormat format) =>
        $"roster-{plan.Root.Code}.{(format == ExportFormat.Xlsx ? "xlsx" : "csv")}";

    public static string ContentType(ExportFormat format) =>
        format == ExportFormat.Xlsx ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" : "text/csv; charset=utf-8";

    /// <summary>
    /// Writes the roster to a file stream, reading a chunk of residents at a time (synchronously: the xlsx writer pulls
    /// rows as it goes). <paramref name="expectedRows"/> (the count just taken) decides the number of xlsx sheets. Reports the
    /// rows written after each chunk; returns how many were written.
    /// </summary>
    public long Write(RosterPlan plan, long expectedRows, Stream output, ExportFormat format, Action<long>? progress = null,
        CancellationToken cancellationToken = default)
    {
        var header = Columns.Concat(plan.Attributes.Select(e => e.Name)).ToArray();
        long written = 0;
        var rows = Rows(plan, cancellationToken).Select(row =>
        {
            if (++written % Chunk == 0)
            {
                progress?.Invoke(written);
            }
            return row;
        });
        if (format == ExportFormat.Xlsx)
        {
            // The sheets share one pass over the residents: each takes the next rows until it is full, the last the rest.
            using var pending = rows.GetEnumerator();
            IEnumerable<Dictionary<string, object?>> Sheet(bool last)
            {
                for (var n = 0; (last || n < RowsPerSheet) && pending.MoveNext(); n++)
                {
                    var cells = new Dictionary<string, object?>(header.Length);
                    for (var i = 0; i < header.Length; i++)
                    {
                        cells[header[i]] = pending.Current[i];
                    }
                    yield return cells;
                }
            }
            var count = Math.Max(1, (int)Math.Ceiling(expectedRows / (double)RowsPerSheet));
            var sheets = new Dictionary<string, object>();
            for (var i = 0; i < count; i++)
            {
                sheets[i == 0 ? "名单" : $"名单{i + 1}"] = Sheet(last: i == count - 1);
            }
            output.SaveAs(sheets, excelType: ExcelType.XLSX);
        }
        else
        {
            using var writer = new StreamWriter(output, new UTF8Encoding(true), 64 * 1024, leaveOpen: true);
            writer.WriteLine(string.Join(',', header.Select(Text.CsvField)));
            foreach (var row in rows)
            {
                writer.WriteLine(string.Join(',', row.Select(Text.CsvField)));
            }
        }
        progress?.Invoke(written);
        return written;
    }

    private IEnumerable<string[]> Rows(RosterPlan plan, CancellationToken cancellationToken)
    {
        var residents = Residents(plan);
        var units = reads.OrgUnits.AsNoTracking().InSubtree(plan.Root.Path).ToDictionary(u => u.Id, u => u.Code);
        var elementIds = plan.Attributes.Select(e => e.Id).ToList();
        long after = 0;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var page = residents.Where(r => r.Id > after).OrderBy(r => r.Id).Take(Chunk).ToList();
            if (page.Count == 0)
            {
                yield break;
            }
            var pageIds = page.Select(r => r.Id).ToList();
            var values = elementIds.Count == 0
                ? []
                : reads.PersonAttributes.AsNoTracking().Where(a => pageIds.Contains(a.ResidentId) && elementIds.Contains(a.DataElementId))
                    .Select(a => new { a.ResidentId, a.DataElementId, a.Value }).ToList()
                    .ToDictionary(a => (a.ResidentId, a.DataElementId), a => a.Value);
            foreach (var r in page)
            {
                var row = new string[Columns.Length + elementIds.Count];
                row[0] = plan.Unmasked ? protection.Unprotect(r.IdentityProtected) : r.IdentityMasked;
                row[1] = r.Name;
                row[2] = r.Sex == Sex.Male ? "男" : "女";
                row[3] = r.BirthDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
                row[4] = r.HouseholdNumber;
                row[5] = units[r.OrgUnitId];
                for (var i = 0; i < elementIds.Count; i++)
                {
                    row[Columns.Length + i] = values.GetValueOrDefault((r.Id, elementIds[i])) switch { "true" => "是", "false" => "否", var v => v ?? "" };
                }
                yield return row;
            }
            after = page[^1].Id;
        }
    }
}

internal static class RosterExportApi
{
    public static void MapRosterExport(this IEndpointRouteBuilder routes) =>
        routes.MapGet("/api/v1/data/roster", ExportAsync).WithTags("Sharing")
            .WithSummary("Residents below a unit (minAge, maxAge, attribute=CODE filter; attributes=A,B as columns) as CSV or xlsx (format=xlsx); needs a person-level grant. Large rosters: POST /api/v1/exports/roster.")
            .Allow(Operations.SharedDataRead);

    private static async Task<IResult> ExportAsync(HttpContext http, RosterExporter exporter, IStringLocalizer<SharedResource> l, string unit, int? minAge, int? maxAge, string? attribute,
        string? attributes, string? format)
    {
        if (!Enum.TryParse<ExportFormat>(format ?? nameof(ExportFormat.Csv), ignoreCase: true, out var kind) || !Enum.IsDefined(kind))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { [nameof(format)] = [l["'{0}' is not a file format; use csv or xlsx.", format ?? ""]] });
        }
        if (ResidentFilters.AgeProblem(minAge, maxAge, l) is { } ages)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { [ages.Field] = [ages.Message] });
        }
        var (plan, status) = await exporter.PlanAsync(http.User.Scope(), new RosterQuery(unit, minAge, maxAge, attribute, attributes), http.RequestAborted);
        if (plan is null)
        {
            return status == StatusCodes.Status404NotFound ? TypedResults.NotFound() : TypedResults.Forbid();
        }
        var count = await exporter.CountAsync(plan, http.RequestAborted);
        await exporter.AuditAsync(plan, count, $"downloaded as {kind}");
        // Written to a temporary file first (the xlsx writer needs to seek), then streamed: memory stays flat.
        var file = new FileStream(Path.GetTempFileName(), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.DeleteOnClose);
        try
        {
            await Task.Run(() => exporter.Write(plan, count, file, kind, cancellationToken: http.RequestAborted), http.RequestAborted);
            file.Position = 0;
            return TypedResults.File(file, RosterExporter.ContentType(kind), RosterExporter.FileName(plan, kind));
        }
        catch
        {
            await file.DisposeAsync();
            throw;
        }
    }
}
