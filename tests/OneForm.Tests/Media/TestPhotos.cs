using System.Text;
using SkiaSharp;

namespace OneForm.Tests.Media;

/// <summary>Photos made for tests: a JPEG of a given size, optionally with the EXIF a phone writes (time taken, orientation, location).</summary>
public static class TestPhotos
{
    public static byte[] Jpeg(int width, int height, SKColor? color = null, DateTime? taken = null, ushort orientation = 1, (double Lat, double Lon)? location = null)
    {
        using var bitmap = new SKBitmap(width, height);
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(color ?? SKColors.SteelBlue);
            using var paint = new SKPaint { Color = SKColors.Gold };
            canvas.DrawRect(0, 0, width / 2f, height / 4f, paint);  // a mark in the top-left corner
        }
        using var image = SKImage.FromBitmap(bitmap);
        var jpeg = image.Encode(SKEncodedImageFormat.Jpeg, 90).ToArray();
        if (taken is null && orientation == 1 && location is null)
        {
            return jpeg;
        }
        var exif = Exif(taken, orientation, location);
        var segment = new List<byte> { 0xFF, 0xE1, (byte)((exif.Length + 8) >> 8), (byte)((exif.Length + 8) & 0xFF) };
        segment.AddRange("Exif\0\0"u8.ToArray());
        segment.AddRange(exif);
        return [.. jpeg[..2], .. segment, .. jpeg[2..]];
    }

    /// <summary>A little-endian TIFF block: IFD0 (orientation, pointers), the Exif IFD (time taken) and the GPS IFD.</summary>
    private static byte[] Exif(DateTime? taken, ushort orientation, (double Lat, double Lon)? location)
    {
        var ifd0 = new List<(ushort Tag, ushort Type, uint Count, byte[] Value)> { (0x0112, 3, 1, [.. BitConverter.GetBytes(orientation), 0, 0]) };
        var exifEntries = new List<(ushort, ushort, uint, byte[])>();
        var gpsEntries = new List<(ushort, ushort, uint, byte[])>();
        if (taken is { } t)
        {
            exifEntries.Add((0x9003, 2, 20, Encoding.ASCII.GetBytes(t.ToString("yyyy:MM:dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture) + "\0")));
        }
        if (location is { } at)
        {
            gpsEntries.Add((0x0001, 2, 2, "N\0\0\0"u8.ToArray()));
            gpsEntries.Add((0x0002, 5, 3, Degrees(at.Lat)));
            gpsEntries.Add((0x0003, 2, 2, "E\0\0\0"u8.ToArray()));
            gpsEntries.Add((0x0004, 5, 3, Degrees(at.Lon)));
        }
        // Sizes first, to know where each IFD and its data go.
        static int Size(int entries) => 2 + entries * 12 + 4;
        var ifd0Count = ifd0.Count + (exifEntries.Count > 0 ? 1 : 0) + (gpsEntries.Count > 0 ? 1 : 0);
        var exifAt = 8 + Size(ifd0Count);
        var gpsAt = exifAt + (exifEntries.Count > 0 ? Size(exifEntries.Count) : 0);
        var dataAt = gpsAt + (gpsEntries.Count > 0 ? Size(gpsEntries.Count) : 0);
        if (exifEntries.Count > 0)
        {
            ifd0.Add((0x8769, 4, 1, BitConverter.GetBytes((uint)exifAt)));
        }
        if (gpsEntries.Count > 0)
        {
            ifd0.Add((0x8825, 4, 1, BitConverter.GetBytes((uint)gpsAt)));
        }
        var head = new List<byte>();
        var data = new List<byte>();
        void Ifd(List<(ushort Tag, ushort Type, uint Count, byte[] Value)> entries)
        {
            head.AddRange(BitConverter.GetBytes((ushort)entries.Count));
            foreach (var (tag, type, count, value) in entries.OrderBy(e => e.Tag))
            {
                head.AddRange(BitConverter.GetBytes(tag));
                head.AddRange(BitConverter.GetBytes(type));
                head.AddRange(BitConverter.GetBytes(count));
                if (value.Length <= 4)
                {
                    head.AddRange(value.Concat(new byte[4 - value.Length]));
                }
                else
                {
                    head.AddRange(BitConverter.GetBytes((uint)(dataAt + data.Count)));
                    data.AddRange(value);
                }
            }
            head.AddRange(BitConverter.GetBytes(0u));
        }
        head.AddRange("II"u8.ToArray());
        head.AddRange(BitConverter.GetBytes((ushort)42));
        head.AddRange(BitConverter.GetBytes(8u));
        Ifd(ifd0);
        if (exifEntries.Count > 0)
        {
            Ifd(exifEntries);
        }
        if (gpsEntries.Count > 0)
        {
            Ifd(gpsEntries);
        }
        return [.. head, .. data];
    }

    private static byte[] Degrees(double value)
    {
        var degrees = (uint)value;
        var minutes = (uint)((value - degrees) * 60);
        var seconds = (uint)Math.Round(((value - degrees) * 60 - minutes) * 60 * 100);
        return [.. BitConverter.GetBytes(degrees), .. BitConverter.GetBytes(1u), .. BitConverter.GetBytes(minutes), .. BitConverter.GetBytes(1u),
            .. BitConverter.GetBytes(seconds), .. BitConverter.GetBytes(100u)];
    }
}
