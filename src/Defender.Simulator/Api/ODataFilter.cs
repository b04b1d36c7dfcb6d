using System.Globalization;

namespace Defender.Simulator.Api;

/// <summary>
/// The part of OData <c>$filter</c> the incidents API documents: comparisons (eq, ne, gt, ge, lt, le) on
/// lastUpdateTime, createdTime, status and assignedTo, combined with and/or/not and parentheses. Date-times are
/// unquoted literals, with or without fractional seconds; without an offset they are taken as UTC.
/// </summary>
internal abstract class ODataFilter
{
    public abstract bool Matches(IncidentCandidate incident);

    /// <summary>Parses a filter; returns null with an OData-style error message when it cannot.</summary>
    public static ODataFilter? TryParse(string text, out string? error)
    {
        try
        {
            var parser = new Parser(Tokenize(text));
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
                var end = i + 1;
                var value = new System.Text.StringBuilder("'");
                while (true)
                {
                    if (end >= text.Length)
                    {
                        throw new FormatException($"Unterminated string literal at position {i}.");
                    }

                    if (text[end] == '\'')
                    {
                        if (end + 1 < text.Length && text[end + 1] == '\'')
                        {
                            value.Append('\'');
                            end += 2;
                            continue;
                        }

                        break;
                    }

                    value.Append(text[end++]);
                }

                tokens.Add(value.ToString());
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

    private sealed class Parser(List<string> tokens)
    {
        private int _position;

        public ODataFilter ParseOr()
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

        private ODataFilter ParseAnd()
        {
            var left = ParseUnary();
            while (Accept("and"))
            {
                left = new And(left, ParseUnary());
            }

            return left;
        }

        private ODataFilter ParseUnary()
        {
            if (Accept("not"))
            {
                return new Not(ParseUnary());
            }

            if (Accept("("))
            {
                var inner = ParseOr();
                if (!Accept(")"))
                {
                    throw new FormatException("')' expected.");
                }

                return inner;
            }

            return ParseComparison();
        }

        private ODataFilter ParseComparison()
        {
            var property = Next("a property name");
            var op = Next("a comparison operator").ToLowerInvariant();
            if (op is not ("eq" or "ne" or "gt" or "ge" or "lt" or "le"))
            {
                throw new FormatException($"Unknown operator '{op}'.");
            }

            var literal = Next("a value");
            switch (property.ToLowerInvariant())
            {
                case "lastupdatetime":
                    return new TimeComparison(op, ParseTime(literal), static i => i.LastUpdateTime);
                case "createdtime":
                    return new TimeComparison(op, ParseTime(literal), static i => i.CreatedTime);
                case "status":
                    return new TextComparison(op, ParseText(literal), static i => i.State.Status);
                case "assignedto":
                    return new TextComparison(op, ParseText(literal), static i => i.State.AssignedTo);
                default:
                    throw new FormatException(
                        $"Could not find a property named '{property}' on type 'Incident' that can be filtered on.");
            }
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

        private static string? ParseText(string literal)
        {
            if (literal == "null")
            {
                return null;
            }

            if (!literal.StartsWith('\''))
            {
                throw new FormatException($"A string literal was expected, found '{literal}'.");
            }

            return literal[1..];
        }

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

    private sealed class And(ODataFilter left, ODataFilter right) : ODataFilter
    {
        public override bool Matches(IncidentCandidate incident) => left.Matches(incident) && right.Matches(incident);
    }

    private sealed class Or(ODataFilter left, ODataFilter right) : ODataFilter
    {
        public override bool Matches(IncidentCandidate incident) => left.Matches(incident) || right.Matches(incident);
    }

    private sealed class Not(ODataFilter inner) : ODataFilter
    {
        public override bool Matches(IncidentCandidate incident) => !inner.Matches(incident);
    }

    private sealed class TimeComparison(string op, DateTimeOffset value, Func<IncidentCandidate, DateTimeOffset> field) : ODataFilter
    {
        public override bool Matches(IncidentCandidate incident) => Compare(op, field(incident).CompareTo(value));
    }

    private sealed class TextComparison(string op, string? value, Func<IncidentCandidate, string?> field) : ODataFilter
    {
        public override bool Matches(IncidentCandidate incident) =>
            Compare(op, string.Compare(field(incident), value, StringComparison.OrdinalIgnoreCase));
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
