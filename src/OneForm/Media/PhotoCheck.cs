using MetadataExtractor;
using MetadataExtractor.Formats.Exif;
using SkiaSharp;

namespace OneForm.Media;

/// <summary>A photo as it will be kept: the bytes to store, a thumbnail, its size and when it was taken.</summary>
public sealed record CheckedPhoto(byte[] Stored, byte[] Thumbnail, int Width, int Height, DateTime? TakenLocal, bool KeepsLocation);

/// <summary>Why an upload is refused.</summary>
public enum PhotoProblem
{
    None,
    NotAnImage,
    UnsupportedFormat,
    TooLarge,
}

/// <summary>
/// Proves an upload is a photo by decoding it (a renamed PDF or script does not decode), reads when it was taken,
/// and re-encodes it upright, at most <see cref="MaxSide"/> pixels on its longest side, without any metadata — so
/// without where it was taken — unless the unit keeps locations and the photo needs no change. Makes a thumbnail.
/// </summary>
public static class PhotoCheck
{
    public const int MaxSide = 1600;
    public const int ThumbnailSide = 320;
    public const int MaxPixels = 50_000_000;

    public static (CheckedPhoto? Photo, PhotoProblem Problem) Check(byte[] upload, bool keepLocation)
    {
        using var data = SKData.CreateCopy(upload);
        using var codec = SKCodec.Create(data);
        if (codec is null)
        {
            return (null, PhotoProblem.NotAnImage);
        }
        if (codec.EncodedFormat is not (SKEncodedImageFormat.Jpeg or SKEncodedImageFormat.Png or SKEncodedImageFormat.Webp))
        {
            return (null, PhotoProblem.UnsupportedFormat);
        }
        if ((long)codec.Info.Width * codec.Info.Height > MaxPixels)
        {
            return (null, PhotoProblem.TooLarge);
        }
        using var decoded = SKBitmap.Decode(codec);
        if (decoded is null)
        {
            return (null, PhotoProblem.NotAnImage);
        }
        var (taken, hasLocation) = ReadMetadata(upload);
        using var upright = Upright(decoded, codec.EncodedOrigin);
        var fits = Math.Max(upright.Width, upright.Height) <= MaxSide;
        var asIs = keepLocation && fits && codec.EncodedFormat == SKEncodedImageFormat.Jpeg && codec.EncodedOrigin == SKEncodedOrigin.TopLeft;
        byte[] stored;
        int width, height;
        if (asIs)
        {
            (stored, width, height) = (upload, upright.Width, upright.Height);
        }
        else
        {
            using var scaled = Scaled(upright, MaxSide);
            (stored, width, height) = (Jpeg(scaled ?? upright, 85), (scaled ?? upright).Width, (scaled ?? upright).Height);
        }
        using var small = Scaled(upright, ThumbnailSide);
        return (new CheckedPhoto(stored, Jpeg(small ?? upright, 75), width, height, taken, asIs && hasLocation), PhotoProblem.None);
    }

    private static (DateTime? Taken, bool HasLocation) ReadMetadata(byte[] upload)
    {
        try
        {
            var directories = ImageMetadataReader.ReadMetadata(new MemoryStream(upload));
            DateTime? taken = directories.OfType<ExifSubIfdDirectory>().FirstOrDefault() is { } exif
                              && exif.TryGetDateTime(ExifDirectoryBase.TagDateTimeOriginal, out var original) ? original : null;
            var location = directories.OfType<GpsDirectory>().FirstOrDefault()?.GetGeoLocation() is not null;
            return (taken, location);
        }
        catch (Exception e) when (e is ImageProcessingException or IOException)
        {
            return (null, false);
        }
    }

    /// <summary>The pixels turned as the camera's orientation tag says, so the stored photo needs no tag.</summary>
    private static SKBitmap Upright(SKBitmap source, SKEncodedOrigin origin)
    {
        var turned = origin is SKEncodedOrigin.LeftTop or SKEncodedOrigin.RightTop or SKEncodedOrigin.RightBottom or SKEncodedOrigin.LeftBottom;
        var (w, h) = turned ? (source.Height, source.Width) : (source.Width, source.Height);
        // Where a source pixel (x, y) goes: x' = a*x + b*y + c, y' = d*x + e*y + f.
        SKMatrix? matrix = origin switch
        {
            SKEncodedOrigin.TopRight => new SKMatrix(-1, 0, w, 0, 1, 0, 0, 0, 1),
            SKEncodedOrigin.BottomRight => new SKMatrix(-1, 0, w, 0, -1, h, 0, 0, 1),
            SKEncodedOrigin.BottomLeft => new SKMatrix(1, 0, 0, 0, -1, h, 0, 0, 1),
            SKEncodedOrigin.LeftTop => new SKMatrix(0, 1, 0, 1, 0, 0, 0, 0, 1),
            SKEncodedOrigin.RightTop => new SKMatrix(0, -1, w, 1, 0, 0, 0, 0, 1),
            SKEncodedOrigin.RightBottom => new SKMatrix(0, -1, w, -1, 0, h, 0, 0, 1),
            SKEncodedOrigin.LeftBottom => new SKMatrix(0, 1, 0, -1, 0, h, 0, 0, 1),
            _ => null,
        };
        var result = new SKBitmap(w, h, source.ColorType, source.AlphaType);
        using var canvas = new SKCanvas(result);
        if (matrix is { } m)
        {
            canvas.SetMatrix(m);
        }
        canvas.DrawBitmap(source, 0, 0);
        return result;
    }

    /// <summary>A copy at most <paramref name="side"/> pixels on its longest side, or null when it already fits.</summary>
    private static SKBitmap? Scaled(SKBitmap source, int side)
    {
        var longest = Math.Max(source.Width, source.Height);
        if (longest <= side)
        {
            return null;
        }
        var ratio = side / (double)longest;
        var info = new SKImageInfo(Math.Max(1, (int)Math.Round(source.Width * ratio)), Math.Max(1, (int)Math.Round(source.Height * ratio)));
        return source.Resize(info, new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear));
    }

    private static byte[] Jpeg(SKBitmap bitmap, int quality)
    {
        using var image = SKImage.FromBitmap(bitmap);
        using var encoded = image.Encode(SKEncodedImageFormat.Jpeg, quality);
        return encoded.ToArray();
    }
}
