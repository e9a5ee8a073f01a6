using System.Text;

namespace OneForm.Common;

/// <summary>
/// The encodings OneForm reads text files in: UTF-8 (with or without BOM) and GB18030/GBK, which is what Excel and
/// WPS save a "CSV" as on a Chinese Windows. Shared by every import (registry exports, division files).
/// </summary>
public static class TextFileEncodings
{
    // GB18030 comes from the code-pages provider, which .NET does not register by itself; once is enough.
    static TextFileEncodings() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    /// <summary>UTF-8 (with or without BOM) or GB18030 from the file's first bytes; null when it is neither.</summary>
    public static Encoding? Detect(ReadOnlySpan<byte> sample, bool complete)
    {
        if (sample.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            return new UTF8Encoding(false);
        }
        // A sample may end inside a character: judge it up to its last line break, which no multi-byte
        // character of UTF-8 or GB18030 contains.
        var lastBreak = complete ? -1 : sample.LastIndexOf((byte)'\n');
        var judged = lastBreak > 0 ? sample[..lastBreak] : sample;
        if (IsValid(new UTF8Encoding(false, throwOnInvalidBytes: true), judged))
        {
            return new UTF8Encoding(false);
        }
        var gb18030 = Encoding.GetEncoding("GB18030", EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);
        // Big5 bytes of a few characters can pass both checks and decode into GB18030's user-defined area, which no
        // real name uses: such a text is not taken for GB18030 either.
        return IsValid(gb18030, judged) && LooksLikeGb(judged) && !gb18030.GetString(judged).Any(c => c is >= '\uE000' and <= '\uF8FF')
            ? Encoding.GetEncoding("GB18030") : null;
    }

    /// <summary>
    /// GB18030 decodes almost any bytes, so Big5 and Shift-JIS files pass as it and come out garbled. Chinese text in
    /// GB18030 keeps nearly all its characters in the GB2312 area (lead and trail bytes A1-FE); Big5 puts about half
    /// its trail bytes below A1 and Shift-JIS most of its lead bytes, so a text with more than one character in ten
    /// outside that area is not taken for GB18030.
    /// </summary>
    public static bool LooksLikeGb(ReadOnlySpan<byte> text)
    {
        int common = 0, other = 0;
        for (var i = 0; i < text.Length;)
        {
            var lead = text[i];
            if (lead < 0x80)
            {
                i++;
                continue;
            }
            if (i + 1 >= text.Length)
            {
                break;
            }
            var trail = text[i + 1];
            if (trail is >= 0x30 and <= 0x39)
            {
                other++;  // a four-byte sequence: characters outside GBK
                i += 4;
                continue;
            }
            if (lead is >= 0xA1 and <= 0xF7 && trail is >= 0xA1 and <= 0xFE)
            {
                common++;
            }
            else
            {
                other++;
            }
            i += 2;
        }
        return other * 10 <= common + other;
    }

    private static bool IsValid(Encoding encoding, ReadOnlySpan<byte> bytes)
    {
        try
        {
            encoding.GetCharCount(bytes);
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }
}
