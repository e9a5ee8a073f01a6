using OneForm.Registry;
using Problem = OneForm.Registry.IdentityNumber.Problem;

namespace OneForm.Tests.Registry;

public sealed class IdentityNumberTests
{
    private static readonly DateOnly Today = new(2026, 11, 27);

    [Theory]
    [InlineData("11010519491231002X", "1949-12-31", Sex.Female)]   // the standard's own example, check digit X
    [InlineData("11010519491231002x", "1949-12-31", Sex.Female)]   // lower-case x
    [InlineData("440524188001010014", "1880-01-01", Sex.Male)]
    [InlineData("１１０１０５１９４９１２３１００２Ｘ", "1949-12-31", Sex.Female)] // full-width, as typed on a Chinese keyboard
    [InlineData(" 11010519491231002X ", "1949-12-31", Sex.Female)]
    public void A_valid_number_gives_its_birth_date_and_sex(string raw, string birth, Sex sex)
    {
        Assert.Equal(Problem.None, IdentityNumber.TryParse(raw, Today, out var number));
        Assert.Equal(DateOnly.Parse(birth), number.BirthDate);
        Assert.Equal(sex, number.Sex);
        Assert.Equal(number.Value[..6] + "********" + number.Value[14..], number.Masked);
        Assert.DoesNotContain(number.Value.Substring(6, 8), number.Masked);
    }

    [Theory]
    [InlineData("", Problem.Empty)]
    [InlineData("110105491231002", Problem.Legacy15)]
    [InlineData("1101051949123100", Problem.WrongLength)]
    [InlineData("11010519491231002A", Problem.NotDigits)]
    [InlineData("110105194902300029", Problem.ImpossibleDate)]     // 30 February
    [InlineData("110105194913310021", Problem.ImpossibleDate)]     // month 13
    [InlineData("110105203001010015", Problem.FutureDate)]
    [InlineData("110105194912310021", Problem.WrongCheckDigit)]
    public void An_invalid_number_is_refused_with_its_reason(string raw, Problem expected) =>
        Assert.Equal(expected, IdentityNumber.TryParse(raw, Today, out _));

    [Fact]
    public void The_check_digit_completes_any_seventeen_digits()
    {
        var first17 = "65230119800101123";
        var number = first17 + IdentityNumber.CheckDigitFor(first17);

        Assert.Equal(Problem.None, IdentityNumber.TryParse(number, Today, out var parsed));
        Assert.Equal(Sex.Male, parsed.Sex);
    }
}
