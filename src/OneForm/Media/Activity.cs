using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OneForm.Organization;

namespace OneForm.Media;

/// <summary>What a unit records (活动记录): the meetings of 三会一课, household visits and the like.</summary>
public enum ActivityKind
{
    /// <summary>支部委员会 (a branch committee meeting).</summary>
    BranchCommittee,

    /// <summary>支部党员大会 (a party members' assembly).</summary>
    MembersAssembly,

    /// <summary>党小组会 (a party group meeting).</summary>
    GroupMeeting,

    /// <summary>党课 (a party lesson).</summary>
    PartyLesson,

    /// <summary>入户走访 (a household visit).</summary>
    HouseholdVisit,

    /// <summary>村（居）民议事会 (a residents' council).</summary>
    ResidentsCouncil,

    Other,

    /// <summary>主题党日 (a themed party day), appended so the kinds' numbers stay as they were.</summary>
    ThemePartyDay,
}

/// <summary>
/// An activity a unit records, with its date, how many took part, the minutes and optional photos. A record of what
/// happened, never a quota: nothing counts photos or scores anyone by them.
/// </summary>
public sealed class Activity : IAudited
{
    public const int MaxMinutesLength = 4000;
    public const int MaxTitleLength = 100;

    public int Id { get; set; }
    public int OrgUnitId { get; set; }
    public OrgUnit? OrgUnit { get; set; }
    public ActivityKind Kind { get; set; }
    /// <summary>The recorder's own title; without one, the kind's name in the reader's language.</summary>
    public string? Title { get; set; }
    public DateOnly OccurredOn { get; set; }
    public TimeOnly? StartsAt { get; set; }
    public TimeOnly? EndsAt { get; set; }
    public int? Participants { get; set; }
    public string? Minutes { get; set; }
    public required string CreatedBy { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public List<Photo> Photos { get; set; } = [];

    int? IAudited.AuditOrgUnitId => OrgUnitId;

    public string Heading(Microsoft.Extensions.Localization.IStringLocalizer l) => Title ?? ActivityKinds.Name(Kind, l);

    /// <summary>Whether a photo taken at this local time belongs here: the same day, and within the hours if they are given (half an hour either side).</summary>
    public bool Covers(DateTimeOffset localTime)
    {
        if (DateOnly.FromDateTime(localTime.DateTime) != OccurredOn)
        {
            return false;
        }
        var time = TimeOnly.FromDateTime(localTime.DateTime);
        return (StartsAt is null || time >= StartsAt.Value.AddMinutes(-30)) && (EndsAt is null || time <= EndsAt.Value.AddMinutes(30));
    }
}

/// <summary>
/// A photo: evidence attached to a unit's activity, or waiting in the unit's inbox (from a device, at a time no
/// activity covers) until a cadre attaches it. Stored by the hash of its content; the upload's own hash makes a
/// retried upload the same photo.
/// </summary>
public sealed class Photo : IAudited
{
    public int Id { get; set; }
    public int OrgUnitId { get; set; }
    public OrgUnit? OrgUnit { get; set; }
    public int? ActivityId { get; set; }
    public Activity? Activity { get; set; }

    /// <summary>SHA-256 of the bytes as uploaded: the same upload again finds this photo.</summary>
    public required string UploadHash { get; set; }
    public required string StoredKey { get; set; }
    public required string ThumbnailKey { get; set; }
    public int Width { get; set; }
    public int Height { get; set; }
    public long Bytes { get; set; }

    /// <summary>When it was taken (from the photo, or as the device says), else null.</summary>
    public DateTimeOffset? TakenAt { get; set; }

    /// <summary>Whether the photo still carries where it was taken (only where the unit allows it).</summary>
    public bool KeepsLocation { get; set; }
    public required string UploadedBy { get; set; }
    public bool FromDevice { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    // Uploads and attachments are changes like any other: in the trail by the unit.
    int? IAudited.AuditOrgUnitId => OrgUnitId;
}

internal sealed class MediaConfiguration : IEntityTypeConfiguration<Activity>, IEntityTypeConfiguration<Photo>
{
    public void Configure(EntityTypeBuilder<Activity> activity)
    {
        activity.Property(a => a.Kind).HasConversion<string>().HasMaxLength(20);
        activity.Property(a => a.Title).HasMaxLength(Activity.MaxTitleLength);
        activity.Property(a => a.Minutes).HasMaxLength(Activity.MaxMinutesLength);
        activity.Property(a => a.CreatedBy).HasMaxLength(256);
        activity.HasOne(a => a.OrgUnit).WithMany().HasForeignKey(a => a.OrgUnitId).OnDelete(DeleteBehavior.Restrict);
        activity.HasIndex(a => new { a.OrgUnitId, a.OccurredOn });
    }

    public void Configure(EntityTypeBuilder<Photo> photo)
    {
        photo.Property(p => p.UploadHash).HasMaxLength(64);
        photo.Property(p => p.StoredKey).HasMaxLength(200);
        photo.Property(p => p.ThumbnailKey).HasMaxLength(200);
        photo.Property(p => p.UploadedBy).HasMaxLength(256);
        photo.HasOne(p => p.OrgUnit).WithMany().HasForeignKey(p => p.OrgUnitId).OnDelete(DeleteBehavior.Restrict);
        photo.HasOne(p => p.Activity).WithMany(a => a.Photos).HasForeignKey(p => p.ActivityId).OnDelete(DeleteBehavior.SetNull);
        photo.HasIndex(p => new { p.OrgUnitId, p.UploadHash }).IsUnique();
        photo.HasIndex(p => p.ActivityId);
    }
}
