using System.Collections.Concurrent;
using System.Text;

namespace OneForm.Organization;

/// <summary>
/// The pinyin initials of a unit's name (锦绣社区 → jxsq), so that people can find a unit by typing "jx".
/// No pinyin library is at hand: GB2312's level-1 hanzi (0xB0A1–0xD7F9) are ordered by pinyin, so fixed code ranges
/// give the initial letter; the few characters of unit names outside level 1 are listed by hand.
/// </summary>
public static class UnitInitials
{
    private static readonly Encoding Gb2312;

    // The first GB2312 code of each initial's range in level 1 (there are no hanzi under i, u and v).
    private static readonly (int From, char Letter)[] Ranges =
    [
        (0xB0A1, 'a'), (0xB0C5, 'b'), (0xB2C1, 'c'), (0xB4EE, 'd'), (0xB6EA, 'e'), (0xB7A2, 'f'), (0xB8C1, 'g'),
        (0xB9FE, 'h'), (0xBBF7, 'j'), (0xBFA6, 'k'), (0xC0AC, 'l'), (0xC2E8, 'm'), (0xC4C3, 'n'), (0xC5B6, 'o'),
        (0xC5BE, 'p'), (0xC6DA, 'q'), (0xC8BB, 'r'), (0xC8F6, 's'), (0xCBFA, 't'), (0xCDDA, 'w'), (0xCEF4, 'x'),
        (0xD1B9, 'y'), (0xD4D1, 'z'),
    ];

    private const int LevelOneEnd = 0xD7F9;

    /// <summary>Characters of the division names outside GB2312's level 1 (level 2 is ordered by radical, not by sound).</summary>
    private static readonly Dictionary<char, char> Exceptions = new()
    {
        ['坂'] = 'b', ['戽'] = 'h', ['槟'] = 'b', ['璟'] = 'j', ['芨'] = 'j', ['蒿'] = 'h', ['鑫'] = 'x', ['铧'] = 'h',
        ['隍'] = 'h', ['驿'] = 'y',
        // Common in place names elsewhere, for a tree imported later.
        ['圪'] = 'g', ['垴'] = 'n', ['蔺'] = 'l', ['圩'] = 'w', ['塬'] = 'y', ['坨'] = 't', ['苜'] = 'm', ['蓿'] = 'x',
        ['滘'] = 'j', ['畈'] = 'f', ['垸'] = 'y', ['坳'] = 'a',
    };

    private static readonly ConcurrentDictionary<string, string> Cache = new();

    static UnitInitials()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        Gb2312 = Encoding.GetEncoding("GB2312");
    }

    /// <summary>The name's initials in lower case: one letter a hanzi, letters and digits as they are, the rest left out.</summary>
    public static string Of(string name) => Cache.GetOrAdd(name, Compute);

    private static string Compute(string name)
    {
        var initials = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                initials.Append(char.ToLowerInvariant(c));
            }
            else if (Initial(c) is { } letter)
            {
                initials.Append(letter);
            }
        }
        return initials.ToString();
    }

    /// <summary>The initial of one hanzi, or null for a character it cannot place.</summary>
    public static char? Initial(char c)
    {
        if (Exceptions.TryGetValue(c, out var known))
        {
            return known;
        }
        if (c < 0x4E00 || c > 0x9FFF)
        {
            return null;
        }
        Span<byte> bytes = stackalloc byte[4];
        var length = Gb2312.GetBytes([c], bytes);
        if (length != 2)
        {
            return null;
        }
        var code = bytes[0] << 8 | bytes[1];
        if (code < Ranges[0].From || code > LevelOneEnd)
        {
            return null;
        }
        var letter = Ranges[0].Letter;
        foreach (var (from, l) in Ranges)
        {
            if (code < from)
            {
                break;
            }
            letter = l;
        }
        return letter;
    }
}
