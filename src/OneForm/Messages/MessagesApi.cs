using System.Security.Claims;
using Microsoft.Extensions.Localization;
using OneForm.Localization;
using OneForm.Organization;

namespace OneForm.Messages;

/// <summary>A message as its recipient reads it: the text in the caller's language, and where to go next.</summary>
public sealed record MessageView(long Id, string Kind, string Text, string? Link, DateTimeOffset CreatedAt, DateTimeOffset? ReadAt)
{
    public static MessageView Of(Message m, IStringLocalizer<SharedResource> l) =>
        new(m.Id, m.Kind.ToString(), MessageTexts.Text(m, l), m.Link, m.CreatedAt, m.ReadAt);
}

public sealed record MessageList(int Unread, IReadOnlyList<MessageView> Messages);

public sealed record UrgeRequest(string Form, string? Period = null, string? Unit = null);

public sealed record UrgeResult(int Urged, int AlreadyToday, int People, string Message);

internal static class MessagesApi
{
    public static void MapMessagesApi(this IEndpointRouteBuilder routes)
    {
        var messages = routes.MapGroup("/api/v1/messages").WithTags("Messages");
        messages.MapGet("/", async (ClaimsPrincipal user, Inbox inbox, IStringLocalizer<SharedResource> l, bool unread = false) =>
                TypedResults.Ok(new MessageList(await inbox.UnreadCountAsync(user.ActorId()),
                    (await inbox.MineAsync(user.ActorId(), 100, unread)).Select(m => MessageView.Of(m, l)).ToList())))
            .WithSummary("Your messages, newest first (the last 100; unread=true for the unread ones), with how many are unread.")
            .Allow(Operations.MessagesOwn);
        messages.MapPost("/{id:long}/read", async Task<IResult> (long id, ClaimsPrincipal user, Inbox inbox) =>
                await inbox.ReadAsync(user.ActorId(), id) is null ? TypedResults.NotFound() : TypedResults.NoContent())
            .WithSummary("Marks one of your messages read (404 for a message that is not yours).")
            .Allow(Operations.MessagesOwn);
        messages.MapPost("/read", async (ClaimsPrincipal user, Inbox inbox) =>
            {
                await inbox.ReadAllAsync(user.ActorId());
                return TypedResults.NoContent();
            })
            .WithSummary("Marks all your messages read.")
            .Allow(Operations.MessagesOwn);

        routes.MapPost("/api/v1/reminders/urge", UrgeAsync).WithTags("Messages")
            .WithSummary("A reviewer reminds (催报) the units below that have not started a form's period: each unit at most once a day.")
            .Allow(Operations.TasksUrge)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
    }

    private static async Task<IResult> UrgeAsync(UrgeRequest request, ClaimsPrincipal user, Urging urging, IStringLocalizer<SharedResource> l)
    {
        var outcome = await urging.UrgeAsync(user.Scope(), user.ActorId(), request.Form, request.Period, request.Unit);
        return outcome switch
        {
            null => TypedResults.Problem(l["No such form, period or unit below you."], statusCode: StatusCodes.Status404NotFound),
            { Urged: 0, AlreadyToday: > 0 } => TypedResults.Problem(outcome.Message, statusCode: StatusCodes.Status429TooManyRequests),
            _ => TypedResults.Ok(outcome),
        };
    }
}
