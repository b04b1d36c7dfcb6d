using System.ComponentModel.DataAnnotations;

namespace Defender.Mssp.Runtime.Storage;

/// <summary>Where grain state goes inside the container (configuration section <c>Storage</c>).</summary>
public sealed class BlobGrainStorageOptions
{
    public const string DefaultStatePrefix = "state/";

    /// <summary>Blob name prefix: a grain's state is <c>{StatePrefix}{key}.json</c>.</summary>
    [Required(AllowEmptyStrings = true)]
    public string StatePrefix { get; set; } = DefaultStatePrefix;
}
