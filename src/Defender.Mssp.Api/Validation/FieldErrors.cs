namespace Defender.Mssp.Api.Validation;

/// <summary>
/// Validation errors by field, in the shape of RFC 9457 ProblemDetails' <c>errors</c> member: the key names the field
/// as the client wrote it (<c>clientId</c>, <c>sources[1]</c>, <c>line 4: clientId</c>), the messages say what is wrong
/// without repeating the value (which could be a secret, or markup).
/// </summary>
public sealed class FieldErrors
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool IsEmpty => _errors.Count == 0;

    public int Count => _errors.Count;

    public IEnumerable<string> Fields => _errors.Keys;

    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var messages))
        {
            _errors[field] = messages = [];
        }

        messages.Add(message);
    }

    /// <summary>Adds every error of <paramref name="other"/>, each field prefixed with <paramref name="prefix"/>.</summary>
    public void AddAll(FieldErrors other, string prefix = "")
    {
        foreach (var (field, messages) in other._errors)
        {
            foreach (var message in messages)
            {
                Add(prefix + field, message);
            }
        }
    }

    public Dictionary<string, string[]> ToDictionary() =>
        _errors.ToDictionary(pair => pair.Key, pair => pair.Value.ToArray(), StringComparer.Ordinal);
}
