using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;

namespace OneForm.Common;

/// <summary>Turns the tracked changes of <see cref="IAudited"/> entities into audit entries.</summary>
internal static class AuditRecorder
{
    /// <summary>Secrets and bookkeeping that never belong in the trail.</summary>
    private static readonly HashSet<string> Unrecorded =
    [
        "PasswordHash", "SecurityStamp", "ConcurrencyStamp", "NormalizedUserName", "NormalizedEmail",
        "AccessFailedCount", "RowVersion", "TokenHash", "ProtectedSecret",
    ];

    public sealed class Pending(EntityEntry entry, string action, Dictionary<string, object?[]> changes, AuditActor actor)
    {
        public AuditEntry Complete()
        {
            var type = entry.Metadata.ClrType.Name;
            var key = string.Join(",", entry.Metadata.FindPrimaryKey()!.Properties.Select(p => entry.Property(p.Name).CurrentValue));
            var unit = ((IAudited)entry.Entity).AuditOrgUnitId;
            return actor.Entry($"{type}.{action}", type, key, unit == 0 ? null : unit,
                JsonSerializer.Serialize(changes, JsonOptions), null);
        }
    }

    /// <summary>Chinese names and states (Submitted, not 1) stay readable in the trail.</summary>
    public static readonly JsonSerializerOptions JsonOptions = new()
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
    };

    public static List<Pending> Capture(ChangeTracker tracker, AuditActor actor)
    {
        var pending = new List<Pending>();
        foreach (var entry in tracker.Entries())
        {
            if (entry.Entity is AuditEntry && entry.State is EntityState.Modified or EntityState.Deleted)
            {
                throw new InvalidOperationException("The audit trail is append-only.");
            }
            if (entry.Entity is not IAudited || entry.State is EntityState.Unchanged or EntityState.Detached)
            {
                continue;
            }
            var changes = new Dictionary<string, object?[]>();
            foreach (var property in entry.Properties)
            {
                var name = property.Metadata.Name;
                if (Unrecorded.Contains(name) || property.Metadata.IsShadowProperty())
                {
                    continue;
                }
                switch (entry.State)
                {
                    case EntityState.Added when property.CurrentValue is not null && !property.Metadata.IsPrimaryKey():
                        changes[name] = [null, property.CurrentValue];
                        break;
                    case EntityState.Modified when property.IsModified && !Equals(property.OriginalValue, property.CurrentValue):
                        changes[name] = [property.OriginalValue, property.CurrentValue];
                        break;
                    case EntityState.Deleted:
                        changes[name] = [property.OriginalValue, null];
                        break;
                }
            }
            // A password is never in the trail, but that it changed (by its owner or reset by an administrator) is.
            if (entry.State == EntityState.Modified && entry.Properties.FirstOrDefault(p => p.Metadata.Name == "PasswordHash") is { IsModified: true } password
                && !Equals(password.OriginalValue, password.CurrentValue))
            {
                changes["Password"] = [null, "changed"];
            }
            if (entry.State == EntityState.Modified && changes.Count == 0)
            {
                continue;
            }
            var action = entry.State switch
            {
                EntityState.Added => "Added",
                EntityState.Deleted => "Deleted",
                _ => "Modified",
            };
            pending.Add(new Pending(entry, action, changes, actor));
        }
        return pending;
    }
}
