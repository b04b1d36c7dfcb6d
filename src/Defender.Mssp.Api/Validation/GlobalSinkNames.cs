namespace Defender.Mssp.Api.Validation;

/// <summary>
/// The names of the globally configured sinks a tenant may refer to: the built-in <c>json-lines</c> and every
/// <c>Sinks:Definitions:{name}</c>, read from configuration each time (it reloads), as the silos read it.
/// </summary>
public sealed class GlobalSinkNames(IConfiguration configuration)
{
    public const string DefinitionsSection = "Sinks:Definitions";

    /// <summary>The sink <c>Sinks:JsonLines</c> configures, always defined.</summary>
    public const string BuiltInJsonLines = "json-lines";

    public bool Contains(string name) =>
        string.Equals(name, BuiltInJsonLines, StringComparison.OrdinalIgnoreCase)
        || configuration.GetSection(DefinitionsSection).GetChildren().Any(child => string.Equals(child.Key, name, StringComparison.OrdinalIgnoreCase));
}
