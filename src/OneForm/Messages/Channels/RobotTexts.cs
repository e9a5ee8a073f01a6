using Microsoft.Extensions.Localization;
using OneForm.Localization;

namespace OneForm.Messages.Channels;

/// <summary>
/// What a message says in a robot's group. A robot group is shared (a township's cadres, heads and reviewers, and
/// whoever else was added), so a robot text never holds personal data: no resident's name or ID number, no person's
/// name, no comment (a reviewer's comment may name a resident), and no report outcome (it would tell the group who
/// reported). It names the unit and the form, and says where to look: OneForm itself.
/// </summary>
public static class RobotTexts
{
    /// <summary>Whether messages of the kind go to a robot at all.</summary>
    public static bool Goes(MessageKind kind) => Words(kind, [], "", null) is not null;

    /// <summary>The robot's words for a message to someone of <paramref name="unit"/>, in Chinese; null for what stays personal.</summary>
    public static string? Text(MessageKind kind, IReadOnlyList<string> a, string unit, IStringLocalizer<SharedResource> l) =>
        Words(kind, a, unit, l) is { } words ? MessageWords.Chinese(words) : null;

    private static Func<string>? Words(MessageKind kind, IReadOnlyList<string> a, string unit, IStringLocalizer<SharedResource>? localizer)
    {
        // Without a localizer (Goes) only whether there are words is asked: the words themselves are not made.
        var l = localizer!;
        string At(int i) => i < a.Count ? a[i] : "";
#pragma warning disable CS8524 // every kind is decided here; a new one fails the build (CS8509) until someone says whether it may go to a group
        return kind switch
        {
            MessageKind.DeadlineDigest => () => l["[OneForm] {0}: {1} due within {2} days, {3} overdue — {4}", unit, At(0), At(1), At(2), At(3)],
            MessageKind.Urged => () => l["[OneForm] {0}: {1} reminds the unit to fill in “{2}” for {3}; it has not been started.", unit, At(0), At(1), At(2)],
            MessageKind.Returned or MessageKind.ReturnedToCadre => () => l["[OneForm] {0}: “{1}” was sent back; open OneForm to see why.", unit, At(0)],
            MessageKind.SignOffNeeded => () => l["[OneForm] {0}: “{1}” was submitted and waits for the unit head's sign-off.", unit, At(0)],
            MessageKind.Accepted => () => l["[OneForm] {0}: “{1}” was accepted.", unit, At(0)],
            MessageKind.Reopened => () => l["[OneForm] {0}: a value in “{1}” changed, so it is open again; submit it once more.", unit, At(0)],
            // A department's or a reporter's own business: to the person only.
            MessageKind.GrantApproved or MessageKind.GrantRefused or MessageKind.ExportReady or MessageKind.ReportDecided => null,
        };
#pragma warning restore CS8524
    }

    /// <summary>The words of an administrator's test message.</summary>
    public static string Test(string unit, IStringLocalizer<SharedResource> l) =>
        MessageWords.Chinese(() => l["[OneForm] Test message: reminders for {0} will arrive in this group.", unit]);
}
