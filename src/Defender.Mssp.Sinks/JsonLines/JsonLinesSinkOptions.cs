using System.ComponentModel.DataAnnotations;

namespace Defender.Mssp.Sinks;

/// <summary>Where and how <see cref="JsonLinesFileSink"/> writes. Bound from <c>Sinks:JsonLines</c>.</summary>
public sealed class JsonLinesSinkOptions
{
    public const string SectionName = "Sinks:JsonLines";

    public const string DefaultPath = "./sink";

    /// <summary>No size limit: the file is rotated by day only, when <see cref="RollDaily"/>.</summary>
    public const long DefaultMaxFileSizeBytes = 0;

    /// <summary>Off by default, so <c>{source}.jsonl</c> keeps holding everything as it always has.</summary>
    public const bool DefaultRollDaily = false;

    /// <summary>The root folder; relative paths are resolved against the process's working directory.</summary>
    [Required]
    public string Path { get; set; } = DefaultPath;

    /// <summary>
    /// Rotate the active file before a batch would take it past this many bytes; 0 means no limit. A batch is never
    /// split, so a batch larger than the limit gets a file of its own.
    /// </summary>
    [Range(0, long.MaxValue)]
    public long MaxFileSizeBytes { get; set; } = DefaultMaxFileSizeBytes;

    /// <summary>Rotate the active file when the first batch of a new UTC day arrives.</summary>
    public bool RollDaily { get; set; } = DefaultRollDaily;
}
