using System.ComponentModel.DataAnnotations;

namespace Defender.Mssp.Sinks.Csv;

/// <summary>Where <see cref="CsvFileSink"/> writes.</summary>
public sealed class CsvSinkOptions
{
    public const string DefaultPath = "./sink-csv";

    /// <summary>The root folder; relative paths are resolved against the process's working directory.</summary>
    [Required]
    public string Path { get; set; } = DefaultPath;
}
