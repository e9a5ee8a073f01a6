using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using OneForm.Accounts;
using OneForm.Data;
using OneForm.Localization;
using OneForm.Organization;

namespace OneForm.Media;

/// <summary>The result of an upload: the photo (new or the one already uploaded with the same bytes), or why not.</summary>
public sealed record PhotoUpload(Photo? Photo, bool Created, int Status, string? Problem);

/// <summary>
/// Takes photos in: the same bytes again are the same photo (a retry after a lost answer changes nothing); a file that
/// is not a photo, too large or of another kind is refused and nothing of it is kept; a photo from a device lands in
/// the unit's activity that covers the time it was taken, or in the unit's inbox.
/// </summary>
public sealed class Photos(OneFormDbContext db, IFileStore store, DisplayTime time, IConfiguration configuration, IStringLocalizer<SharedResource> l)
{
    public long MaxBytes => configuration.GetValue("Photos:MaxBytes", 10L * 1024 * 1024);

    public string TooLargeMessage(long bytes) =>
        l["The photo is {0} MB; at most {1} MB can be uploaded.", Megabytes(bytes), Megabytes(MaxBytes)];

    /// <summary>
    /// Reads an upload's body, at most <see cref="MaxBytes"/>, before anything is stored (an interrupted upload leaves
    /// nothing); null and the refusal when it is too large or empty.
    /// </summary>
    public async Task<(byte[]? Upload, int Status, string? Problem)> ReadAsync(HttpRequest request)
    {
        if (request.ContentLength > MaxBytes)
        {
            return (null, StatusCodes.Status413PayloadTooLarge, TooLargeMessage(request.ContentLength.Value));
        }
        using var body = new MemoryStream();
        var buffer = new byte[81920];
        int read;
        while ((read = await request.Body.ReadAsync(buffer, request.HttpContext.RequestAborted)) > 0)
        {
            if (body.Length + read > MaxBytes)
            {
                return (null, StatusCodes.Status413PayloadTooLarge, TooLargeMessage(body.Length + read));
            }
            body.Write(buffer, 0, read);
        }
        return body.Length == 0
            ? (null, StatusCodes.Status400BadRequest, l["Send the photo as the body of the request."])
            : (body.ToArray(), StatusCodes.Status200OK, null);
    }

    private static string Megabytes(long bytes) => (bytes / 1048576.0).ToString("0.#", System.Globalization.CultureInfo.InvariantCulture);

    public async Task<PhotoUpload> AddAsync(CallerScope scope, string userName, OrgUnit unit, Activity? activity, byte[] upload, DateTimeOffset? takenAt,
        CancellationToken cancellationToken = default)
    {
        if (!scope.CanFillFor(unit) || (activity is not null && activity.OrgUnitId != unit.Id))
        {
            return new PhotoUpload(null, false, StatusCodes.Status404NotFound, null);
        }
        if (upload.LongLength > MaxBytes)
        {
            return new PhotoUpload(null, false, StatusCodes.Status413PayloadTooLarge, TooLargeMessage(upload.LongLength));
        }
        var uploadHash = Convert.ToHexStringLower(SHA256.HashData(upload));
        if (await db.Photos.SingleOrDefaultAsync(p => p.OrgUnitId == unit.Id && p.UploadHash == uploadHash, cancellationToken) is { } existing)
        {
            if (activity is not null && existing.ActivityId is null)
            {
                existing.ActivityId = activity.Id;
                await db.SaveChangesAsync(cancellationToken);
            }
            return new PhotoUpload(existing, false, StatusCodes.Status200OK, null);
        }

        var (photo, problem) = PhotoCheck.Check(upload, unit.KeepsPhotoLocation);
        if (photo is null)
        {
            return new PhotoUpload(null, false, problem == PhotoProblem.TooLarge ? StatusCodes.Status413PayloadTooLarge : StatusCodes.Status415UnsupportedMediaType,
                Describe(problem));
        }

        var taken = takenAt ?? (photo.TakenLocal is { } local ? new DateTimeOffset(local, time.Zone.GetUtcOffset(local)) : null);
        var isDevice = scope.Role == Role.Device;
        if (activity is null && isDevice && taken is { } at)
        {
            var day = DateOnly.FromDateTime(time.Local(at).DateTime);
            var candidates = await db.Activities.Where(a => a.OrgUnitId == unit.Id && a.OccurredOn == day).ToListAsync(cancellationToken);
            activity = candidates.FirstOrDefault(a => a.Covers(time.Local(at)));
        }
        var stored = Key("photos", photo.Stored);
        var thumbnail = Key("thumbnails", photo.Thumbnail);
        await store.PutAsync(stored, photo.Stored, cancellationToken);
        await store.PutAsync(thumbnail, photo.Thumbnail, cancellationToken);
        var entity = new Photo
        {
            OrgUnitId = unit.Id,
            ActivityId = activity?.Id,
            UploadHash = uploadHash,
            StoredKey = stored,
            ThumbnailKey = thumbnail,
            Width = photo.Width,
            Height = photo.Height,
            Bytes = photo.Stored.LongLength,
            TakenAt = taken?.ToUniversalTime(),
            KeepsLocation = photo.KeepsLocation,
            UploadedBy = userName,
            FromDevice = isDevice,
            CreatedAt = time.Time.GetUtcNow(),
        };
        db.Photos.Add(entity);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // The same photo's retry may have won the race: then it is the one photo.
            db.Entry(entity).State = EntityState.Detached;
            var winner = await db.Photos.SingleOrDefaultAsync(p => p.OrgUnitId == unit.Id && p.UploadHash == uploadHash, cancellationToken);
            if (winner is null)
            {
                throw;
            }
            return new PhotoUpload(winner, false, StatusCodes.Status200OK, null);
        }
        return new PhotoUpload(entity, true, StatusCodes.Status201Created, null);
    }

    private string Describe(PhotoProblem problem) => problem switch
    {
        PhotoProblem.UnsupportedFormat => l["Only JPEG, PNG or WebP photos can be uploaded."],
        PhotoProblem.TooLarge => l["The photo has more than {0} million pixels.", PhotoCheck.MaxPixels / 1_000_000],
        _ => l["The file is not a photo: it cannot be read as an image."],
    };

    /// <summary>Why an upload cannot become a photo of the unit, or null: asked before anything else is recorded with it.</summary>
    public string? Refusal(byte[] upload, OrgUnit unit) =>
        upload.LongLength > MaxBytes ? TooLargeMessage(upload.LongLength)
        : PhotoCheck.Check(upload, unit.KeepsPhotoLocation) is { Photo: null } refused ? Describe(refused.Problem)
        : null;

    /// <summary>A file's key from its content: photos/ab/abcdef….jpg.</summary>
    private static string Key(string folder, byte[] content)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(content));
        return $"{folder}/{hash[..2]}/{hash}.jpg";
    }
}
