using System.ComponentModel.DataAnnotations;

namespace Defender.Mssp.Api.Options;

/// <summary>
/// The bounds a tenant's schedule must keep (configuration section <c>Api:Tenants</c>). The defaults suit production;
/// tests and demos lower <see cref="MinPollInterval"/> to see polls within seconds.
/// </summary>
public sealed class TenantRulesOptions : IValidatableObject
{
    public const string SectionName = "Api:Tenants";

    public static readonly TimeSpan DefaultMinPollInterval = TimeSpan.FromSeconds(30);

    public static readonly TimeSpan DefaultMaxPollInterval = TimeSpan.FromHours(24);

    /// <summary>The incidents API keeps months of history, but a first read that long is rarely wanted; 30 days.</summary>
    public static readonly TimeSpan DefaultMaxInitialLookback = TimeSpan.FromDays(30);

    public TimeSpan MinPollInterval { get; set; } = DefaultMinPollInterval;

    public TimeSpan MaxPollInterval { get; set; } = DefaultMaxPollInterval;

    /// <summary>The longest first look-back; zero (start from now) is always allowed.</summary>
    public TimeSpan MaxInitialLookback { get; set; } = DefaultMaxInitialLookback;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (MinPollInterval < TimeSpan.FromSeconds(1) || MaxPollInterval < MinPollInterval)
        {
            yield return new ValidationResult(
                "Api:Tenants:MinPollInterval must be at least 1 second and Api:Tenants:MaxPollInterval at least as long.",
                [nameof(MinPollInterval), nameof(MaxPollInterval)]);
        }

        if (MaxInitialLookback < TimeSpan.Zero)
        {
            yield return new ValidationResult("Api:Tenants:MaxInitialLookback must not be negative.", [nameof(MaxInitialLookback)]);
        }
    }
}
