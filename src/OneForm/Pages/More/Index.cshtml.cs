using Microsoft.AspNetCore.Mvc.RazorPages;
using OneForm.Organization;
using OneForm.Pages.Shared;

namespace OneForm.Pages.More;

/// <summary>
/// "Me" (我的), the last tab on a phone: every menu entry the tab bar has no room for, as big tiles by group, and
/// one's own account (password, language, sign-out).
/// </summary>
public sealed class IndexModel : PageModel
{
    public CallerScope Scope { get; private set; } = null!;
    public IReadOnlyList<IGrouping<MenuGroup, MenuEntry>> Groups { get; private set; } = [];

    public void OnGet()
    {
        Scope = User.Scope();
        Groups = [.. Menu.Beyond(Scope).GroupBy(e => e.Group).OrderBy(g => g.Key)];
    }
}
