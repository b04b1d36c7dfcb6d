using System.ComponentModel.DataAnnotations;

namespace Defender.Mssp.Silo.Hosting;

/// <summary>The <c>Silo</c> section: who this silo is.</summary>
public sealed class SiloOptions
{
    public const string SectionName = "Silo";

    public static readonly TimeSpan DefaultReactivationDelay = TimeSpan.FromSeconds(5);

    /// <summary>Unique per process; defaults to host name, process id and a random suffix.</summary>
    [Required]
    public string SiloId { get; set; } = $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..6]}";

    /// <summary>How long a grain that failed or lost ownership waits before it is activated again.</summary>
    public TimeSpan ReactivationDelay { get; set; } = DefaultReactivationDelay;
}
