using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using OneForm.Catalog;
using OneForm.Collection;
using OneForm.Collection.Files;
using OneForm.Data;
using OneForm.Organization;

namespace OneForm.Sharing;

/// <summary>
/// A form as a view (一类工作一张表): one unit's values for one period in the form's own layout, generated from the values
/// the unit's sheet holds. The one answer to "may this caller read this form of this unit, and what of it?":
/// <list type="bullet">
/// <item>the unit, the reviewers above it and the overseers read it whole, as they read the unit's tasks;</item>
/// <item>a department reads the forms it issues, for every unit, with the values sharing lets it read (its own
/// elements', other departments' only through a grant in force) and a roster's people only with a person-level grant;</item>
/// <item>nobody else: the answer is "does not exist" (404), as for any unit or task outside the caller's scope.</item>
/// </list>
/// </summary>
public sealed class FormViews(OneFormDbContext db, SharingPolicy policy)
{
    /// <summary>Whether the caller sees which units submitted the form, and downloads each one's file.</summary>
    public static bool MaySeeSubmissions(CallerScope scope, Form form) => scope.CanSeeDepartmentThing(form.IssuingDepartmentId);

    /// <summary>The forms whose submissions the caller sees: a department those it issues; the overseers every form in force.</summary>
    public async Task<List<Form>> FormsAsync(CallerScope scope) => scope.Role switch
    {
        Role.Gatekeeper or Role.Administrator => await FormQueries.AdmittedAsync(db),
        Role.Department when scope.DepartmentId is { } department => await FormQueries.AdmittedAsync(db, department),
        _ => [],
    };

    /// <summary>
    /// The unit's task of the form (the latest version that has one) for the period, with its form's layout, or null when
    /// there is none or the caller may not read it.
    /// </summary>
    public async Task<FillingTask?> FindAsync(CallerScope scope, string formCode, string unitCode, string period, CancellationToken cancellationToken = default)
    {
        var task = await db.FillingTasks.AsNoTracking()
            .Include(t => t.OrgUnit)
            .Include(t => t.Form!).ThenInclude(f => f.Sections).ThenInclude(s => s.Fields).ThenInclude(f => f.DataElement)
            .AsSplitQuery()
            .Where(t => t.Form!.Code == formCode && t.OrgUnit!.Code == unitCode && t.PeriodCode == period)
            .OrderByDescending(t => t.Form!.Version)
            .FirstOrDefaultAsync(cancellationToken);
        return task is not null && (scope.CanSeeTasksOf(task.OrgUnit!) || scope.Role == Role.Department && MaySeeSubmissions(scope, task.Form!)) ? task : null;
    }

    /// <summary>What of the unit's data the caller reads in the file: null for those who see the unit's tasks (everything).</summary>
    public FileReader? ReaderFor(CallerScope scope, FillingTask task)
    {
        if (scope.CanSeeTasksOf(task.OrgUnit!))
        {
            return null;
        }
        var path = task.OrgUnit!.Path;
        return new FileReader(policy.Readable(scope), async roster =>
            (await policy.PersonLevelAsync(scope, path, [.. roster.Fields.Select(f => f.DataElementId)])).Allowed);
    }
}

internal static class FormViewsApi
{
    public static void MapFormViews(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/v1/forms/{code}/units/{unit}/periods/{period}/file", DownloadAsync).WithTags("Sharing")
            .WithSummary("One unit's form for a period in the form's own layout (format=xlsx or csv), with the values the caller may read.")
            .WithDescription("The unit and the reviewers above it read every value; a department the forms it issues, with its own elements' values " +
                "and other departments' only through a grant in force. A form the caller may not read does not exist (404).")
            .Allow(Operations.FormViewsRead);
    }

    private static async Task<Results<PushStreamHttpResult, NotFound>> DownloadAsync(string code, string unit, string period, string? format, System.Security.Claims.ClaimsPrincipal user,
        FormViews views, FormFiles files, HttpContext http, Microsoft.Extensions.Localization.IStringLocalizer<Localization.SharedResource> l)
    {
        var scope = user.Scope();
        if (await views.FindAsync(scope, code, unit, period, http.RequestAborted) is not { } task)
        {
            return TypedResults.NotFound();
        }
        var chosen = string.Equals(format, "csv", StringComparison.OrdinalIgnoreCase) ? FileFormat.Csv : FileFormat.Xlsx;
        var reader = views.ReaderFor(scope, task);
        // Streamed to the response, not built in memory first.
        return TypedResults.Stream(output => files.WriteTaskAsync(output, task, chosen, reader, http.RequestAborted), FormFiles.ContentType(chosen),
            FormFiles.FileName(task.Form!, task.PeriodCode, task.OrgUnit!, chosen, l));
    }
}
