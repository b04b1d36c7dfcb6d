using System.Globalization;
using System.Text;

namespace Defender.Simulator.Api;

/// <summary>What a filterable property of <typeparamref name="T"/> is: a date-time or a text, and how to read it.</summary>
internal sealed record FilterProperty<T>(string Name, Func<T, DateTimeOffset>? Time = null, Func<T, string?>? Text = null);

/// <summary>
/// The OData <c>$filter</c> subset the successor APIs document, over any record type: comparisons (eq, ne, gt, ge,
/// lt, le) on the properties a <see cref="FilterSchema{T}"/> names, combined with and/or/not and parentheses.
/// Date-times are unquoted literals with or without fraction (UTC when no offset is given); texts are quoted.
/// </summary>
internal abstract class QueryFilter<T>
{
    public abstract bool Matches(T item);

    /// <summary>Parses a filter; returns null with an OData-style message when it cannot.</summary>
    public static QueryFilter<T>? TryParse(string text, FilterSchema<T> schema, out string? error)
    {
        try
        {
            var parser = new Parser(Tokenize(text), schema);
            var filter = parser.ParseOr();
            parser.ExpectEnd();
            error = null;
            return filter;
        }
        catch (FormatException e)
        {
            error = e.Message;
            return null;
        }
    }

    private static List<string> Tokenize(string text)
    {
        var tokens = new List<string>();
        for (var i = 0; i < text.Length;)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (c is '(' or ')')
            {
                tokens.Add(c.ToString());
                i++;
            }
            else if (c == '\'')
            {
                // A quoted literal keeps its opening quote as a marker; '' inside it is one quote.
                var literal = new StringBuilder("'");
                var end = i + 1;
                while (true)
                {
                    if (end >= text.Length)
                    {
                        throw new FormatException($"Unterminated string literal at position {i}.");
                    }

                    if (text[end] == '\'' && end + 1 < text.Length && text[end + 1] == '\'')
                    {
                        literal.Append('\'');
                        end += 2;
                    }
                    else if (text[end] == '\'')
                    {
                        break;
                    }
                    else
                    {
                        literal.Append(text[end++]);
                    }
                }

                tokens.Add(literal.ToString());
                i = end + 1;
            }
            else
            {
                var start = i;
                while (i < text.Length && !char.IsWhiteSpace(text[i]) && text[i] is not ('(' or ')' or '\''))
                {
                    i++;
                }

                tokens.Add(text[start..i]);
            }
        }

        return tokens;
    }

    private sealed class Parser(List<string> tokens, FilterSchema<T> schema)
    {
        private int _position;

        public QueryFilter<T> ParseOr()
        {
            var left = ParseAnd();
            while (Accept("or"))
            {
                left = new Or(left, ParseAnd());
            }

            return left;
        }

        public void ExpectEnd()
        {
            if (_position < tokens.Count)
            {
                throw new FormatException($"Syntax error at '{tokens[_position]}'.");
            }
        }

        private QueryFilter<T> ParseAnd()
        {
            var left = ParseUnary();
            while (Accept("and"))
            {
                left = new And(left, ParseUnary());
            }

            return left;
        }

        private QueryFilter<T> ParseUnary()
        {
            if (Accept("not"))
            {
                return new Not(ParseUnary());
            }

            if (Accept("("))
            {
                var inner = ParseOr();
                return Accept(")") ? inner : throw new FormatException("')' expected.");
            }

            var name = Next("a property name");
            var op = Next("a comparison operator").ToLowerInvariant();
            if (op is not ("eq" or "ne" or "gt" or "ge" or "lt" or "le"))
            {
                throw new FormatException($"Unknown operator '{op}'.");
            }

            var literal = Next("a value");
            var property = schema.Find(name) ?? throw new FormatException(
                $"Could not find a property named '{name}' on type '{schema.TypeName}' that can be filtered on.");
            if (property.Time is { } time)
            {
                return new TimeComparison(op, ParseTime(literal), time);
            }

            return new TextComparison(op, ParseText(literal), property.Text!);
        }

        private static DateTimeOffset ParseTime(string literal)
        {
            if (literal.StartsWith('\''))
            {
                throw new FormatException(
                    "A binary operator with incompatible types was detected. Found operand types 'Edm.DateTimeOffset' and 'Edm.String'.");
            }

            if (literal.Length == 0 || !char.IsAsciiDigit(literal[0]) || !DateTimeOffset.TryParse(
                    literal, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
            {
                throw new FormatException($"The DateTimeOffset literal '{literal}' is not valid.");
            }

            return time;
        }

        private static string? ParseText(string literal) =>
            literal == "null" ? null
            : literal.StartsWith('\'') ? literal[1..]
            : throw new FormatException($"A string literal was expected, found '{literal}'.");

        private string Next(string what) =>
            _position < tokens.Count ? tokens[_position++] : throw new FormatException($"Unexpected end of expression; {what} expected.");

        private bool Accept(string token)
        {
            if (_position < tokens.Count && string.Equals(tokens[_position], token, StringComparison.OrdinalIgnoreCase))
            {
                _position++;
                return true;
            }

            return false;
        }
    }

    private sealed class And(QueryFilter<T> left, QueryFilter<T> right) : QueryFilter<T>
    {
        public override bool Matches(T item) => left.Matches(item) && right.Matches(item);
    }

    private sealed class Or(QueryFilter<T> left, QueryFilter<T> right) : QueryFilter<T>
    {
        public override bool Matches(T item) => left.Matches(item) || right.Matches(item);
    }

    private sealed class Not(QueryFilter<T> inner) : QueryFilter<T>
    {
        public override bool Matches(T item) => !inner.Matches(item);
    }

    private sealed class TimeComparison(string op, DateTimeOffset value, Func<T, DateTimeOffset> field) : QueryFilter<T>
    {
        public override bool Matches(T item) => Compare(op, field(item).CompareTo(value));
    }

    private sealed class TextComparison(string op, string? value, Func<T, string?> field) : QueryFilter<T>
    {
        public override bool Matches(T item) => Compare(op, string.Compare(field(item), value, StringComparison.OrdinalIgnoreCase));
    }

    private static bool Compare(string op, int comparison) => op switch
    {
        "eq" => comparison == 0,
        "ne" => comparison != 0,
        "gt" => comparison > 0,
        "ge" => comparison >= 0,
        "lt" => comparison < 0,
        _ => comparison <= 0,
    };
}

/// <summary>The filterable properties of one record type, by name (case-insensitive, as OData's are here).</summary>
internal sealed class FilterSchema<T>(string typeName, params FilterProperty<T>[] properties)
{
    public string TypeName { get; } = typeName;

    public FilterProperty<T>? Find(string name) =>
        properties.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));
}
