using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using OneForm.Accounts;
using OneForm.Data;
using OneForm.Localization;
using OneForm.Organization;

namespace OneForm.Media;

public sealed record ActivityRequest(ActivityKind Kind, DateOnly OccurredOn, string? Title = null, TimeOnly? StartsAt = null, TimeOnly? EndsAt = null,
    int? Participants = null, string? Minutes = null, string? Unit = null);

public sealed record PhotoView(int Id, int? Activity, string Unit, int Width, int Height, long Bytes, DateTimeOffset? TakenAt, bool FromDevice,
    string UploadedBy, string File, string Thumbnail)
{
    public static PhotoView Of(Photo p, string unit) => new(p.Id, p.ActivityId, unit, p.Width, p.Height, p.Bytes, p.TakenAt, p.FromDevice, p.UploadedBy,
        $"/api/v1/photos/{p.Id}/file", $"/api/v1/photos/{p.Id}/thumbnail");
}

/// <summary>An activity as read; <paramref name="Reopened"/> only in the answer to a recording that sent forms back to the unit.</summary>
public sealed record ActivityView(int Id, string Unit, string UnitName, string Kind, string Title, DateOnly OccurredOn, TimeOnly? StartsAt, TimeOnly? EndsAt,
    int? Participants, string? Minutes, string CreatedBy, DateTimeOffset CreatedAt, IReadOnlyList<PhotoView> Photos,
    IReadOnlyList<Collection.ReopenedTask>? Reopened = null)
{
    public static ActivityView Of(Activity a, IStringLocalizer l) => new(a.Id, a.OrgUnit!.Code, a.OrgUnit.Name, a.Kind.ToString(), a.Heading(l), a.OccurredOn, a.StartsAt, a.EndsAt,
        a.Participants, a.Minutes, a.CreatedBy, a.CreatedAt, [.. a.Photos.OrderBy(p => p.TakenAt ?? p.CreatedAt).Select(p => PhotoView.Of(p, a.OrgUnit.Code))]);
}

public sealed record AttachRequest(int Activity);

/// <summary>How many activities of each kind a unit recorded in a time: counts of records, never of photos.</summary>
public sealed record ActivityCount(string Unit, string UnitName, IReadOnlyDictionary<string, int> Kinds, int Total);

/// <summary>
/// Told of each activity recorded, so the figures counted from activity records (the 三会一课 counts) follow. Owned
/// here and implemented by a higher module (Ledgers), as the registry owns <c>IDerivedValues</c>.
/// </summary>
public interface IActivityCounts
{
    /// <summary>The counts follow the activity; returns the forms sent back to the unit because a count they held changed.</summary>
    Task<IReadOnlyList<Collection.ReopenedTask>> RecordedAsync(Activity activity, CancellationToken cancellationToken = default);
}

/// <summary>Recording activities and taking in their photos; everything checked against the caller's unit.</summary>
public sealed class Activities(OneFormDbContext db, DisplayTime time, IStringLocalizer<SharedResource> l, IEnumerable<IActivityCounts> counts)
{
    /// <summary>
    /// Records an activity of <paramref name="unit"/> (the caller has been checked to fill for it), or the problems by
    /// field; with the forms sent back to the unit because a count they held changed (a meeting recorded late).
    /// </summary>
    public async Task<(Activity? Activity, Dictionary<string, string[]> Errors, IReadOnlyList<Collection.ReopenedTask> Reopened)> RecordAsync(
        string userName, OrgUnit unit, ActivityRequest request)
    {
        var errors = new Dictionary<string, string[]>();
        void Problem(string field, string message) => errors[field] = [message];
        if (!Enum.IsDefined(request.Kind))
        {
            Problem(nameof(request.Kind), l["Choose what kind of activity it was."]);
        }
        var title = string.IsNullOrWhiteSpace(request.Title) ? null : request.Title.Trim();
        if (title is { Length: > Activity.MaxTitleLength })
        {
            Problem(nameof(request.Title), l["The title has {0} characters; at most {1}.", title.Length, Activity.MaxTitleLength]);
        }
        if (request.OccurredOn > time.Today || request.OccurredOn < time.Today.AddYears(-5))
        {
            Problem(nameof(request.OccurredOn), l["The date {0} is in the future or more than five years ago.", request.OccurredOn.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)]);
        }
        if (request.StartsAt is { } starts && request.EndsAt is { } ends && ends < starts)
        {
            Problem(nameof(request.EndsAt), l["The activity ends before it starts."]);
        }
        if (request.Participants is < 0 or > 100_000)
        {
            Problem(nameof(request.Participants), l["The number of participants must be between 0 and {0}.", 100_000]);
        }
        var minutes = string.IsNullOrWhiteSpace(request.Minutes) ? null : request.Minutes.Trim();
        if (minutes is { Length: > Activity.MaxMinutesLength })
        {
            Problem(nameof(request.Minutes), l["The minutes have {0} characters; at most {1}.", minutes.Length, Activity.MaxMinutesLength]);
        }
        if (InputRules.Problem(title, l["Activity title"], l) is { } badTitle)
        {
            Problem(nameof(request.Title), badTitle);
        }
        if (InputRules.Problem(minutes, l["Minutes"], l, multiline: true) is { } badMinutes)
        {
            Problem(nameof(request.Minutes), badMinutes);
        }
        if (errors.Count > 0)
        {
            return (null, errors, []);
        }
        var activity = new Activity
        {
            OrgUnitId = unit.Id,
            Kind = request.Kind,
            Title = title,
            OccurredOn = request.OccurredOn,
            StartsAt = request.StartsAt,
            EndsAt = request.EndsAt,
            Participants = request.Participants,
            Minutes = minutes,
            CreatedBy = userName,
            CreatedAt = time.Time.GetUtcNow(),
        };
        db.Activities.Add(activity);
        await db.SaveChangesAsync();
        var reopened = new List<Collection.ReopenedTask>();
        foreach (var count in counts)
        {
            reopened.AddRange(await count.RecordedAsync(activity));
        }
        return (activity, errors, reopened);
    }

    /// <summary>The activities of the units the caller may see below <paramref name="root"/>, newest first, with their photos.</summary>
    public Task<List<Activity>> TimelineAsync(CallerScope scope, OrgUnit root, int take = 50) =>
        db.Activities.AsNoTracking().Include(a => a.OrgUnit).Include(a => a.Photos)
            .Where(a => scope.UnitsWhoseTasksAreVisible(db.OrgUnits.InSubtree(root.Path)).Select(u => u.Id).Contains(a.OrgUnitId))
            .OrderByDescending(a => a.OccurredOn).ThenByDescending(a => a.Id).Take(take).ToListAsync();

    /// <summary>The unit's photos not attached to an activity yet (from devices), newest first.</summary>
    public Task<List<Photo>> InboxAsync(int unitId, int take = 200) =>
        db.Photos.AsNoTracking().Where(p => p.OrgUnitId == unitId && p.ActivityId == null).OrderByDescending(p => p.Id).Take(take).ToListAsync();

    /// <summary>Attaches a photo to an activity of the same unit, for those who fill for that unit; null when either is out of reach.</summary>
    public async Task<Photo?> AttachAsync(CallerScope scope, int photoId, int activityId)
    {
        var photo = await db.Photos.Include(p => p.OrgUnit).SingleOrDefaultAsync(p => p.Id == photoId);
        var activity = await FindAsync(scope, activityId);
        if (photo is null || activity is null || !scope.CanFillFor(photo.OrgUnit!) || activity.OrgUnitId != photo.OrgUnitId)
        {
            return null;
        }
        photo.ActivityId = activity.Id;
        await db.SaveChangesAsync();
        return photo;
    }

    public async Task<Activity?> FindAsync(CallerScope scope, int id)
    {
        var activity = await db.Activities.Include(a => a.OrgUnit).Include(a => a.Photos).SingleOrDefaultAsync(a => a.Id == id);
        return activity is not null && scope.CanSeeTasksOf(activity.OrgUnit!) ? activity : null;
    }
}

public static class ActivityKinds
{
    public static string Name(ActivityKind kind, IStringLocalizer l) => kind switch
    {
        ActivityKind.BranchCommittee => l["Branch committee meeting"],
        ActivityKind.MembersAssembly => l["Party members' assembly"],
        ActivityKind.GroupMeeting => l["Party group meeting"],
        ActivityKind.PartyLesson => l["Party lesson"],
        ActivityKind.HouseholdVisit => l["Household visit"],
        ActivityKind.ResidentsCouncil => l["Residents' council"],
        ActivityKind.ThemePartyDay => l["Themed party day"],
        ActivityKind.Other => l["Other activity"],
    };
}

internal static class MediaApi
{
    public static void MapMediaApi(this IEndpointRouteBuilder routes)
    {
        var activities = routes.MapGroup("/api/v1/activities").WithTags("Field");
        activities.MapPost("/", RecordAsync).WithSummary("Record an activity of your unit (三会一课, a household visit...): date, participants, minutes; photos follow.")
            .Allow(Operations.ActivitiesRecord);
        activities.MapGet("/", TimelineAsync).WithSummary("The activities of a unit and the units below it that you may see, newest first, with their photos.")
            .Allow(Operations.ActivitiesRead);
        activities.MapGet("/{id:int}", async Task<IResult> (int id, ClaimsPrincipal user, Activities all, IStringLocalizer<SharedResource> l) =>
                await all.FindAsync(user.Scope(), id) is { } activity ? TypedResults.Ok(ActivityView.Of(activity, l)) : TypedResults.NotFound())
            .WithSummary("One activity with its photos.")
            .Allow(Operations.ActivitiesRead);

        activities.MapGet("/counts", CountsAsync)
            .WithSummary("How many activities of each kind the units below a unit recorded between two dates (from=, to=): for the reviewers above them, and for departments owning or granted 支部委员会召开次数 (BRANCH_COMMITTEE_MEETINGS) over that subtree.")
            .Allow(Operations.ActivityCounts);

        var photos = routes.MapGroup("/api/v1/photos").WithTags("Field");
        photos.MapPost("/", UploadAsync)
            .WithSummary("Upload one photo (the body is the image: JPEG, PNG or WebP) to an activity (activity=ID) or to your unit's inbox; the same bytes again are the same photo.")
            .WithDescription("A device's photo without an activity lands in the activity of its unit that covers the time it was taken (takenAt=, else the photo's own time), or in the inbox. " +
                "The photo is decoded to prove it is one, turned upright, scaled to at most 1600 px and stripped of its location unless the unit keeps locations.")
            .Allow(Operations.PhotosUpload);
        photos.MapGet("/inbox", InboxAsync).WithSummary("Photos of your unit not attached to an activity yet (from devices).")
            .Allow(Operations.PhotosInbox);
        photos.MapPost("/{id:int}/attach", AttachAsync).WithSummary("Attach a photo from the inbox to an activity of the same unit.")
            .Allow(Operations.ActivitiesRecord);
        photos.MapGet("/{id:int}/file", (int id, ClaimsPrincipal user, OneFormDbContext db, IFileStore store) => ServeAsync(id, user, db, store, thumbnail: false))
            .WithSummary("The photo, for those who may see its unit's activities.")
            .Allow(Operations.PhotosRead);
        photos.MapGet("/{id:int}/thumbnail", (int id, ClaimsPrincipal user, OneFormDbContext db, IFileStore store) => ServeAsync(id, user, db, store, thumbnail: true))
            .WithSummary("Its thumbnail (320 px).")
            .Allow(Operations.PhotosRead);
    }

    /// <summary>The element whose grant lets a department see activity counts: 三会一课 figures are 组织部's.</summary>
    public const string CountsElement = "BRANCH_COMMITTEE_MEETINGS";

    private static async Task<IResult> CountsAsync(ClaimsPrincipal user, OneFormDbContext db, Sharing.SharingPolicy policy, string unit, DateOnly from, DateOnly to)
    {
        var scope = user.Scope();
        var root = await db.OrgUnits.AsNoTracking().SingleOrDefaultAsync(u => u.Code == unit);
        if (root is null)
        {
            return TypedResults.NotFound();
        }
        var allowed = scope.Role == Role.Department
            ? await db.DataElements.Where(e => e.Code == CountsElement).Select(e => (int?)e.Id).SingleOrDefaultAsync() is { } element
              && await policy.CoversSubtreeAsync(scope, element, root.Path)
            : scope.CanSeeTasksOf(root);
        if (!allowed)
        {
            return TypedResults.Forbid();
        }
        var below = db.OrgUnits.InSubtree(root.Path).Select(u => u.Id);
        var rows = await db.Activities.AsNoTracking().Where(a => below.Contains(a.OrgUnitId) && a.OccurredOn >= from && a.OccurredOn <= to)
            .GroupBy(a => new { a.OrgUnitId, a.Kind }).Select(g => new { g.Key.OrgUnitId, g.Key.Kind, Count = g.Count() }).ToListAsync();
        var ids = rows.Select(r => r.OrgUnitId).Distinct().ToList();
        var units = await db.OrgUnits.AsNoTracking().Where(u => ids.Contains(u.Id)).ToDictionaryAsync(u => u.Id);
        return TypedResults.Ok(rows.GroupBy(r => r.OrgUnitId).OrderBy(g => units[g.Key].Code)
            .Select(g => new ActivityCount(units[g.Key].Code, units[g.Key].Name, g.ToDictionary(r => r.Kind.ToString(), r => r.Count), g.Sum(r => r.Count)))
            .ToList());
    }

    private static async Task<IResult> RecordAsync(ActivityRequest request, ClaimsPrincipal user, OneFormDbContext db, Activities activities,
        IStringLocalizer<SharedResource> l)
    {
        var scope = user.Scope();
        var unit = await UnitAsync(db, scope, request.Unit);
        if (unit is null || !scope.CanFillFor(unit) || !scope.Admits(Operations.ActivitiesRecord))
        {
            return TypedResults.Forbid();
        }
        var (activity, errors, reopened) = await activities.RecordAsync(user.ActorId(), unit, request);
        return activity is null
            ? TypedResults.ValidationProblem(errors)
            : TypedResults.Created($"/api/v1/activities/{activity.Id}", ActivityView.Of((await activities.FindAsync(scope, activity.Id))!, l) with { Reopened = reopened });
    }

    private static async Task<IResult> TimelineAsync(ClaimsPrincipal user, OneFormDbContext db, Activities activities, IStringLocalizer<SharedResource> l,
        string? unit)
    {
        var scope = user.Scope();
        var root = await UnitAsync(db, scope, unit);
        if (root is null || !scope.CanSeeTasksOf(root))
        {
            return TypedResults.NotFound();
        }
        return TypedResults.Ok((await activities.TimelineAsync(scope, root)).Select(a => ActivityView.Of(a, l)).ToList());
    }

    private static async Task<IResult> UploadAsync(HttpRequest request, ClaimsPrincipal user, OneFormDbContext db, Photos photos, Activities activities,
        TimeProvider time, IStringLocalizer<SharedResource> l, int? activity, string? unit, DateTimeOffset? takenAt)
    {
        // A camera's clock may be off by a little, not by centuries.
        if (takenAt is { } at && (at.Year < 2000 || at > time.GetUtcNow().AddDays(1)))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { [nameof(takenAt)] = [l["{0} must be a time from the year 2000 until now.", nameof(takenAt)]] });
        }
        var scope = user.Scope();
        Activity? target = null;
        if (activity is { } id && (target = await activities.FindAsync(scope, id)) is null)
        {
            return TypedResults.NotFound();
        }
        var owner = target?.OrgUnit ?? await UnitAsync(db, scope, unit);
        if (owner is null)
        {
            return TypedResults.NotFound();
        }
        var (upload, status, problem) = await photos.ReadAsync(request);
        if (upload is null)
        {
            return Problem(status, problem!);
        }
        var result = await photos.AddAsync(scope, user.ActorId(), owner, target, upload, takenAt, request.HttpContext.RequestAborted);
        return result switch
        {
            { Photo: { } photo, Created: true } => TypedResults.Created($"/api/v1/photos/{photo.Id}", PhotoView.Of(photo, owner.Code)),
            { Photo: { } photo } => TypedResults.Ok(PhotoView.Of(photo, owner.Code)),
            { Status: StatusCodes.Status404NotFound } => TypedResults.NotFound(),
            _ => Problem(result.Status, result.Problem!),
        };
    }

    private static IResult Problem(int status, string detail) => TypedResults.Problem(detail, statusCode: status);

    private static async Task<IResult> InboxAsync(ClaimsPrincipal user, OneFormDbContext db, Activities activities, string? unit)
    {
        var scope = user.Scope();
        var owner = await UnitAsync(db, scope, unit);
        if (owner is null || !scope.CanSeeTasksOf(owner))
        {
            return TypedResults.NotFound();
        }
        return TypedResults.Ok((await activities.InboxAsync(owner.Id)).Select(p => PhotoView.Of(p, owner.Code)).ToList());
    }

    private static async Task<IResult> AttachAsync(int id, AttachRequest request, ClaimsPrincipal user, Activities activities) =>
        await activities.AttachAsync(user.Scope(), id, request.Activity) is { } photo
            ? TypedResults.Ok(PhotoView.Of(photo, photo.OrgUnit!.Code))
            : TypedResults.NotFound();

    private static async Task<IResult> ServeAsync(int id, ClaimsPrincipal user, OneFormDbContext db, IFileStore store, bool thumbnail)
    {
        var photo = await db.Photos.AsNoTracking().Include(p => p.OrgUnit).SingleOrDefaultAsync(p => p.Id == id);
        if (photo is null || !user.Scope().CanSeeTasksOf(photo.OrgUnit!))
        {
            return TypedResults.NotFound();
        }
        var file = await store.OpenAsync(thumbnail ? photo.ThumbnailKey : photo.StoredKey);
        return file is null ? TypedResults.NotFound() : TypedResults.File(file, "image/jpeg", enableRangeProcessing: false);
    }

    /// <summary>The unit asked for by code, or the caller's own unit.</summary>
    private static async Task<OrgUnit?> UnitAsync(OneFormDbContext db, CallerScope scope, string? code) =>
        code is { Length: > 0 }
            ? await db.OrgUnits.AsNoTracking().SingleOrDefaultAsync(u => u.Code == code)
            : scope.OrgUnitId is { } own ? await db.OrgUnits.AsNoTracking().SingleOrDefaultAsync(u => u.Id == own) : null;
}

public static class MediaModule
{
    public static IServiceCollection AddMedia(this IServiceCollection services)
    {
        services.AddSingleton<LocalFileStore>();
        // Storage:Provider = S3 for an object store shared by several app nodes; the local disk otherwise.
        services.AddSingleton<IFileStore>(sp => string.Equals(sp.GetRequiredService<IConfiguration>()["Storage:Provider"], "S3", StringComparison.OrdinalIgnoreCase)
            ? new ObjectStore(sp.GetRequiredService<IConfiguration>())
            : sp.GetRequiredService<LocalFileStore>());
        services.AddScoped<Photos>();
        services.AddScoped<Activities>();
        return services;
    }

    public static IEndpointRouteBuilder MapMedia(this IEndpointRouteBuilder routes)
    {
        routes.MapMediaApi();
        return routes;
    }
}
