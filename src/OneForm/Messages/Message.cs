using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace OneForm.Messages;

/// <summary>What a message is about; its text is made from the kind and its arguments when it is read (<see cref="MessageTexts"/>).</summary>
public enum MessageKind
{
    /// <summary>A reviewer sent a submission back: [subject, comment].</summary>
    Returned,

    /// <summary>The unit head sent a submission back to the cadre: [subject, comment].</summary>
    ReturnedToCadre,

    /// <summary>A cadre submitted; the unit head signs: [subject, unit].</summary>
    SignOffNeeded,

    /// <summary>A reviewer accepted a submission: [subject].</summary>
    Accepted,

    /// <summary>A changed value took an accepted or submitted form back to the unit: [subject].</summary>
    Reopened,

    /// <summary>The owner granted what a department asked for: [owner department, what].</summary>
    GrantApproved,

    /// <summary>The owner refused it: [owner department, what, reason].</summary>
    GrantRefused,

    /// <summary>A report the person filed was decided: [report number, outcome].</summary>
    ReportDecided,

    /// <summary>An export the person asked for is ready: [file name].</summary>
    ExportReady,

    /// <summary>The day's deadlines of the person's unit: [due soon count, overdue count, list].</summary>
    DeadlineDigest,

    /// <summary>A reviewer's reminder (催报) to a unit that has not started: [reviewer's unit, form, period].</summary>
    Urged,
}

/// <summary>
/// A message to one person (by account id, never by name): in the app's message centre, and through the channels an
/// administrator configures. Its text is not stored: the kind and its arguments are, and the text is made in the
/// reader's language when it is shown, so switching language changes old messages too and a wording fix reaches them.
/// The arguments are the things people typed or named (a form's name, a comment), kept as they were.
/// </summary>
public sealed class Message
{
    public const int MaxArgumentsLength = 4000;

    public long Id { get; set; }
    public required string RecipientId { get; set; }
    public MessageKind Kind { get; set; }

    /// <summary>The arguments, as a JSON array of strings.</summary>
    public string Arguments { get; set; } = "[]";

    /// <summary>Where the next step is, a path inside OneForm (null: nowhere to go).</summary>
    public string? Link { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? ReadAt { get; set; }

    public IReadOnlyList<string> Args =>
        System.Text.Json.JsonSerializer.Deserialize<List<string>>(Arguments) ?? [];
}

/// <summary>
/// A reminder sent to a unit, so the same one is not sent twice: the deadline reminders once per unit, deadline and
/// kind; a reviewer's 催报 once per unit and day.
/// </summary>
public sealed class Reminder
{
    public const string Urge = "Urge";
    public const string DueSoon = "DueSoon";
    public const string Overdue = "Overdue";

    public int Id { get; set; }
    public int OrgUnitId { get; set; }
    public required string Kind { get; set; }

    /// <summary>What it is once for: the deadline, or the day of a 催报 (yyyy-MM-dd).</summary>
    public required string Key { get; set; }

    public DateTimeOffset SentAt { get; set; }
    public string? SentBy { get; set; }
}

internal sealed class MessageConfiguration : IEntityTypeConfiguration<Message>
{
    public void Configure(EntityTypeBuilder<Message> message)
    {
        message.ToTable("Messages");
        message.Property(m => m.RecipientId).HasMaxLength(256);
        message.Property(m => m.Kind).HasConversion<string>().HasMaxLength(32);
        message.Property(m => m.Arguments).HasMaxLength(Message.MaxArgumentsLength);
        message.Property(m => m.Link).HasMaxLength(300);
        message.Ignore(m => m.Args);
        // The header counts a person's unread messages on every page.
        message.HasIndex(m => new { m.RecipientId, m.ReadAt });
        message.HasIndex(m => new { m.RecipientId, m.CreatedAt });
    }
}

internal sealed class ReminderConfiguration : IEntityTypeConfiguration<Reminder>
{
    public void Configure(EntityTypeBuilder<Reminder> reminder)
    {
        reminder.ToTable("Reminders");
        reminder.Property(r => r.Kind).HasMaxLength(16);
        reminder.Property(r => r.Key).HasMaxLength(32);
        reminder.Property(r => r.SentBy).HasMaxLength(256);
        // Two nodes (or two taps) cannot remind a unit of the same thing twice.
        reminder.HasIndex(r => new { r.OrgUnitId, r.Kind, r.Key }).IsUnique();
    }
}
