using System.ComponentModel.DataAnnotations;

namespace Defender.Mssp.Sinks;

/// <summary>Where <see cref="JsonLinesFileSink"/> writes. Bound from <c>Sinks:JsonLines</c>.</summary>
public sealed class JsonLinesSinkOptions
{
    public const string SectionName = "Sinks:JsonLines";

    public const string DefaultPath = "./sink";

    /// <summary>The root folder; relative paths are resolved against the process's working directory.</summary>
    [Required]
    public string Path { get; set; } = DefaultPath;
}
