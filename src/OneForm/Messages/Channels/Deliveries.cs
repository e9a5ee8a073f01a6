using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OneForm.Organization;

namespace OneForm.Messages.Channels;

/// <summary>The ways a message goes out beyond the app, each configured by an administrator.</summary>
public enum DeliveryChannel
{
    /// <summary>A web push to each device its recipient turned reminders on for.</summary>
    Push,

    /// <summary>A text to the messaging robot (政务钉钉/企业微信 kind) of the recipient's unit or the nearest unit above it.</summary>
    Robot,
}

/// <summary>
/// One message's going out through one channel (the outbox): added in the same save as the message, so a message is
/// never sent without being kept nor kept without being sent; the delivery loop sends it, marks it done, and retries a
/// failure a bounded number of times with growing delays.
/// </summary>
public sealed class MessageDelivery
{
    public const int MaxOutcomeLength = 40;

    public long Id { get; set; }

    /// <summary>The message sent; null for an administrator's test message to one robot.</summary>
    public long? MessageId { get; set; }
    public Message? Message { get; set; }

    public DeliveryChannel Channel { get; set; }

    /// <summary>The robot it went (or goes) to: chosen when sent for a message, fixed for a test message.</summary>
    public int? RobotChannelId { get; set; }

    /// <summary>The words of a test message (a message's words are made from the message when sent).</summary>
    public string? Text { get; set; }

    public int Attempts { get; set; }
    public DateTimeOffset NextAttemptAt { get; set; }

    /// <summary>When it was settled: sent, nowhere to send, or given up.</summary>
    public DateTimeOffset? DoneAt { get; set; }

    /// <summary>How it ended, or why the last attempt failed: see <see cref="Outcomes"/>.</summary>
    public string? Outcome { get; set; }

    public int? LastStatus { get; set; }

    /// <summary>The push subscriptions already reached (comma-separated ids), so a retry after one device failed does not repeat it on the others.</summary>
    public string? Reached { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>How a delivery ended (stored as a code, worded for the administrator when shown).</summary>
public static class Outcomes
{
    public const string Sent = "sent";
    public const string NoTarget = "no-target";
    public const string NotForRobot = "not-for-robot";
    public const string Failed = "failed";
    public const string GaveUp = "gave-up";
}

/// <summary>A device on which a person turned reminders on: the browser's push subscription, bound to their account.</summary>
public sealed class PushSubscription
{
    public const int MaxEndpointLength = 1000;

    public int Id { get; set; }
    public required string UserId { get; set; }
    public required string Endpoint { get; set; }

    /// <summary>The browser's P-256 public key (base64url), to which the payload is encrypted.</summary>
    public required string P256dh { get; set; }

    /// <summary>The browser's 16-byte authentication secret (base64url).</summary>
    public required string Auth { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>
/// A messaging robot (群机器人) of a unit's group: the messages of the people in the unit's subtree reach it, unless a
/// unit nearer to them has its own. Its signing secret is kept encrypted with the app's data-protection keys.
/// </summary>
public sealed class RobotChannel : IAudited
{
    public int Id { get; set; }
    public int OrgUnitId { get; set; }
    public OrgUnit? OrgUnit { get; set; }
    public required string Url { get; set; }

    /// <summary>The signing secret, protected (never shown again, never in the audit trail: see <see cref="SecretSetAt"/>).</summary>
    public string? ProtectedSecret { get; set; }

    /// <summary>When the secret was last set: the audit trail shows that it changed, not what it is.</summary>
    public DateTimeOffset? SecretSetAt { get; set; }

    public bool IsEnabled { get; set; } = true;
    public DateTimeOffset UpdatedAt { get; set; }
    public required string UpdatedBy { get; set; }

    int? IAudited.AuditOrgUnitId => OrgUnitId;
}

internal sealed class ChannelConfiguration : IEntityTypeConfiguration<MessageDelivery>, IEntityTypeConfiguration<PushSubscription>,
    IEntityTypeConfiguration<RobotChannel>
{
    public void Configure(EntityTypeBuilder<MessageDelivery> delivery)
    {
        delivery.ToTable("MessageDeliveries");
        delivery.Property(d => d.Channel).HasConversion<string>().HasMaxLength(16);
        delivery.Property(d => d.Text).HasMaxLength(500);
        delivery.Property(d => d.Outcome).HasMaxLength(MessageDelivery.MaxOutcomeLength);
        delivery.Property(d => d.Reached).HasMaxLength(500);
        // The loop looks for what is not done and due.
        delivery.HasIndex(d => new { d.DoneAt, d.NextAttemptAt });
        delivery.HasIndex(d => d.MessageId);
        delivery.HasIndex(d => d.RobotChannelId);
        delivery.HasOne(d => d.Message).WithMany().HasForeignKey(d => d.MessageId).OnDelete(DeleteBehavior.Cascade);
        delivery.HasOne<RobotChannel>().WithMany().HasForeignKey(d => d.RobotChannelId).OnDelete(DeleteBehavior.SetNull);
    }

    public void Configure(EntityTypeBuilder<PushSubscription> subscription)
    {
        subscription.ToTable("PushSubscriptions");
        subscription.Property(s => s.UserId).HasMaxLength(256);
        subscription.Property(s => s.Endpoint).HasMaxLength(PushSubscription.MaxEndpointLength);
        subscription.Property(s => s.P256dh).HasMaxLength(100);
        subscription.Property(s => s.Auth).HasMaxLength(50);
        subscription.HasIndex(s => s.Endpoint).IsUnique();
        subscription.HasIndex(s => s.UserId);
    }

    public void Configure(EntityTypeBuilder<RobotChannel> robot)
    {
        robot.ToTable("RobotChannels");
        robot.Property(r => r.Url).HasMaxLength(500);
        robot.Property(r => r.ProtectedSecret).HasMaxLength(1000);
        robot.Property(r => r.UpdatedBy).HasMaxLength(256);
        // One robot per unit; the nearest configured unit above a person wins.
        robot.HasIndex(r => r.OrgUnitId).IsUnique();
        robot.HasOne(r => r.OrgUnit).WithMany().HasForeignKey(r => r.OrgUnitId).OnDelete(DeleteBehavior.Restrict);
    }
}
