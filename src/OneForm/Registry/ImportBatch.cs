using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace OneForm.Registry;

public enum BatchState
{
    Running,
    Completed,
    Failed,
}

/// <summary>One import of a registry file: who, when, what file, the counts, how long, and how far it got.</summary>
public sealed class ImportBatch
{
    public long Id { get; set; }
    public required string Kind { get; set; }
    public required string FileName { get; set; }
    public required string StartedBy { get; set; }
    public DateTimeOffset StartedAt { get; set; }

    /// <summary>Moved forward with every chunk: a running batch whose heartbeat stopped was interrupted.</summary>
    public DateTimeOffset UpdatedAt { get; set; }

    public DateTimeOffset? FinishedAt { get; set; }
    public BatchState State { get; set; }
    public long TotalBytes { get; set; }
    public long BytesRead { get; set; }
    public int Read { get; set; }
    public int Inserted { get; set; }
    public int Updated { get; set; }
    public int Unchanged { get; set; }
    public int Rejected { get; set; }
    public string? Problem { get; set; }

    public static readonly TimeSpan Heartbeat = TimeSpan.FromMinutes(2);

    public bool WasInterrupted(DateTimeOffset now) => State == BatchState.Running && UpdatedAt < now - Heartbeat;

    /// <summary>How long the batch took (or has taken so far).</summary>
    public TimeSpan Duration => (FinishedAt ?? UpdatedAt) - StartedAt;

    public int Percent => TotalBytes <= 0 ? 0 : (int)Math.Min(100, BytesRead * 100 / TotalBytes);
}

/// <summary>A rejected row of a batch, with its line, column and reason; downloadable as CSV.</summary>
public sealed class ImportRejection
{
    public long Id { get; set; }
    public long BatchId { get; set; }
    public int Line { get; set; }
    public string? Column { get; set; }
    public string? Value { get; set; }
    public required string Reason { get; set; }
}

/// <summary>A setting the app makes for itself, such as the generated development key for identity numbers.</summary>
public sealed class AppSetting
{
    public required string Key { get; set; }
    public required string Value { get; set; }
}

internal sealed class ImportBatchConfiguration : IEntityTypeConfiguration<ImportBatch>
{
    public void Configure(EntityTypeBuilder<ImportBatch> batch)
    {
        batch.Property(b => b.Kind).HasMaxLength(20);
        batch.Property(b => b.FileName).HasMaxLength(260);
        batch.Property(b => b.StartedBy).HasMaxLength(256);
        batch.Property(b => b.State).HasConversion<string>().HasMaxLength(16);
        batch.Property(b => b.Problem).HasMaxLength(1000);
        batch.Ignore(b => b.Percent);
        batch.Ignore(b => b.Duration);
    }
}

internal sealed class ImportRejectionConfiguration : IEntityTypeConfiguration<ImportRejection>
{
    public void Configure(EntityTypeBuilder<ImportRejection> rejection)
    {
        rejection.HasIndex(r => new { r.BatchId, r.Line });
        rejection.Property(r => r.Column).HasMaxLength(40);
        rejection.Property(r => r.Value).HasMaxLength(100);
        rejection.Property(r => r.Reason).HasMaxLength(500);
    }
}

internal sealed class AppSettingConfiguration : IEntityTypeConfiguration<AppSetting>
{
    public void Configure(EntityTypeBuilder<AppSetting> setting)
    {
        setting.HasKey(s => s.Key);
        setting.Property(s => s.Key).HasMaxLength(100);
        setting.Property(s => s.Value).HasMaxLength(1000);
    }
}
