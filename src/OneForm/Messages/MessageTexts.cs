using Microsoft.Extensions.Localization;
using OneForm.Localization;

namespace OneForm.Messages;

/// <summary>A message's text in the reader's language, made from its kind and arguments when it is shown or sent.</summary>
public static class MessageTexts
{
    public static string Text(Message message, IStringLocalizer<SharedResource> l) => Text(message.Kind, message.Args, l);

    public static string Text(MessageKind kind, IReadOnlyList<string> a, IStringLocalizer<SharedResource> l)
    {
        string At(int i) => i < a.Count ? a[i] : "";
        // A kind without a text here does not build (CS8509, warnings are errors): every message has its words.
        // Only numbers outside the enum, which nothing writes, are let through.
#pragma warning disable CS8524
        return kind switch
        {
            MessageKind.Returned => l["“{0}” was returned: {1}", At(0), At(1)],
            MessageKind.ReturnedToCadre => l["“{0}” was sent back by the unit head: {1}", At(0), At(1)],
            MessageKind.SignOffNeeded => l["{1} submitted “{0}”; it waits for your sign-off.", At(0), At(1)],
            MessageKind.Accepted => l["“{0}” was accepted.", At(0)],
            MessageKind.Reopened => l["A value in “{0}” changed, so it is open again: submit it once more.", At(0)],
            MessageKind.GrantApproved => l["{0} granted your request: {1}.", At(0), At(1)],
            MessageKind.GrantRefused => l["{0} refused your request: {1}. Reason: {2}", At(0), At(1), At(2)],
            MessageKind.ReportDecided => l["Your report {0} was decided: {1}", At(0), At(1)],
            MessageKind.ExportReady => l["Your export {0} is ready to download.", At(0)],
            MessageKind.DeadlineDigest => l["Deadlines: {0} due within {1} days, {2} overdue — {3}", At(0), At(1), At(2), At(3)],
            MessageKind.Urged => l["{0} reminds you to fill in “{1}” for {2}: it has not been started.", At(0), At(1), At(2)],
        };
#pragma warning restore CS8524
    }
}
