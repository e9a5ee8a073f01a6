using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using OneForm.Data;
using OneForm.Localization;
using OneForm.Organization;

namespace OneForm.Messages.Channels;

/// <summary>A robot as the administrator's page lists it: where it is, whether it signs, and how its last delivery went.</summary>
public sealed record RobotRow(RobotChannel Robot, string UnitName, string UnitCode, MessageDelivery? Last);

/// <summary>
/// The administrator's robots, one per unit at most. Each change is in the audit trail (RobotChannel is audited: who
/// changed which robot, by id; the secret only as the time it was set). A test message goes through the outbox like any
/// other, so the page never waits on a robot.
/// </summary>
public sealed class RobotChannels(OneFormDbContext db, IDataProtectionProvider protection, TimeProvider time, ChannelSignal signal,
    IStringLocalizer<SharedResource> l)
{
    public const int MaxUrlLength = 500;

    public async Task<List<RobotRow>> AllAsync()
    {
        var robots = await db.Set<RobotChannel>().AsNoTracking().Include(r => r.OrgUnit).OrderBy(r => r.OrgUnit!.Path).ToListAsync();
        var rows = new List<RobotRow>();
        foreach (var robot in robots)
        {
            var last = await db.Set<MessageDelivery>().AsNoTracking().Where(d => d.RobotChannelId == robot.Id && d.Attempts > 0)
                .OrderByDescending(d => d.Id).FirstOrDefaultAsync();
            rows.Add(new RobotRow(robot, robot.OrgUnit!.Name, robot.OrgUnit.Code, last));
        }
        return rows;
    }

    /// <summary>How many devices have web push turned on, for the administrator's page.</summary>
    public Task<int> PushDevicesAsync() => db.Set<PushSubscription>().CountAsync();

    /// <summary>Sets the unit's robot (a new one, or the one it has); an empty secret keeps the one kept. Returns the problem, or null.</summary>
    public async Task<string?> SaveAsync(OrgUnit unit, string? url, string? secret, bool enabled, string actor)
    {
        url = url?.Trim();
        if (url is not { Length: > 0 and <= MaxUrlLength } || !Uri.TryCreate(url, UriKind.Absolute, out var address)
            || address.Scheme is not ("https" or "http") || !string.IsNullOrEmpty(address.UserInfo) || !string.IsNullOrEmpty(address.Fragment))
        {
            return l["The robot's address must be a web address (https://…) of at most {0} characters.", MaxUrlLength];
        }
        secret = secret?.Trim();
        if (secret is { Length: > 200 })
        {
            return l["{0} is longer than {1} characters.", l["Signing secret"], 200];
        }
        var robot = await db.Set<RobotChannel>().SingleOrDefaultAsync(r => r.OrgUnitId == unit.Id);
        var now = time.GetUtcNow();
        if (robot is null)
        {
            robot = new RobotChannel { OrgUnitId = unit.Id, Url = url, UpdatedBy = actor };
            db.Set<RobotChannel>().Add(robot);
        }
        (robot.Url, robot.IsEnabled, robot.UpdatedAt, robot.UpdatedBy) = (url, enabled, now, actor);
        if (secret is { Length: > 0 })
        {
            (robot.ProtectedSecret, robot.SecretSetAt) = (protection.CreateProtector(ChannelSecrets.Purpose).Protect(secret), now);
        }
        await db.SaveChangesAsync();
        return null;
    }

    public async Task<bool> SetEnabledAsync(int id, bool enabled, string actor)
    {
        var robot = await db.Set<RobotChannel>().SingleOrDefaultAsync(r => r.Id == id);
        if (robot is null)
        {
            return false;
        }
        (robot.IsEnabled, robot.UpdatedAt, robot.UpdatedBy) = (enabled, time.GetUtcNow(), actor);
        await db.SaveChangesAsync();
        return true;
    }

    public async Task<bool> RemoveAsync(int id)
    {
        var robot = await db.Set<RobotChannel>().SingleOrDefaultAsync(r => r.Id == id);
        if (robot is null)
        {
            return false;
        }
        db.Remove(robot);
        await db.SaveChangesAsync();
        return true;
    }

    /// <summary>Queues a test message to the robot and wakes the loop: it arrives within seconds, and the page shows how it went.</summary>
    public async Task<bool> TestAsync(int id)
    {
        var robot = await db.Set<RobotChannel>().Include(r => r.OrgUnit).SingleOrDefaultAsync(r => r.Id == id);
        if (robot is null)
        {
            return false;
        }
        var now = time.GetUtcNow();
        db.Set<MessageDelivery>().Add(new MessageDelivery
        {
            Channel = DeliveryChannel.Robot, RobotChannelId = robot.Id, Text = RobotTexts.Test(robot.OrgUnit!.Name, l), NextAttemptAt = now, CreatedAt = now,
        });
        await db.SaveChangesAsync();
        signal.Queued();
        return true;
    }
}
