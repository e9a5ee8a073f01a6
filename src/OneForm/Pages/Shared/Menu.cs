using OneForm.Common;
using OneForm.Organization;

namespace OneForm.Pages.Shared;

/// <summary>Where an entry sits on the "me" page (/More): the day's work, data to look at, keeping the platform, one's own account.</summary>
public enum MenuGroup
{
    Work,
    Data,
    Manage,
    Account,
}

/// <summary>One place a person may go from the menu: its address, its name (an English localisation key) and its group.</summary>
public sealed record MenuEntry(string Href, string Text, MenuGroup Group);

/// <summary>A tab of the phone's bottom bar: its address, its short name (a localisation key) and the icon drawn for it.</summary>
public sealed record MenuTab(string Id, string Href, string Text, string Icon);

/// <summary>
/// The menu, once, for the desktop's top menu, the phone's bottom tab bar and the "me" page: what each role may open.
/// The tab bar holds the four or five pages a role uses most (as in the apps people know: home, work, records,
/// messages, me); everything else is one tap further, on the "me" page.
/// </summary>
public static class Menu
{
    /// <summary>
    /// Every entry the caller may open, in the order of the desktop menu (sign-out is a form, drawn apart; messages are
    /// the header's unread count at a desk and a tab on a phone).
    /// </summary>
    public static IReadOnlyList<MenuEntry> For(CallerScope scope)
    {
        var role = scope.Role;
        var entries = new List<MenuEntry> { new("/", Text("Home"), MenuGroup.Work) };
        if (role == Role.Reviewer)
        {
            entries.Add(new("/Collection/Review", Text("Review"), MenuGroup.Work));
        }
        if (scope.Admits(Operations.ValidationRun))
        {
            entries.Add(new("/Dictionary/CheckRun", Text("Validation run"), MenuGroup.Work));
        }
        if (role is Role.Cadre or Role.UnitHead or Role.Reviewer)
        {
            entries.Add(new("/Activities", Text("Activity records"), MenuGroup.Work));
        }
        if (role is Role.Cadre or Role.UnitHead)
        {
            entries.Add(new("/Ledgers", Text("Ledgers"), MenuGroup.Work));
        }
        if (role is Role.Department or Role.Gatekeeper or Role.Administrator)
        {
            entries.Add(new("/Statistics", Text("Statistics"), MenuGroup.Data));
            entries.Add(new("/Collection/Submissions", Text("Submissions"), MenuGroup.Data));
            entries.Add(new("/Grants", Text("Data grants"), MenuGroup.Data));
            entries.Add(new("/Exports", Text("My exports"), MenuGroup.Data));
            entries.Add(new("/Admission", Text("Admission"), MenuGroup.Work));
        }
        if (role is Role.Cadre or Role.UnitHead or Role.Reviewer or Role.Department)
        {
            entries.Add(new("/Reports", Text("Reports"), MenuGroup.Work));
        }
        if (role is Role.Gatekeeper or Role.Administrator)
        {
            entries.Add(new("/Reports", Text("Reports received"), MenuGroup.Work));
        }
        entries.Add(new("/Organization", Text("Org tree"), MenuGroup.Data));
        if (role is not (Role.Department or Role.Device))
        {
            entries.Add(new("/Registry/Residents", Text("Residents"), MenuGroup.Data));
        }
        entries.Add(new("/Catalog", Text("Catalogue"), MenuGroup.Data));
        entries.Add(new("/Dictionary", Text("Data dictionary"), MenuGroup.Data));
        if (role is Role.Gatekeeper or Role.Department or Role.Administrator)
        {
            entries.Add(new("/Ledgers/Kinds", Text("Ledger kinds"), MenuGroup.Data));
        }
        entries.Add(new("/verify", Text("Check a code"), MenuGroup.Data));
        if (role is Role.Gatekeeper or Role.Administrator)
        {
            entries.Add(new("/Oversight/Assessment", Text("Assessment"), MenuGroup.Manage));
            entries.Add(new("/Oversight/Burden", Text("Form burden"), MenuGroup.Manage));
        }
        if (scope.CanAdminister)
        {
            entries.Add(new("/Admin/Accounts", Text("Accounts"), MenuGroup.Manage));
            entries.Add(new("/Admin/Tokens", Text("Access tokens"), MenuGroup.Manage));
            entries.Add(new("/Admin/Departments", Text("Departments"), MenuGroup.Manage));
            entries.Add(new("/Admin/Divisions", Text("Import divisions"), MenuGroup.Manage));
            entries.Add(new("/Organization/Groups", Text("Unit groups"), MenuGroup.Manage));
            entries.Add(new("/Registry/Imports", Text("Registry imports"), MenuGroup.Manage));
        }
        if (scope.CanSearchAudit)
        {
            entries.Add(new("/Oversight/Audit", Text("Audit trail"), MenuGroup.Manage));
        }
        if (scope.SeesWholeTree)
        {
            entries.Add(new("/api/", Text("API"), MenuGroup.Manage));
        }
        entries.Add(new("/Account/ChangePassword", Text("Change password"), MenuGroup.Account));
        return entries;
    }

    /// <summary>
    /// The phone's tabs: home (the to-do), the role's daily work, its records where it keeps any, messages, and "me".
    /// A cadre's or head's work is the list of sheets on the home page, under its own anchor.
    /// </summary>
    public static IReadOnlyList<MenuTab> Tabs(CallerScope scope)
    {
        var tabs = new List<MenuTab> { new("home", "/", Text("Home"), "home") };
        MenuTab? work = scope.Role switch
        {
            Role.Cadre or Role.UnitHead => new("work", "/#due", Text("Fill in"), "fill"),
            Role.Reviewer => new("work", "/Collection/Review", Text("Review"), "fill"),
            Role.Department => new("work", "/Statistics", Text("Stats"), "chart"),
            Role.Gatekeeper => new("work", "/Admission", Text("Admit"), "fill"),
            Role.Administrator => new("work", "/Admin/Accounts", Text("Accounts"), "people"),
            Role.Device => null,
            _ => throw new ArgumentOutOfRangeException(nameof(scope), scope.Role, null),
        };
        if (work is not null)
        {
            tabs.Add(work);
        }
        MenuTab? records = scope.Role switch
        {
            Role.Cadre or Role.UnitHead or Role.Reviewer => new("records", "/Activities", Text("Record"), "records"),
            Role.Gatekeeper => new("records", "/Reports", Text("Reports"), "records"),
            Role.Department or Role.Administrator or Role.Device => null,
            _ => throw new ArgumentOutOfRangeException(nameof(scope), scope.Role, null),
        };
        if (records is not null)
        {
            tabs.Add(records);
        }
        tabs.Add(new("messages", "/Messages", Text("Messages"), "messages"));
        tabs.Add(new("me", "/More", Text("Me"), "me"));
        return tabs;
    }

    /// <summary>Marks a name as a localisation key, translated where it is drawn (and found there by the localisation tests).</summary>
    private static string Text(string key) => key;

    /// <summary>The entries the tab bar does not already show, for the "me" page.</summary>
    public static IReadOnlyList<MenuEntry> Beyond(CallerScope scope)
    {
        var tabbed = Tabs(scope).Select(t => t.Href).ToHashSet(StringComparer.OrdinalIgnoreCase);
        return [.. For(scope).Where(e => !tabbed.Contains(e.Href))];
    }

    /// <summary>Whether <paramref name="href"/> is the page being shown (or a page below it), for aria-current; home only on itself.</summary>
    public static bool IsCurrent(string href, string path)
    {
        if (href.Contains('#', StringComparison.Ordinal))
        {
            return false;
        }
        var target = href;
        if (target == "/")
        {
            return path is "/" or "" or "/Index";
        }
        return path.Equals(target, StringComparison.OrdinalIgnoreCase)
            || path.StartsWith(target.TrimEnd('/') + "/", StringComparison.OrdinalIgnoreCase);
    }
}
