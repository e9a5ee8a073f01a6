using System.Globalization;
using System.Security.Claims;
using System.Text;
using Microsoft.EntityFrameworkCore;
using OneForm.Accounts;
using OneForm.Data;
using OneForm.Dictionary;
using OneForm.Localization;
using OneForm.Organization;
using OneForm.Oversight.Audit;
using OneForm.Registry;

namespace OneForm.Sharing;

/// <summary>
/// A roster export (名单导出): the residents below a unit, optionally by age and a person attribute, with the person
/// attributes asked for. A department needs a person-level grant in force covering the unit and the attributes;
/// numbers stay masked unless the grant says otherwise; every export is written to the audit trail. The file is
/// written to the response row by row, so memory does not grow with it.
/// </summary>
internal static class RosterExport
{
    public static void MapRosterExport(this IEndpointRouteBuilder routes) =>
        routes.MapGet("/api/v1/data/roster", ExportAsync).WithTags("Sharing").RequireAuthorization()
            .WithSummary("Residents below a unit (minAge, maxAge, attribute=CODE filter; attributes=A,B as columns) as CSV, streamed; needs a person-level grant.");

    private static async Task<IResult> ExportAsync(HttpContext http, ClaimsPrincipal user, OneFormDbContext db, DisplayTime time, IdentityProtection protection,
        AuditActor actor, SharingPolicy policy, string unit, int? minAge, int? maxAge, string? attribute, string? attributes)
    {
        var scope = user.Scope();
        var root = await db.OrgUnits.AsNoTracking().SingleOrDefaultAsync(u => u.Code == unit);
        if (root is null)
        {
            return TypedResults.NotFound();
        }
        var codes = (attributes ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Append(attribute).OfType<string>().Distinct().ToList();
        var elements = await db.DataElements.AsNoTracking().Where(e => codes.Contains(e.Code) && e.Source == ElementSource.PersonAttribute).ToListAsync();
        if (elements.Count != codes.Count)
        {
            return TypedResults.NotFound();
        }
        var (allowed, unmasked) = await policy.PersonLevelAsync(scope, root.Path, [.. elements.Select(e => e.Id)]);
        if (!allowed)
        {
            return TypedResults.Forbid();
        }

        var on = time.Today;
        var filterElement = attribute is null ? null : (int?)elements.Single(e => e.Code == attribute).Id;
        var residents = db.Residents.AsNoTracking().InSubtreeOf(db, root.Path).Where(r => r.Status == ResidentStatus.Active)
            .Aged(minAge, maxAge, on).WithAttribute(db, filterElement, "true");
        var count = await residents.CountAsync();
        db.AuditEntries.Add(actor.Entry("Registry.RosterExported", "OrgUnit", root.Code, root.Id, null,
            $"{count} residents below {root.Code}; ages {minAge}-{maxAge}; attribute {attribute}; columns {string.Join(',', codes)}; {(unmasked ? "unmasked" : "masked")}"));
        await db.SaveChangesAsync();

        http.Response.ContentType = "text/csv; charset=utf-8";
        http.Response.Headers.ContentDisposition = $"attachment; filename=roster-{root.Code}.csv";
        await using var writer = new StreamWriter(http.Response.Body, new UTF8Encoding(true), 16 * 1024);
        await writer.WriteLineAsync(string.Join(',', new[] { "身份证号", "姓名", "性别", "出生日期", "户号", "村居代码" }.Concat(elements.Select(e => e.Name))));
        var units = await db.OrgUnits.AsNoTracking().InSubtree(root.Path).ToDictionaryAsync(u => u.Id, u => u.Code);
        var elementIds = elements.Select(e => e.Id).ToList();
        // Chunks of residents with their attributes: memory holds one chunk, whatever the size of the roster.
        long after = 0;
        const int Chunk = 2000;
        while (true)
        {
            var page = await residents.Where(r => r.Id > after).OrderBy(r => r.Id).Take(Chunk).ToListAsync();
            if (page.Count == 0)
            {
                break;
            }
            var pageIds = page.Select(r => r.Id).ToList();
            var values = (await db.PersonAttributes.AsNoTracking().Where(a => pageIds.Contains(a.ResidentId) && elementIds.Contains(a.DataElementId))
                    .Select(a => new { a.ResidentId, a.DataElementId, a.Value }).ToListAsync())
                .ToDictionary(a => (a.ResidentId, a.DataElementId), a => a.Value);
            foreach (var r in page)
            {
                var number = unmasked ? protection.Unprotect(r.IdentityProtected) : r.IdentityMasked;
                var cells = new[] { number, r.Name, r.Sex == Sex.Male ? "男" : "女", r.BirthDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), r.HouseholdNumber, units[r.OrgUnitId] }
                    .Concat(elementIds.Select(id => values.GetValueOrDefault((r.Id, id)) switch { "true" => "是", "false" => "否", var v => v ?? "" }));
                await writer.WriteLineAsync(string.Join(',', cells.Select(c => c.Contains(',', StringComparison.Ordinal) ? $"\"{c.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : c)));
            }
            after = page[^1].Id;
            await writer.FlushAsync();
        }
        return TypedResults.Empty;
    }

    private static IQueryable<Resident> InSubtreeOf(this IQueryable<Resident> residents, OneFormDbContext db, string path)
    {
        var units = db.OrgUnits.InSubtree(path).Select(u => u.Id);
        return residents.Where(r => units.Contains(r.OrgUnitId));
    }
}
