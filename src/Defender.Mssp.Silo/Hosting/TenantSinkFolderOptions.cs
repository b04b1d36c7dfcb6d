using System.ComponentModel.DataAnnotations;

namespace Defender.Mssp.Silo.Hosting;

/// <summary>
/// Where the file sinks tenants define through the management API write (section <c>TenantSinks</c>): their folders
/// are relative to <see cref="FolderRoot"/>, so an API caller can never point a silo at any other part of its disk.
/// </summary>
public sealed class TenantSinkFolderOptions
{
    public const string SectionName = "TenantSinks";

    public const string DefaultFolderRoot = "./tenant-sinks";

    /// <summary>The root of tenants' own file sinks; relative paths are resolved against the working directory.</summary>
    [Required]
    public string FolderRoot { get; set; } = DefaultFolderRoot;
}
