using Defender.Mssp.Api.Contracts;
using Defender.Mssp.Api.Json;
using Defender.Mssp.Api.Options;
using Defender.Mssp.Runtime.Tenants;
using Defender.Mssp.Sources;
using Defender.Mssp.Tenants;
using Microsoft.Extensions.Options;

namespace Defender.Mssp.Api.Validation;

/// <summary>
/// Checks requests against <see cref="TenantRules"/> and <see cref="TenantRulesOptions"/>, collecting every violation
/// by field name (JSON camelCase) rather than stopping at the first, and returns the values in canonical form.
/// Messages never repeat the offending value.
/// </summary>
public sealed class TenantRequestValidator(IOptions<TenantRulesOptions> options, TimeProvider? time = null, GlobalSinkNames? sinkNames = null)
{
    private const string SinksField = "sinks";

    private readonly TenantRulesOptions _rules = options.Value;
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    public ValidTenant? ValidateCreate(TenantCreateRequest request, FieldErrors errors)
    {
        ArgumentNullException.ThrowIfNull(request);
        var before = errors.Count;
        var tenantId = RequiredGuid(request.TenantId, "tenantId", errors);
        var clientId = RequiredGuid(request.ClientId, "clientId", errors);
        var (secret, certificate) = Credential(request.ClientSecret, request.Credential, errors);
        var displayName = request.DisplayName is null ? "" : DisplayName(request.DisplayName, errors);
        var cloud = request.Cloud is null ? DefenderCloud.Commercial : Cloud(request.Cloud, errors);
        var region = request.SiemRegion is null ? TenantSettings.DefaultSiemRegion : SiemRegion(request.SiemRegion, errors);
        var xdrRegion = string.IsNullOrEmpty(request.XdrRegion) ? null : XdrRegion(request.XdrRegion, errors);
        if (xdrRegion is not null && cloud is not null and not DefenderCloud.Commercial)
        {
            errors.Add("xdrRegion", "Regional XDR hosts exist in the Commercial cloud only.");
        }

        var sources = request.Sources is null ? DefenderSources.Default : Sources(request.Sources, errors);
        var interval = request.PollInterval is { } given ? PollInterval(given, errors) : DefaultPollInterval;
        var lookback = request.InitialLookback is { } look ? InitialLookback(look, errors) : DefaultInitialLookback;
        var groups = request.MachineGroups is null ? [] : MachineGroups(request.MachineGroups, errors);
        var sinks = request.Sinks is null ? null : Sinks(request.Sinks, errors);
        if (errors.Count > before)
        {
            return null;
        }

        return new ValidTenant(tenantId!, displayName ?? "", clientId!, secret, cloud ?? default, region!, sources!, interval ?? default,
            lookback ?? default, groups!, request.Paused ?? false, certificate, xdrRegion, sinks);
    }

    public ValidPatch? ValidatePatch(TenantPatchRequest request, FieldErrors errors)
    {
        ArgumentNullException.ThrowIfNull(request);
        var before = errors.Count;
        var patch = new ValidPatch(
            request.DisplayName is null ? null : DisplayName(request.DisplayName, errors),
            request.Cloud is null ? null : Cloud(request.Cloud, errors),
            request.SiemRegion is null ? null : SiemRegion(request.SiemRegion, errors),
            request.Sources is null ? null : Sources(request.Sources, errors),
            request.PollInterval is { } interval ? PollInterval(interval, errors) : null,
            request.InitialLookback is { } lookback ? InitialLookback(lookback, errors) : null,
            request.MachineGroups is null ? null : MachineGroups(request.MachineGroups, errors),
            request.XdrRegion is null ? null : request.XdrRegion.Length == 0 ? "" : XdrRegion(request.XdrRegion, errors),
            request.SinksGiven,
            request.Sinks is null ? null : Sinks(request.Sinks, errors));
        if (errors.Count == before && patch == new ValidPatch(null, null, null, null, null, null, null))
        {
            errors.Add("body", "Give at least one field to change.");
        }

        return errors.Count > before ? null : patch;
    }

    public ValidCredentials? ValidateCredentials(CredentialsRequest request, FieldErrors errors)
    {
        ArgumentNullException.ThrowIfNull(request);
        var before = errors.Count;
        var (secret, certificate) = Credential(request.ClientSecret, request.Credential, errors);
        var clientId = request.ClientId is null ? null : RequiredGuid(request.ClientId, "clientId", errors);
        return errors.Count > before ? null : new ValidCredentials(secret, clientId, certificate);
    }

    private TenantSinks? Sinks(TenantSinksInput input, FieldErrors errors) =>
        TenantSinkValidator.Validate(input, SinksField, sinkNames ?? NoGlobalSinks, errors, out _);

    private static readonly GlobalSinkNames NoGlobalSinks = new(new ConfigurationBuilder().Build());

    /// <summary>The default interval, raised to the configured minimum when that is longer.</summary>
    private TimeSpan DefaultPollInterval =>
        TenantSettings.DefaultPollInterval < _rules.MinPollInterval ? _rules.MinPollInterval
        : TenantSettings.DefaultPollInterval > _rules.MaxPollInterval ? _rules.MaxPollInterval
        : TenantSettings.DefaultPollInterval;

    private TimeSpan DefaultInitialLookback =>
        TenantSettings.DefaultInitialLookback > _rules.MaxInitialLookback ? _rules.MaxInitialLookback : TenantSettings.DefaultInitialLookback;

    internal static string? RequiredGuid(string? value, string field, FieldErrors errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors.Add(field, "Required.");
            return null;
        }

        if (!TenantIds.TryNormalize(value, out var normalized) || !string.Equals(value.Trim(), value, StringComparison.Ordinal))
        {
            errors.Add(field, "Must be a GUID, e.g. 00000000-0000-0000-0000-000000000000 with real digits.");
            return null;
        }

        if (Guid.Parse(normalized) == Guid.Empty)
        {
            errors.Add(field, "Must not be the empty GUID.");
            return null;
        }

        return normalized;
    }

    private static Secret? RequiredSecret(string? value, string field, FieldErrors errors)
    {
        if (string.IsNullOrEmpty(value))
        {
            errors.Add(field, "Required.");
            return null;
        }

        if (value.Length > TenantRules.MaxSecretLength)
        {
            errors.Add(field, $"Must be at most {TenantRules.MaxSecretLength} characters.");
            return null;
        }

        if (TenantRules.HasControlCharacters(value) || char.IsWhiteSpace(value[0]) || char.IsWhiteSpace(value[^1]))
        {
            // Almost always a copy-and-paste accident (a trailing newline), and the token endpoint would reject it.
            errors.Add(field, "Must not contain control characters or start or end with white space.");
            return null;
        }

        return new Secret(value);
    }

    /// <summary>A client secret or a certificate credential: exactly one of the two.</summary>
    private (Secret? Secret, TenantCertificate? Certificate) Credential(string? secret, CredentialInput? credential, FieldErrors errors)
    {
        if (credential is null)
        {
            return (RequiredSecret(secret, "clientSecret", errors), null);
        }

        if (secret is not null)
        {
            errors.Add("credential", "Give clientSecret or credential, not both.");
            return (null, null);
        }

        return (null, Certificate(credential, errors));
    }

    /// <summary>
    /// The certificate of <paramref name="input"/>, parsed and checked now (it must hold its private key, be RSA of at
    /// least 2048 bits, and not have expired), so that a bad upload is a 400 rather than a tenant failing later.
    /// </summary>
    private TenantCertificate? Certificate(CredentialInput input, FieldErrors errors)
    {
        var before = errors.Count;
        if (string.IsNullOrEmpty(input.Kind))
        {
            errors.Add("credential.kind", "Required.");
        }
        else if (!string.Equals(input.Kind, TenantRules.CertificateKind, StringComparison.OrdinalIgnoreCase))
        {
            errors.Add("credential.kind", $"Must be {TenantRules.CertificateKind} (a client secret goes in clientSecret).");
        }

        var (field, material) = (input.PfxBase64, input.Pem) switch
        {
            (not null, not null) => ("credential", null),
            (not null, null) => ("credential.pfxBase64", input.PfxBase64),
            (null, not null) => ("credential.pem", input.Pem),
            _ => ("credential.pfxBase64", null),
        };
        if (input.PfxBase64 is not null && input.Pem is not null)
        {
            errors.Add(field, "Give pfxBase64 or pem, not both.");
        }
        else if (string.IsNullOrWhiteSpace(material))
        {
            errors.Add(field, "Required: the certificate with its private key, as pfxBase64 (PKCS#12, base64) or pem.");
        }
        else if (material.Length > TenantRules.MaxCertificateLength)
        {
            errors.Add(field, $"Must be at most {TenantRules.MaxCertificateLength} characters.");
        }

        if (input.Password is { Length: > TenantRules.MaxCertificatePasswordLength })
        {
            errors.Add("credential.password", $"Must be at most {TenantRules.MaxCertificatePasswordLength} characters.");
        }

        if (errors.Count > before)
        {
            return null;
        }

        TenantCertificate certificate;
        try
        {
            certificate = input.PfxBase64 is not null
                ? TenantCertificate.FromPkcs12Base64(input.PfxBase64, input.Password)
                : TenantCertificate.FromPem(input.Pem!, input.Password);
        }
        catch (InvalidTenantCertificateException e)
        {
            // The message is ours and names the problem, never the material or the password.
            errors.Add(field, e.Message);
            return null;
        }

        var now = _time.GetUtcNow();
        if (certificate.IsExpiredAt(now))
        {
            errors.Add(field, $"The certificate expired on {certificate.NotAfter:yyyy-MM-dd'T'HH:mm:ss'Z'}; upload one that is valid.");
            return null;
        }

        return certificate;
    }

    private static string? DisplayName(string value, FieldErrors errors)
    {
        const string field = "displayName";
        if (value.Length > TenantRules.MaxDisplayNameLength)
        {
            errors.Add(field, $"Must be at most {TenantRules.MaxDisplayNameLength} characters.");
            return null;
        }

        if (TenantRules.HasControlCharacters(value))
        {
            errors.Add(field, "Must not contain control characters.");
            return null;
        }

        if (value.Length > 0 && TenantRules.FormulaPrefixes.Contains(value[0]))
        {
            errors.Add(field, "Must not start with '=', '+', '-' or '@' (spreadsheets would run it as a formula).");
            return null;
        }

        return value.Trim();
    }

    private static DefenderCloud? Cloud(string value, FieldErrors errors)
    {
        foreach (var cloud in Enum.GetValues<DefenderCloud>())
        {
            if (string.Equals(cloud.ToString(), value, StringComparison.OrdinalIgnoreCase))
            {
                return cloud;
            }
        }

        errors.Add("cloud", $"Must be one of {string.Join(", ", TenantRules.Clouds)}.");
        return null;
    }

    private static string? SiemRegion(string value, FieldErrors errors)
    {
        var region = TenantRules.SiemRegions.FirstOrDefault(known => string.Equals(known, value, StringComparison.OrdinalIgnoreCase));
        if (region is null)
        {
            errors.Add("siemRegion", $"Must be one of {string.Join(", ", TenantRules.SiemRegions)}.");
        }

        return region;
    }

    private static string? XdrRegion(string value, FieldErrors errors)
    {
        var region = TenantRules.XdrRegions.FirstOrDefault(known => string.Equals(known, value, StringComparison.OrdinalIgnoreCase));
        if (region is null)
        {
            errors.Add("xdrRegion", $"Must be one of {string.Join(", ", TenantRules.XdrRegions)}.");
        }

        return region;
    }

    private static IReadOnlyList<string>? Sources(IReadOnlyList<string?> values, FieldErrors errors)
    {
        const string field = "sources";
        if (values.Count == 0)
        {
            errors.Add(field, "Name at least one source; pause the tenant to read none.");
            return null;
        }

        var sources = new List<string>();
        var valid = true;
        for (var i = 0; i < values.Count; i++)
        {
            var source = TenantRules.Sources.FirstOrDefault(known => string.Equals(known, values[i], StringComparison.OrdinalIgnoreCase));
            if (source is null)
            {
                errors.Add($"{field}[{i}]", $"Must be one of {string.Join(", ", TenantRules.Sources)}.");
                valid = false;
            }
            else if (sources.Contains(source))
            {
                errors.Add($"{field}[{i}]", "Named more than once.");
                valid = false;
            }
            else
            {
                sources.Add(source);
            }
        }

        return valid ? sources : null;
    }

    private TimeSpan? PollInterval(TimeSpan value, FieldErrors errors)
    {
        if (value < _rules.MinPollInterval || value > _rules.MaxPollInterval)
        {
            errors.Add("pollInterval", $"Must be between {Durations.Format(_rules.MinPollInterval)} and {Durations.Format(_rules.MaxPollInterval)}.");
            return null;
        }

        return value;
    }

    private TimeSpan? InitialLookback(TimeSpan value, FieldErrors errors)
    {
        if (value < TimeSpan.Zero || value > _rules.MaxInitialLookback)
        {
            errors.Add("initialLookback", $"Must be between 00:00:00 and {Durations.Format(_rules.MaxInitialLookback)}.");
            return null;
        }

        return value;
    }

    private static IReadOnlyList<string>? MachineGroups(IReadOnlyList<string?> values, FieldErrors errors)
    {
        const string field = "machineGroups";
        if (values.Count > TenantRules.MaxMachineGroups)
        {
            errors.Add(field, $"At most {TenantRules.MaxMachineGroups} machine groups.");
            return null;
        }

        var groups = new List<string>(values.Count);
        var valid = true;
        for (var i = 0; i < values.Count; i++)
        {
            var value = values[i];
            string? problem = value switch
            {
                null => "Must not be null.",
                { Length: 0 } => "Must not be empty.",
                { Length: > TenantRules.MaxMachineGroupLength } => $"Must be at most {TenantRules.MaxMachineGroupLength} characters.",
                _ when TenantRules.HasControlCharacters(value) => "Must not contain control characters.",
                _ when groups.Contains(value, StringComparer.Ordinal) => "Named more than once.",
                _ => null,
            };
            if (problem is null)
            {
                groups.Add(value!);
            }
            else
            {
                errors.Add($"{field}[{i}]", problem);
                valid = false;
            }
        }

        return valid ? groups : null;
    }
}
