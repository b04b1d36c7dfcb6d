using System.ComponentModel.DataAnnotations;

namespace Defender.Mssp.Defender.DeadLetters;

/// <summary>Where <see cref="FileDeadLetterSink"/> writes. Bound from <c>Defender:DeadLetter</c>.</summary>
public sealed class DeadLetterOptions
{
    public const string SectionName = "Defender:DeadLetter";

    /// <summary>The folder name used next to the JSON Lines sink's folder when <see cref="Path"/> is not set.</summary>
    public const string DefaultFolderName = "dead-letter";

    /// <summary>How many recently written poison records are remembered, so re-reading an overlap does not repeat them.</summary>
    public const int DefaultRememberedRecords = 10_000;

    /// <summary>
    /// The root folder, one sub-folder per tenant holding <c>{source}.jsonl</c>. When absent: <c>dead-letter</c>
    /// next to <c>Sinks:JsonLines:Path</c>, else <c>./dead-letter</c>.
    /// </summary>
    public string? Path { get; set; }

    [Range(0, 1_000_000)]
    public int RememberedRecords { get; set; } = DefaultRememberedRecords;
}
