using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OneForm.Organization;

namespace OneForm.Accounts.Tokens;

/// <summary>
/// A long-lived access token an administrator issues to another department's system (bound to the department)
/// or to a device such as a meeting-room camera (bound to a unit). Only its hash is stored; it can be revoked.
/// </summary>
public sealed class AccessToken : IAudited
{
    public const string SecretPrefix = "oft_";

    public int Id { get; set; }
    public required string Name { get; set; }
    public required string Prefix { get; set; }
    public required string TokenHash { get; set; }
    public Role Role { get; set; }
    public int? DepartmentId { get; set; }
    public Department? Department { get; set; }
    public int? OrgUnitId { get; set; }
    public OrgUnit? OrgUnit { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public required string CreatedBy { get; set; }
    public DateTimeOffset? ExpiresAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }

    int? IAudited.AuditOrgUnitId => OrgUnitId;

    public bool IsActive(DateTimeOffset now) => RevokedAt is null && (ExpiresAt is null || ExpiresAt > now);

    /// <summary>Makes a token and its secret; the secret is shown once and never stored.</summary>
    public static (AccessToken Token, string Secret) Issue(string name, Role role, int? departmentId, int? orgUnitId,
        DateTimeOffset now, DateTimeOffset? expiresAt, string createdBy)
    {
        var secret = SecretPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var token = new AccessToken
        {
            Name = name,
            Prefix = secret[..(SecretPrefix.Length + 6)],
            TokenHash = Hash(secret),
            Role = role,
            DepartmentId = departmentId,
            OrgUnitId = orgUnitId,
            CreatedAt = now,
            ExpiresAt = expiresAt,
            CreatedBy = createdBy,
        };
        return (token, secret);
    }

    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
}

internal sealed class AccessTokenConfiguration : IEntityTypeConfiguration<AccessToken>
{
    public void Configure(EntityTypeBuilder<AccessToken> token)
    {
        token.Property(t => t.Name).HasMaxLength(100);
        token.Property(t => t.Prefix).HasMaxLength(16);
        token.Property(t => t.TokenHash).HasMaxLength(64);
        token.HasIndex(t => t.TokenHash).IsUnique();
        token.Property(t => t.Role).HasConversion<string>().HasMaxLength(16);
        token.Property(t => t.CreatedBy).HasMaxLength(256);
        token.HasOne(t => t.Department).WithMany().HasForeignKey(t => t.DepartmentId).OnDelete(DeleteBehavior.Restrict);
        token.HasOne(t => t.OrgUnit).WithMany().HasForeignKey(t => t.OrgUnitId).OnDelete(DeleteBehavior.Restrict);
    }
}
