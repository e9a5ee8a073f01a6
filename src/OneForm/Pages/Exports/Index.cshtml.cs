using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using OneForm.Accounts;
using OneForm.Data;
using Microsoft.Extensions.Localization;
using OneForm.Dictionary;
using OneForm.Localization;
using OneForm.Sharing;
using OneForm.Organization;
using OneForm.Pages.Shared;

namespace OneForm.Pages.Exports;

/// <summary>
/// A department's own exports (我的导出): ask for a roster of any size, follow its progress, download the file when it
/// is ready. Only the person who asked sees an export and its file.
/// </summary>
public sealed class IndexModel(OneFormDbContext db, OneForm.Sharing.Exports exports, IStringLocalizer<SharedResource> l) : PageModel
{
    public List<ExportJob> Jobs { get; private set; } = [];
    public List<DataElement> Attributes { get; private set; } = [];
    public bool Working => Jobs.Any(j => j.State is ExportState.Queued or ExportState.Running);
    public string? Problem { get; private set; }
    public UnitLookup UnitLookup { get; private set; } = UnitLookup.Empty;

    [BindProperty] public string Unit { get; set; } = "";
    [BindProperty] public int? MinAge { get; set; }
    [BindProperty] public int? MaxAge { get; set; }
    [BindProperty] public string? Attribute { get; set; }
    [BindProperty] public List<string> Columns { get; set; } = [];
    [BindProperty] public ExportFormat Format { get; set; } = ExportFormat.Xlsx;

    public async Task<IActionResult> OnGetAsync()
    {
        if (!MayExport())
        {
            return Forbid();
        }
        await LoadAsync();
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (!MayExport())
        {
            return Forbid();
        }
        // A field that did not read (MinAge=abc) must not widen the roster to everyone: nothing is queued.
        var ages = OneForm.Registry.ResidentFilters.AgeProblem(MinAge, MaxAge, l, l["Minimum age"], l["Maximum age"]);
        if (!ModelState.IsValid || ages is not null)
        {
            Problem = ModelState.IsValid
                ? ages!.Value.Message
                : string.Join(" ", ModelState.Where(e => e.Value!.Errors.Count > 0)
                    .Select(e => l["{0}: {1}", FieldName(e.Key), e.Value!.Errors[0].ErrorMessage].Value));
            await LoadAsync();
            return Page();
        }
        UnitLookup = await this.ReadUnitAsync(db, nameof(Unit), Unit);
        if (UnitLookup.Unsettled() || UnitLookup.Unit is null)
        {
            Problem = UnitLookup.IsEmpty ? l["Choose the unit the roster is below."].Value : null;
            await LoadAsync();
            return Page();
        }
        var query = new RosterQuery(UnitLookup.Unit.Code, MinAge, MaxAge, string.IsNullOrWhiteSpace(Attribute) ? null : Attribute, string.Join(',', Columns));
        var (job, status) = await exports.QueueRosterAsync(User.Scope(), User.ActorId(), query, Format);
        if (job is not null)
        {
            return Redirect("/Exports");
        }
        Problem = status == StatusCodes.Status404NotFound
            ? l["No unit with the code '{0}', or an unknown person attribute.", UnitLookup.ShownAs]
            : l["Your department has no person-level grant covering these residents and attributes. Ask the owner on the data grants page."];
        await LoadAsync();
        return Page();
    }

    private string FieldName(string key) => key switch
    {
        nameof(MinAge) => l["Minimum age"],
        nameof(MaxAge) => l["Maximum age"],
        _ => key,
    };

    private bool MayExport() => User.Scope().Admits(Operations.ExportsOwn);

    private async Task LoadAsync()
    {
        Jobs = await exports.MineAsync(User.ActorId(), take: 20);
        Attributes = await ElementQueries.PersonAttributesAsync(db);
    }
}
