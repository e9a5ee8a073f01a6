using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using OneForm.Accounts;
using OneForm.Catalog.Inventory;
using OneForm.Data;
using OneForm.Localization;
using OneForm.Organization;
using OneForm.Organization.Divisions;

namespace OneForm.Catalog;

public sealed record FormSummary(int Id, string Code, int Version, string Name, string? NameEn, string Category, string Cycle,
    string Issuer, string Designer, string Status, string? AdmissionCode, int Fields);

public sealed record FormDetail(int Id, string Code, int Version, string Name, string? NameEn, string Category, string Cycle,
    string Issuer, string Designer, string Status, string? AdmissionCode, DateOnly? ValidFrom, DateOnly? ValidTo, int DeadlineDays,
    string[] TargetLevels, IReadOnlyList<SectionDetail> Sections, IReadOnlyList<string> ReplacedLegacyForms, IReadOnlyList<string> TargetGroups);

public sealed record SectionDetail(string Title, string? TitleEn, string Kind, IReadOnlyList<string> Elements);

public sealed record LegacyFormResponse(int No, string Name, string Category, string Item, string Issuer, string IssuerLevel,
    string Cycle, int FieldCount, string Disposition, string? ReplacedBy);

internal static class CatalogApi
{
    public static void MapCatalogApi(this IEndpointRouteBuilder routes)
    {
        var forms = routes.MapGroup("/api/v1/forms").WithTags("Catalog");
        forms.MapGet("/", ListAsync).WithSummary("The catalogue: admitted forms (with status=all, drafts and retired versions too).")
            .Allow(Operations.CatalogueRead);
        forms.MapGet("/{id:int}", GetAsync).WithSummary("One form with its sections, fields and the legacy forms it replaced.")
            .Allow(Operations.CatalogueRead);
        forms.MapPost("/", CreateAsync).WithSummary("Draft a new form (gatekeeper).")
            .Allow(Operations.CatalogueChange);
        forms.MapPut("/{id:int}", UpdateAsync)
            .WithSummary("Change a draft; an admitted form is frozen (409): start a new version instead.")
            .Allow(Operations.CatalogueChange)
            .ProducesProblem(StatusCodes.Status409Conflict);
        forms.MapPost("/{id:int}/admit", AdmitAsync)
            .WithSummary("Admit a draft: it gets its admission code, its tasks open, and the version it replaces retires.")
            .Allow(Operations.CatalogueChange)
            .ProducesProblem(StatusCodes.Status409Conflict);
        forms.MapPost("/{id:int}/retire", RetireAsync)
            .WithSummary("Take an admitted form out of force: no new tasks open; what was filled stays.")
            .Allow(Operations.CatalogueChange)
            .ProducesProblem(StatusCodes.Status409Conflict);
        forms.MapPost("/{id:int}/versions", NewVersionAsync)
            .WithSummary("Start a new version of an admitted form as a draft (an admitted structure never changes).")
            .Allow(Operations.CatalogueChange)
            .ProducesProblem(StatusCodes.Status409Conflict);

        var catalogue = routes.MapGroup("/api/v1/catalogue").WithTags("Catalog");
        catalogue.MapGet("/figures", async (OneFormDbContext db) => TypedResults.Ok(await CatalogueFigures.ComputeAsync(db)))
            .WithSummary("Forms in force, the legacy baseline and the compression rate, by category.")
            .Allow(Operations.CatalogueRead);
        catalogue.MapGet("/legacy-forms", LegacyAsync).WithSummary("The legacy inventory (清理台账).")
            .Allow(Operations.CatalogueRead);
        catalogue.MapPost("/legacy-forms/import", ImportLegacyAsync).DisableAntiforgery()
            .WithSummary("Load the legacy inventory from xlsx or CSV; rejected rows are reported by line.")
            .Allow(Operations.CatalogueChange);
    }

    private static async Task<Ok<List<FormSummary>>> ListAsync(OneFormDbContext db, string? status)
    {
        var query = db.Forms.AsNoTracking();
        if (status != "all")
        {
            query = query.Where(f => f.Status == FormStatus.Admitted);
        }
        var forms = await query.OrderBy(f => f.Code).ThenBy(f => f.Version)
            .Select(f => new FormSummary(f.Id, f.Code, f.Version, f.Name, f.NameEn, f.Category.ToString(), f.Cycle.ToString(),
                f.IssuingDepartment!.Code, f.Designer, f.Status.ToString(), f.AdmissionCode, f.Sections.SelectMany(s => s.Fields).Count()))
            .ToListAsync();
        return TypedResults.Ok(forms);
    }

    private static async Task<Results<Ok<FormDetail>, NotFound>> GetAsync(int id, OneFormDbContext db)
    {
        var form = await db.Forms.AsNoTracking().Include(f => f.IssuingDepartment)
            .Include(f => f.Sections).ThenInclude(s => s.Fields).ThenInclude(f => f.DataElement).AsSplitQuery()
            .SingleOrDefaultAsync(f => f.Id == id);
        if (form is null)
        {
            return TypedResults.NotFound();
        }
        var legacy = await db.LegacyForms.Where(l => l.ReplacedByFormCode == form.Code).OrderBy(l => l.No).Select(l => l.Name).ToListAsync();
        return TypedResults.Ok(new FormDetail(form.Id, form.Code, form.Version, form.Name, form.NameEn, form.Category.ToString(),
            form.Cycle.ToString(), form.IssuingDepartment!.Code, form.Designer, form.Status.ToString(), form.AdmissionCode,
            form.ValidFrom, form.ValidTo, form.DeadlineDays, [.. form.Levels.Select(l => l.ToString())],
            form.Sections.OrderBy(s => s.Order).Select(s => new SectionDetail(s.Title, s.TitleEn, s.Kind.ToString(),
                s.Fields.OrderBy(f => f.Order).Select(f => f.DataElement!.Code).ToList())).ToList(), legacy, form.Groups));
    }

    private static async Task<Results<Created<FormSummary>, ValidationProblem>> CreateAsync(FormRequest request, OneFormDbContext db,
        IStringLocalizer<SharedResource> l)
    {
        var errors = await FormEditing.ApplyDraftAsync(db, null, request, l);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }
        await db.SaveChangesAsync();
        var form = await db.Forms.OrderByDescending(f => f.Id).FirstAsync(f => f.Code == request.Code.Trim().ToUpperInvariant());
        return TypedResults.Created($"/api/v1/forms/{form.Id}", Summary(form, request.IssuerDepartmentCode));
    }

    private static FormSummary Summary(Form form, string issuer) => new(form.Id, form.Code, form.Version, form.Name, form.NameEn,
        form.Category.ToString(), form.Cycle.ToString(), issuer, form.Designer, form.Status.ToString(), form.AdmissionCode,
        form.Sections.Sum(s => s.Fields.Count));

    private static async Task<Results<Ok<FormSummary>, NotFound, ValidationProblem, ProblemHttpResult>> UpdateAsync(
        int id, FormRequest request, OneFormDbContext db, IStringLocalizer<SharedResource> l)
    {
        var form = await db.Forms.Include(f => f.Sections).ThenInclude(s => s.Fields).SingleOrDefaultAsync(f => f.Id == id);
        if (form is null)
        {
            return TypedResults.NotFound();
        }
        if (form.Status != FormStatus.Draft)
        {
            return TypedResults.Problem(l["{0} version {1} is admitted and frozen; start a new version to change it.", form.Code, form.Version], statusCode: StatusCodes.Status409Conflict);
        }
        var errors = await FormEditing.ApplyDraftAsync(db, form, request with { Code = form.Code }, l);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }
        await db.SaveChangesAsync();
        return TypedResults.Ok(Summary(form, request.IssuerDepartmentCode));
    }

    private static async Task<Results<Ok<FormSummary>, NotFound, ProblemHttpResult>> AdmitAsync(int id, OneFormDbContext db,
        IAdmittedForms admitted, DisplayTime time, IConfiguration configuration, IStringLocalizer<SharedResource> l)
    {
        var form = await db.Forms.Include(f => f.IssuingDepartment).Include(f => f.Sections).ThenInclude(s => s.Fields).SingleOrDefaultAsync(f => f.Id == id);
        if (form is null)
        {
            return TypedResults.NotFound();
        }
        if (form.Status != FormStatus.Draft)
        {
            return TypedResults.Problem(l["Only a draft can be admitted."], statusCode: StatusCodes.Status409Conflict);
        }
        await FormEditing.AdmitAsync(db, form, time.Today, configuration["Catalog:AdmissionCodePrefix"] ?? "CJZR");
        await db.SaveChangesAsync();
        await admitted.AdmittedAsync(form, time.Today);
        return TypedResults.Ok(Summary(form, form.IssuingDepartment!.Code));
    }

    private static async Task<Results<NoContent, NotFound, ProblemHttpResult>> RetireAsync(int id, OneFormDbContext db,
        DisplayTime time, IStringLocalizer<SharedResource> l)
    {
        var form = await db.Forms.SingleOrDefaultAsync(f => f.Id == id);
        if (form is null)
        {
            return TypedResults.NotFound();
        }
        if (form.Status != FormStatus.Admitted)
        {
            return TypedResults.Problem(l["Only a form in force can be retired."], statusCode: StatusCodes.Status409Conflict);
        }
        form.Status = FormStatus.Retired;
        form.ValidTo = time.Today;
        await db.SaveChangesAsync();
        return TypedResults.NoContent();
    }

    private static async Task<Results<Created<FormSummary>, NotFound, ProblemHttpResult>> NewVersionAsync(
        int id, OneFormDbContext db, IStringLocalizer<SharedResource> l)
    {
        var form = await db.Forms.AsNoTracking().Include(f => f.Sections).ThenInclude(s => s.Fields).AsSplitQuery()
            .SingleOrDefaultAsync(f => f.Id == id);
        if (form is null)
        {
            return TypedResults.NotFound();
        }
        if (await db.Forms.AnyAsync(f => f.Code == form.Code && f.Status == FormStatus.Draft))
        {
            return TypedResults.Problem(l["{0} already has a draft version; change that one.", form.Code], statusCode: StatusCodes.Status409Conflict);
        }
        var version = await db.Forms.Where(f => f.Code == form.Code).MaxAsync(f => f.Version) + 1;
        var draft = new Form
        {
            Code = form.Code,
            Version = version,
            Name = form.Name,
            NameEn = form.NameEn,
            Category = form.Category,
            Cycle = form.Cycle,
            IssuingDepartmentId = form.IssuingDepartmentId,
            Designer = form.Designer,
            Status = FormStatus.Draft,
            DeadlineDays = form.DeadlineDays,
            TargetLevels = form.TargetLevels,
            TargetGroups = form.TargetGroups,
            Sections = form.Sections.Select(s => new FormSection
            {
                Order = s.Order,
                Title = s.Title,
                TitleEn = s.TitleEn,
                Kind = s.Kind,
                Fields = s.Fields.Select(f => new FormField { Order = f.Order, DataElementId = f.DataElementId }).ToList(),
            }).ToList(),
        };
        db.Forms.Add(draft);
        await db.SaveChangesAsync();
        return TypedResults.Created($"/api/v1/forms/{draft.Id}", new FormSummary(draft.Id, draft.Code, draft.Version, draft.Name,
            draft.NameEn, draft.Category.ToString(), draft.Cycle.ToString(), "", draft.Designer, draft.Status.ToString(), null,
            draft.Sections.Sum(s => s.Fields.Count)));
    }

    private static async Task<Ok<List<LegacyFormResponse>>> LegacyAsync(OneFormDbContext db) =>
        TypedResults.Ok(await db.LegacyForms.OrderBy(l => l.No)
            .Select(l => new LegacyFormResponse(l.No, l.Name, l.Category, l.Item, l.Issuer, l.IssuerLevel.ToString(), l.Cycle,
                l.FieldCount, l.Disposition.ToString(), l.ReplacedByFormCode))
            .ToListAsync());

    private static async Task<Results<Ok<ImportReport>, ProblemHttpResult, ValidationProblem>> ImportLegacyAsync(
        IFormFile? file, LegacyInventoryImporter importer, IStringLocalizer<SharedResource> l)
    {
        if (file is null || file.Length == 0)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["file"] = [l["Choose an xlsx or CSV file to import."]] });
        }
        await using var stream = file.OpenReadStream();
        var report = await importer.ImportAsync(stream, file.FileName.EndsWith(".csv", StringComparison.OrdinalIgnoreCase));
        return report.FileError is null ? TypedResults.Ok(report) : ProblemAnswers.Refusal(report.FileError, report);
    }
}
