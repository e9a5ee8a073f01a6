using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using OneForm.Accounts;
using OneForm.Admission;
using OneForm.Catalog;
using OneForm.Data;
using OneForm.Localization;
using OneForm.Organization;

namespace OneForm.Pages.Admission;

/// <summary>
/// A department proposes a form or changes its draft: the fields one per line as the department names them (a unit in
/// brackets), or read from the header row of the xlsx it already uses.
/// </summary>
public sealed class EditModel(OneFormDbContext db, AdmissionWorkflow workflow, IStringLocalizer<SharedResource> l) : PageModel
{
    public sealed class Input
    {
        public string Title { get; set; } = "";
        public string? Purpose { get; set; }
        public FormCategory Category { get; set; } = FormCategory.Livelihood;
        public ReportingCycle Cycle { get; set; } = ReportingCycle.Quarterly;
        public List<OrgUnitLevel> Levels { get; set; } = [OrgUnitLevel.Village];
        public int DeadlineDays { get; set; } = 10;
        public string Designer { get; set; } = "";
        public string? ReplacesFormCode { get; set; }
        public string? SubtreeUnitCode { get; set; }
        public List<string> Groups { get; set; } = [];
        public string Fields { get; set; } = "";
    }

    [BindProperty(SupportsGet = true)] public int? Id { get; set; }
    [BindProperty] public Input Form { get; set; } = new();
    public List<Form> OwnForms { get; private set; } = [];

    /// <summary>The counties and townships a department may limit its form to, in tree order.</summary>
    public List<OrgUnit> Areas { get; private set; } = [];

    public List<UnitGroup> Groups { get; private set; } = [];
    public Dictionary<string, string[]> Errors { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync()
    {
        if (await LoadAsync() is { } refusal)
        {
            return refusal;
        }
        if (Id is { } id && await workflow.FindAsync(id) is { } request)
        {
            Form = new Input
            {
                Title = request.Title, Purpose = request.Purpose, Category = request.Category, Cycle = request.Cycle, Levels = [.. request.Levels],
                DeadlineDays = request.DeadlineDays, Designer = request.Designer, ReplacesFormCode = request.ReplacesFormCode, SubtreeUnitCode = request.Subtree?.Code,
                Groups = [.. request.Groups],
                Fields = string.Join('\n', request.Fields.OrderBy(f => f.Order).Select(f => f.Unit is null ? f.Name : $"{f.Name}（{f.Unit}）")),
            };
        }
        return Page();
    }

    /// <summary>Fills the field list from an xlsx's header row; nothing is saved yet.</summary>
    public async Task<IActionResult> OnPostReadXlsxAsync(IFormFile? workbook)
    {
        if (await LoadAsync() is { } refusal)
        {
            return refusal;
        }
        ModelState.Clear();
        IReadOnlyList<ProposedFieldBody> fields;
        try
        {
            await using var stream = workbook?.OpenReadStream() ?? Stream.Null;
            fields = workbook is null ? [] : HeaderReader.Read(stream);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Errors["file"] = [l["{0} is not an xlsx workbook.", workbook?.FileName ?? "—"]];
            return Page();
        }
        if (fields.Count == 0)
        {
            Errors["file"] = [l["No header row with field names was found in the first ten rows of {0}.", workbook?.FileName ?? "—"]];
            return Page();
        }
        Form.Fields = string.Join('\n', fields.Select(f => f.Unit is null ? f.Name : $"{f.Name}（{f.Unit}）"));
        // A new proposal's name is empty (bound as null): the file's name is the first guess.
        Form.Title = string.IsNullOrWhiteSpace(Form.Title) ? Path.GetFileNameWithoutExtension(workbook!.FileName) : Form.Title;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (await LoadAsync() is { } refusal)
        {
            return refusal;
        }
        var request = Id is { } id ? await workflow.FindAsync(id) : workflow.New(User.Scope(), User.ActorId());
        if (request is null || !request.IsEditable)
        {
            return NotFound();
        }
        var fields = Form.Fields.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(HeaderReader.Field).ToList();
        // A field keeps the type it had when only its unit or order changed.
        var known = request.Fields.ToDictionary(f => f.Name, f => f.ValueType);
        fields = [.. fields.Select(f => known.TryGetValue(f.Name, out var type) ? f with { ValueType = type } : f)];
        Errors = await workflow.ApplyAsync(request, new AdmissionBody(Form.Title, Form.Purpose, Form.Category, Form.Cycle, Form.Levels,
            Form.DeadlineDays, Form.Designer, fields, Form.ReplacesFormCode, Form.SubtreeUnitCode, Form.Groups));
        if (Errors.Count > 0)
        {
            return Page();
        }
        if (request.Id == 0)
        {
            db.AdmissionRequests.Add(request);
        }
        await db.SaveChangesAsync();
        return Redirect($"/Admission/Request/{request.Id}");
    }

    private async Task<IActionResult?> LoadAsync()
    {
        var scope = User.Scope();
        if (!scope.Admits(Operations.AdmissionPropose) || scope.DepartmentId is null)
        {
            return Forbid();
        }
        if (Id is { } id && (await workflow.FindAsync(id) is not { } request || !AdmissionWorkflow.CanSee(scope, request) || !request.IsEditable))
        {
            return NotFound();
        }
        OwnForms = await FormQueries.AdmittedAsync(db, scope.DepartmentId);
        Areas = await OrgUnitQueries.DownToAsync(db, OrgUnitLevel.Township);
        Groups = await UnitGroupQueries.AllAsync(db);
        return null;
    }
}
