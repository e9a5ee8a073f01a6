using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using OneForm.Accounts;
using OneForm.Data;
using OneForm.Localization;
using OneForm.Organization;
using OneForm.Oversight.Audit;
using OneForm.Pages.Shared;

namespace OneForm.Pages.Oversight.Audit;

/// <summary>The gatekeeper and the administrator search the append-only trail by person, unit, kind and time.</summary>
public sealed class IndexModel(OneFormDbContext db, ActorNames names, DisplayTime time, IStringLocalizer<SharedResource> l) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Actor { get; set; }
    [BindProperty(SupportsGet = true)] public string? Unit { get; set; }
    [BindProperty(SupportsGet = true)] public string? Kind { get; set; }
    [BindProperty(SupportsGet = true)] public DateOnly? From { get; set; }
    [BindProperty(SupportsGet = true)] public DateOnly? To { get; set; }
    [BindProperty(SupportsGet = true, Name = "page")] public int PageNumber { get; set; } = 1;

    public List<AuditEntry> Entries { get; private set; } = [];
    public int Total { get; private set; }
    public bool UnknownUnit { get; private set; }
    public UnitLookup UnitLookup { get; private set; } = UnitLookup.Empty;
    public DisplayTime Time => time;
    public AuditSentences Sentences => new(db.Model, l, time.Format);

    public IEnumerable<(string Value, string Text)> Kinds =>
    [
        ("OneFormUser", l["Accounts"]),
        ("OrgUnit", l["Org units"]),
        ("Divisions", l["Division imports"]),
        ("Department", l["Departments"]),
        ("AccessToken", l["Access tokens"]),
    ];

    public async Task OnGetAsync()
    {
        PageNumber = Math.Max(PageNumber, 1);
        UnitLookup = await this.ReadUnitAsync(db, "unit", Unit);
        if (UnitLookup.Unsettled())
        {
            return;
        }
        Unit = UnitLookup.Unit?.Code;
        (Entries, Total, UnknownUnit) = await new AuditSearch(Actor, Unit, Kind, From, To).RunAsync(db, names, time, PageNumber);
    }

    public string PageLink(int page) =>
        Url.Page("", new { Actor, Unit, Kind, From = From?.ToString("yyyy-MM-dd"), To = To?.ToString("yyyy-MM-dd"), page })!;
}
