using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OneForm.Messages;
using OneForm.Organization;

namespace OneForm.Pages.Messages;

/// <summary>
/// The message centre (消息): the caller's own messages, newest first, unread ones marked. Tapping one marks it read
/// and opens its next step.
/// </summary>
public sealed class IndexModel(Inbox inbox, OneForm.Messages.Channels.VapidKeys vapid) : PageModel
{
    /// <summary>The applicationServerKey the page's push button subscribes with.</summary>
    public string PushKey { get; private set; } = "";

    public List<Message> Messages { get; private set; } = [];
    public int Unread { get; private set; }

    public async Task OnGetAsync()
    {
        Messages = await inbox.MineAsync(User.ActorId(), take: 100);
        PushKey = await vapid.PublicKeyAsync();
        Unread = Messages.Count(m => m.ReadAt is null);
    }

    /// <summary>Marks the message read and goes where it points; someone else's message is not found.</summary>
    public async Task<IActionResult> OnPostOpenAsync(long id)
    {
        var message = await inbox.ReadAsync(User.ActorId(), id);
        if (message is null)
        {
            return NotFound();
        }
        return Inbox.IsLocal(message.Link) ? LocalRedirect(message.Link!) : RedirectToPage();
    }

    public async Task<IActionResult> OnPostReadAllAsync()
    {
        await inbox.ReadAllAsync(User.ActorId());
        return RedirectToPage();
    }
}
