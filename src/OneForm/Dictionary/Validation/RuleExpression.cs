using System.Globalization;
using System.Text;
using Microsoft.Extensions.Localization;

namespace OneForm.Dictionary.Validation;

/// <summary>An element named by a side of a rule: its code, and how many periods back (0 = the period checked, 1 = the one before).</summary>
public readonly record struct ElementReference(string Code, int Back);

/// <summary>
/// One side of a validation rule: element codes, numbers, + - * /, parentheses and earlier periods of an element
/// (<c>PARTY_MEMBERS[-1]</c>). Parsed by hand (a few dozen lines do not need a library); a bad expression is refused
/// with the position of the first character that does not fit, so the gatekeeper sees where to look.
/// </summary>
public abstract record RuleExpression
{
    public const int MaxLength = 500;

    /// <summary>How far back a side may look: a year of months.</summary>
    public const int MaxBack = 12;

    /// <summary>The value of the side, or null when an element it names holds no value (the rule is then skipped) or it divides by zero.</summary>
    public abstract double? Evaluate(Func<ElementReference, double?> value);

    public abstract IEnumerable<ElementReference> References();

    /// <summary>The side in words: each element by its name (from <paramref name="name"/>), numbers and operators as written.</summary>
    public string Describe(Func<ElementReference, string> name) => Write(name, 0);

    protected abstract string Write(Func<ElementReference, string> name, int outerPrecedence);

    public sealed record Number(double Value) : RuleExpression
    {
        public override double? Evaluate(Func<ElementReference, double?> value) => Value;

        public override IEnumerable<ElementReference> References() => [];

        protected override string Write(Func<ElementReference, string> name, int outerPrecedence) => Value.ToString("0.####", CultureInfo.InvariantCulture);
    }

    public sealed record Element(ElementReference Reference) : RuleExpression
    {
        public override double? Evaluate(Func<ElementReference, double?> value) => value(Reference);

        public override IEnumerable<ElementReference> References() => [Reference];

        protected override string Write(Func<ElementReference, string> name, int outerPrecedence) => name(Reference);
    }

    public sealed record Negation(RuleExpression Operand) : RuleExpression
    {
        public override double? Evaluate(Func<ElementReference, double?> value) => -Operand.Evaluate(value);

        public override IEnumerable<ElementReference> References() => Operand.References();

        protected override string Write(Func<ElementReference, string> name, int outerPrecedence) => "-" + WriteOperand(Operand, name, 3);
    }

    public sealed record Binary(char Operator, RuleExpression Left, RuleExpression Right) : RuleExpression
    {
        private int Precedence => Operator is '+' or '-' ? 1 : 2;

        public override double? Evaluate(Func<ElementReference, double?> value)
        {
            if (Left.Evaluate(value) is not { } left || Right.Evaluate(value) is not { } right)
            {
                return null;
            }
            return Operator switch
            {
                '+' => left + right,
                '-' => left - right,
                '*' => left * right,
                _ => right == 0 ? null : left / right,
            };
        }

        public override IEnumerable<ElementReference> References() => Left.References().Concat(Right.References());

        protected override string Write(Func<ElementReference, string> name, int outerPrecedence)
        {
            // The right operand of - and / keeps its parentheses at the same precedence: a - (b - c) is not a - b - c.
            var text = $"{WriteOperand(Left, name, Precedence)} {Symbol} {WriteOperand(Right, name, Precedence + (Operator is '-' or '/' ? 1 : 0))}";
            return Precedence < outerPrecedence ? $"({text})" : text;
        }

        private string Symbol => Operator switch
        {
            '*' => "×",
            '/' => "÷",
            _ => Operator.ToString(),
        };
    }

    private static string WriteOperand(RuleExpression operand, Func<ElementReference, string> name, int precedence) => operand.Write(name, precedence);

    /// <summary>The expression, or a problem naming the position (1 = the first character) and what was found there.</summary>
    public sealed record Parsed(RuleExpression? Expression, string? Problem);

    public static Parsed Parse(string? text, IStringLocalizer l)
    {
        var source = Normalise(text);
        if (source.Trim().Length == 0)
        {
            return new(null, l["The expression is empty: give element codes, numbers and + - * /, for example PARTY_MEMBERS."]);
        }
        if (source.Length > MaxLength)
        {
            return new(null, l["The expression may have at most {0} characters.", MaxLength]);
        }
        var parser = new Parser(source, l);
        try
        {
            var expression = parser.Sum();
            parser.SkipSpace();
            if (!parser.AtEnd)
            {
                parser.Fail(l["Position {0}: '{1}' was not expected here; an operator (+ - * /) or the end was.", parser.Position + 1, parser.Current]);
            }
            return new(expression, null);
        }
        catch (ExpressionException e)
        {
            return new(null, e.Message);
        }
    }

    /// <summary>Brackets, operators and digits typed on a Chinese keyboard, as ASCII; one character for one, so positions stay true.</summary>
    private static string Normalise(string? text)
    {
        var chars = (text ?? "").ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = chars[i] switch
            {
                '（' => '(',
                '）' => ')',
                '［' or '【' => '[',
                '］' or '】' => ']',
                '＋' => '+',
                '－' or '—' => '-',
                '×' or '＊' => '*',
                '÷' or '／' => '/',
                '．' => '.',
                '　' => ' ',
                >= '０' and <= '９' => (char)('0' + (chars[i] - '０')),
                _ => chars[i],
            };
        }
        return new string(chars);
    }

    private sealed class ExpressionException(string message) : Exception(message);

    private sealed class Parser(string text, IStringLocalizer l)
    {
        private int depth;

        public int Position { get; private set; }

        public bool AtEnd => Position >= text.Length;

        public char Current => text[Position];

        public void SkipSpace()
        {
            while (!AtEnd && char.IsWhiteSpace(Current))
            {
                Position++;
            }
        }

        public void Fail(string message) => throw new ExpressionException(message);

        public RuleExpression Sum()
        {
            var left = Product();
            while (true)
            {
                SkipSpace();
                if (AtEnd || Current is not ('+' or '-'))
                {
                    return left;
                }
                var op = Current;
                Position++;
                left = new Binary(op, left, Product());
            }
        }

        private RuleExpression Product()
        {
            var left = Factor();
            while (true)
            {
                SkipSpace();
                if (AtEnd || Current is not ('*' or '/'))
                {
                    return left;
                }
                var op = Current;
                Position++;
                left = new Binary(op, left, Factor());
            }
        }

        private RuleExpression Factor()
        {
            SkipSpace();
            if (AtEnd)
            {
                Fail(l["Position {0}: the expression ends too early; an element code, a number or '(' is missing.", Position + 1]);
            }
            var start = Position;
            switch (Current)
            {
                case '-':
                    Position++;
                    return new Negation(Factor());
                case '+':
                    Position++;
                    return Factor();
                case '(':
                    // A nesting limit keeps a hostile expression from exhausting the stack.
                    if (++depth > 20)
                    {
                        Fail(l["Position {0}: parentheses are nested too deeply.", Position + 1]);
                    }
                    Position++;
                    var inner = Sum();
                    SkipSpace();
                    if (AtEnd || Current != ')')
                    {
                        Fail(l["Position {0}: ')' is missing to close the '(' at position {1}.", Position + 1, start + 1]);
                    }
                    Position++;
                    depth--;
                    return inner;
                case var c when char.IsAsciiDigit(c) || c == '.':
                    while (!AtEnd && (char.IsAsciiDigit(Current) || Current == '.'))
                    {
                        Position++;
                    }
                    var digits = text[start..Position];
                    if (!double.TryParse(digits, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
                    {
                        Fail(l["Position {0}: '{1}' is not a number.", start + 1, digits]);
                    }
                    return new Number(number);
                case var c when char.IsAsciiLetter(c) || c == '_':
                    while (!AtEnd && (char.IsAsciiLetterOrDigit(Current) || Current == '_'))
                    {
                        Position++;
                    }
                    var code = text[start..Position].ToUpperInvariant();
                    if (code.Length > DataElement.MaxCodeLength)
                    {
                        Fail(l["Position {0}: '{1}' is longer than an element code can be.", start + 1, code]);
                    }
                    return new Element(new ElementReference(code, Back()));
                default:
                    Fail(l["Position {0}: expected an element code, a number or '(' but found '{1}'.", Position + 1, Current]);
                    return null!;
            }
        }

        /// <summary>An optional <c>[-n]</c> after a code: the element n periods back.</summary>
        private int Back()
        {
            if (AtEnd || Current != '[')
            {
                return 0;
            }
            var open = Position;
            Position++;
            SkipSpace();
            var digits = new StringBuilder();
            if (!AtEnd && Current == '-')
            {
                Position++;
                SkipSpace();
                while (!AtEnd && char.IsAsciiDigit(Current))
                {
                    digits.Append(Current);
                    Position++;
                }
                SkipSpace();
            }
            if (digits.Length == 0 || AtEnd || Current != ']'
                || !int.TryParse(digits.ToString(), CultureInfo.InvariantCulture, out var back) || back < 1 || back > MaxBack)
            {
                Fail(l["Position {0}: an earlier period is written [-1] for the period before, up to [-{1}].", open + 1, MaxBack]);
                return 0;
            }
            Position++;
            return back;
        }
    }
}
