using System.Globalization;

namespace OneForm.Registry;

public enum Sex
{
    Male,
    Female,
}

/// <summary>
/// A resident identity number (公民身份号码, GB 11643-1999): 6-digit region, 8-digit birth date, 3-digit sequence
/// whose last digit is odd for men and even for women, and a check digit (0-9 or X) over the first 17.
/// </summary>
public readonly record struct IdentityNumber(string Value)
{
    private static readonly int[] Weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    private const string CheckDigits = "10X98765432";

    public string RegionCode => Value[..6];

    public DateOnly BirthDate => DateOnly.ParseExact(Value.Substring(6, 8), "yyyyMMdd", CultureInfo.InvariantCulture);

    public Sex Sex => (Value[16] - '0') % 2 == 1 ? Sex.Male : Sex.Female;

    /// <summary>Shown everywhere by default: the region and the last four, such as <c>652301********123X</c>.</summary>
    public string Masked => Mask(Value);

    public static string Mask(string value) => value.Length == 18 ? value[..6] + new string('*', 8) + value[14..] : new string('*', value.Length);

    public enum Problem
    {
        None,
        Empty,
        Legacy15,
        WrongLength,
        NotDigits,
        ImpossibleDate,
        FutureDate,
        WrongCheckDigit,
    }

    /// <summary>Reads a number as people type it: spaces trimmed, full-width digits and a lower-case x accepted.</summary>
    public static Problem TryParse(string? raw, DateOnly today, out IdentityNumber number)
    {
        number = default;
        var text = new string((raw ?? "").Trim().Select(c => c switch
        {
            >= '０' and <= '９' => (char)('0' + (c - '０')),
            'x' or 'ｘ' or 'Ｘ' => 'X',
            _ => c,
        }).ToArray());
        if (text.Length == 0)
        {
            return Problem.Empty;
        }
        if (text.Length == 15 && text.All(char.IsAsciiDigit))
        {
            return Problem.Legacy15;
        }
        if (text.Length != 18)
        {
            return Problem.WrongLength;
        }
        if (!text[..17].All(char.IsAsciiDigit) || !(char.IsAsciiDigit(text[17]) || text[17] == 'X'))
        {
            return Problem.NotDigits;
        }
        if (!DateOnly.TryParseExact(text.AsSpan(6, 8), "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var birth) || birth.Year < 1880)
        {
            return Problem.ImpossibleDate;
        }
        if (birth > today)
        {
            return Problem.FutureDate;
        }
        var sum = 0;
        for (var i = 0; i < 17; i++)
        {
            sum += (text[i] - '0') * Weights[i];
        }
        if (CheckDigits[sum % 11] != text[17])
        {
            return Problem.WrongCheckDigit;
        }
        number = new IdentityNumber(text);
        return Problem.None;
    }

    /// <summary>The check digit that completes 17 digits (for generators and tests).</summary>
    public static char CheckDigitFor(string first17)
    {
        var sum = 0;
        for (var i = 0; i < 17; i++)
        {
            sum += (first17[i] - '0') * Weights[i];
        }
        return CheckDigits[sum % 11];
    }

    public override string ToString() => Masked;
}
