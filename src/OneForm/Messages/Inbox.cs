using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using OneForm.Data;

namespace OneForm.Messages;

/// <summary>
/// Each person's messages: written beside the change they tell of (saved with it, or not at all), read only by their
/// recipient. Every query here is bound to one recipient id.
/// </summary>
public sealed class Inbox(OneFormDbContext db, TimeProvider time)
{
    /// <summary>
    /// Adds a message to the pending change, with its deliveries through the channels beyond the app (the outbox): the
    /// caller's save keeps all of them or none, and the delivery loop sends them afterwards, never in the request.
    /// </summary>
    public Message Add(string recipientId, MessageKind kind, string? link, params string[] args)
    {
        var message = new Message
        {
            RecipientId = recipientId,
            Kind = kind,
            Arguments = Fit(args),
            Link = link,
            CreatedAt = time.GetUtcNow(),
        };
        db.Set<Message>().Add(message);
        foreach (var channel in Enum.GetValues<Channels.DeliveryChannel>())
        {
            if (channel == Channels.DeliveryChannel.Robot && !Channels.RobotTexts.Goes(kind))
            {
                continue;
            }
            db.Set<Channels.MessageDelivery>().Add(new Channels.MessageDelivery
            {
                Message = message, Channel = channel, NextAttemptAt = message.CreatedAt, CreatedAt = message.CreatedAt,
            });
        }
        return message;
    }

    /// <summary>Arguments as JSON within the column's length: the longest argument (a comment) is cut first.</summary>
    internal static string Fit(string[] args)
    {
        var json = JsonSerializer.Serialize(args);
        while (json.Length > Message.MaxArgumentsLength)
        {
            var longest = Array.IndexOf(args, args.MaxBy(a => a.Length));
            args[longest] = args[longest][..(args[longest].Length * 2 / 3)] + "…";
            json = JsonSerializer.Serialize(args);
        }
        return json;
    }

    /// <summary>The active accounts of a unit with one of the roles: the people a message to "the unit" reaches.</summary>
    public async Task<List<string>> PeopleOfAsync(int unitId, params Role[] roles) =>
        await db.Users.AsNoTracking()
            .Where(u => u.OrgUnitId == unitId && !u.IsDisabled && roles.Contains(u.Role))
            .OrderBy(u => u.Id).Select(u => u.Id).ToListAsync();

    /// <summary>One message to each of the unit's people with those roles.</summary>
    public async Task<int> ToUnitAsync(int unitId, Role[] roles, MessageKind kind, string? link, params string[] args)
    {
        var people = await PeopleOfAsync(unitId, roles);
        foreach (var person in people)
        {
            Add(person, kind, link, [.. args]);
        }
        return people.Count;
    }

    public Task<List<Message>> MineAsync(string recipientId, int take = 50, bool unreadOnly = false, CancellationToken cancellationToken = default) =>
        db.Set<Message>().AsNoTracking()
            .Where(m => m.RecipientId == recipientId && (!unreadOnly || m.ReadAt == null))
            .OrderByDescending(m => m.CreatedAt).ThenByDescending(m => m.Id)
            .Take(take).ToListAsync(cancellationToken);

    public Task<int> UnreadCountAsync(string recipientId, CancellationToken cancellationToken = default) =>
        db.Set<Message>().CountAsync(m => m.RecipientId == recipientId && m.ReadAt == null, cancellationToken);

    /// <summary>Marks one of the recipient's messages read; null when it is not theirs (or does not exist).</summary>
    public async Task<Message?> ReadAsync(string recipientId, long id, CancellationToken cancellationToken = default)
    {
        var message = await db.Set<Message>().SingleOrDefaultAsync(m => m.Id == id && m.RecipientId == recipientId, cancellationToken);
        if (message is null)
        {
            return null;
        }
        message.ReadAt ??= time.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        return message;
    }

    public async Task<int> ReadAllAsync(string recipientId, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        return await db.Set<Message>().Where(m => m.RecipientId == recipientId && m.ReadAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.ReadAt, now), cancellationToken);
    }

    /// <summary>A link is followed only inside OneForm: a path, never another site.</summary>
    public static bool IsLocal(string? link) =>
        link is { Length: > 1 } && link[0] == '/' && link[1] is not ('/' or '\\');
}
