using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using OneForm.Data;
using OneForm.Localization;
using OneForm.Messages.Channels;
using OneForm.Organization;
using OneForm.Pages.Shared;

namespace OneForm.Pages.Admin.Channels;

/// <summary>
/// Where messages go beyond the app (消息渠道): the messaging robots of the units, each with its address and signing
/// secret, switched on or off, with a test message; and how many devices have web push turned on (people turn it on
/// themselves, from the message centre).
/// </summary>
public sealed class IndexModel(OneFormDbContext db, RobotChannels robots, IStringLocalizer<SharedResource> l) : PageModel
{
    [BindProperty] public string? Unit { get; set; }
    [BindProperty] public string? Address { get; set; }
    [BindProperty] public string? Secret { get; set; }
    [BindProperty] public bool Enabled { get; set; } = true;

    [TempData] public string? Notice { get; set; }

    public List<RobotRow> Robots { get; private set; } = [];
    public int PushDevices { get; private set; }
    public UnitLookup UnitLookup { get; private set; } = UnitLookup.Empty;
    public string? Problem { get; private set; }

    public async Task OnGetAsync() => await LoadAsync();

    public async Task<IActionResult> OnPostSaveAsync()
    {
        UnitLookup = await this.ReadUnitAsync(db, "unit", Unit);
        if (UnitLookup.Unit is not { } unit)
        {
            Problem = UnitLookup.IsEmpty ? l["Choose the unit whose group the robot is in."].Value : null;
            await LoadAsync();
            return Page();
        }
        Problem = await robots.SaveAsync(unit, Address, Secret, Enabled, User.ActorId());
        if (Problem is not null)
        {
            await LoadAsync();
            return Page();
        }
        Notice = l["The robot of {0} is saved.", unit.Name];
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostTestAsync(int id)
    {
        if (!await robots.TestAsync(id))
        {
            return NotFound();
        }
        Notice = l["A test message is on its way; reload the page in a few seconds to see how it went."];
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostEnableAsync(int id, bool enabled) =>
        await robots.SetEnabledAsync(id, enabled, User.ActorId()) ? RedirectToPage() : NotFound();

    public async Task<IActionResult> OnPostRemoveAsync(int id) => await robots.RemoveAsync(id) ? RedirectToPage() : NotFound();

    private async Task LoadAsync()
    {
        Robots = await robots.AllAsync();
        PushDevices = await robots.PushDevicesAsync();
    }

    /// <summary>How the robot's last delivery went, in the reader's language.</summary>
    public string LastResult(MessageDelivery? last) => last switch
    {
        null => l["Nothing sent yet"],
        { Outcome: Outcomes.Sent } => l["Delivered"],
        { Outcome: Outcomes.GaveUp } => l["Not delivered; given up after {0} attempts", last.Attempts],
        { LastStatus: { } status } => l["Not delivered (the robot answered {0}); trying again", status],
        _ => l["Not delivered (no answer); trying again"],
    };

    /// <summary>The robot's address without its query (which holds its access token).</summary>
    public static string Shown(string url) => Uri.TryCreate(url, UriKind.Absolute, out var address) ? address.GetLeftPart(UriPartial.Path) + (address.Query.Length > 0 ? "?…" : "") : url;
}
