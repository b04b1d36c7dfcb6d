using System.Security.Cryptography;
using System.Text;
using Defender.Simulator.Diagnostics;
using Defender.Simulator.Faults;
using Defender.Simulator.Records;

namespace Defender.Simulator.Tenants;

/// <summary>
/// The live state of one simulated tenant: app registrations, fault rules, throttling counters, its record world,
/// statistics and call log. Definitions are copied in, so callers cannot change a tenant behind its lock.
/// </summary>
internal sealed partial class SimulatedTenant
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, AppRegistration> _apps = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<FaultRule> _faults = [];
    private readonly Dictionary<(string Api, string ClientId), ThrottleWindow> _throttles = [];

    public SimulatedTenant(TenantDefinition definition, DateTimeOffset now, int callLogCapacity)
    {
        TenantId = definition.TenantId;
        DisplayName = string.IsNullOrWhiteSpace(definition.DisplayName) ? "Tenant " + TenantId.ToString("N")[..8] : definition.DisplayName;
        TokenLifetime = definition.TokenLifetime > TimeSpan.Zero ? definition.TokenLifetime : TenantDefinition.DefaultTokenLifetime;
        Throttling = definition.Throttling;
        Cloud = string.IsNullOrWhiteSpace(definition.Cloud) ? null : definition.Cloud.Trim();
        Sources = [.. definition.Sources.Where(s => !string.IsNullOrWhiteSpace(s)).Select(s => s.Trim().ToLowerInvariant()).Distinct()];
        foreach (var app in definition.Apps)
        {
            PutApp(app);
        }

        SetFaults(definition.Faults);
        World = new TenantWorld(TenantId, new ResolvedGenerator(TenantId, definition.Generator, now));
        Calls = new CallLog(callLogCapacity);
    }

    public Guid TenantId { get; }

    public string DisplayName { get; }

    public TimeSpan TokenLifetime { get; }

    public ThrottlingSettings? Throttling { get; }

    /// <summary>The APIs this tenant serves (<see cref="TenantDefinition.Sources"/>); empty: all of them.</summary>
    public IReadOnlyList<string> Sources { get; }

    public TenantWorld World { get; }

    public TenantStats Stats { get; } = new();

    public CallLog Calls { get; }

    /// <summary>Checks a client secret the way Entra ID does: unknown app, wrong secret, or only an expired match.</summary>
    public CredentialResult CheckSecret(string clientId, string? secret, DateTimeOffset now)
    {
        lock (_gate)
        {
            if (!_apps.TryGetValue(clientId, out var app))
            {
                return new CredentialResult(SecretCheck.AppNotFound, null, false);
            }

            var name = app.DisplayName ?? clientId;
            if (string.IsNullOrEmpty(secret))
            {
                return new CredentialResult(SecretCheck.NoCredential, name, app.ConsentGranted);
            }

            var presented = Encoding.UTF8.GetBytes(secret);
            var expiredMatch = false;
            foreach (var candidate in app.Secrets)
            {
                if (!CryptographicOperations.FixedTimeEquals(presented, Encoding.UTF8.GetBytes(candidate.Value)))
                {
                    continue;
                }

                if (candidate.ExpiresAt is { } expires && expires <= now)
                {
                    expiredMatch = true;
                    continue;
                }

                return new CredentialResult(SecretCheck.Valid, name, app.ConsentGranted);
            }

            return new CredentialResult(expiredMatch ? SecretCheck.ExpiredSecret : SecretCheck.InvalidSecret, name, app.ConsentGranted);
        }
    }

    public void PutApp(AppRegistration app)
    {
        var copy = new AppRegistration
        {
            ClientId = app.ClientId,
            DisplayName = app.DisplayName,
            ConsentGranted = app.ConsentGranted,
            Secrets = [.. app.Secrets.Select(CopySecret)],
            Certificates = [.. app.Certificates.Select(CopyCertificate)],
        };
        lock (_gate)
        {
            _apps[app.ClientId] = copy;
        }
    }

    public bool RemoveApp(string clientId)
    {
        lock (_gate)
        {
            return _apps.Remove(clientId);
        }
    }

    /// <summary>Adds a secret to an app; returns its key id, or null when the app does not exist.</summary>
    public Guid? AddSecret(string clientId, ClientSecretDefinition secret)
    {
        var copy = CopySecret(secret);
        lock (_gate)
        {
            if (!_apps.TryGetValue(clientId, out var app))
            {
                return null;
            }

            app.Secrets.Add(copy);
            return copy.KeyId;
        }
    }

    public bool RevokeSecret(string clientId, Guid keyId)
    {
        lock (_gate)
        {
            return _apps.TryGetValue(clientId, out var app) && app.Secrets.RemoveAll(s => s.KeyId == keyId) > 0;
        }
    }

    public bool SetConsent(string clientId, bool granted)
    {
        lock (_gate)
        {
            if (!_apps.TryGetValue(clientId, out var app))
            {
                return false;
            }

            app.ConsentGranted = granted;
            return true;
        }
    }

    public void SetFaults(IEnumerable<FaultRule> rules)
    {
        var copies = rules.Select(CopyFault).ToList();
        lock (_gate)
        {
            _faults.Clear();
            _faults.AddRange(copies);
        }
    }

    public void AddFault(FaultRule rule)
    {
        var copy = CopyFault(rule);
        lock (_gate)
        {
            _faults.Add(copy);
        }
    }

    /// <summary>Takes the first fault rule that applies to <paramref name="source"/>, using up one of its hits.</summary>
    public FaultRule? TakeFault(FaultSource source)
    {
        lock (_gate)
        {
            for (var i = 0; i < _faults.Count; i++)
            {
                var rule = _faults[i];
                if ((rule.Source != FaultSource.Any && rule.Source != source) || !Draw(rule))
                {
                    continue;
                }

                var fired = CopyFault(rule);
                if (rule.Remaining is { } remaining)
                {
                    if (remaining <= 1)
                    {
                        _faults.RemoveAt(i);
                    }
                    else
                    {
                        rule.Remaining = remaining - 1;
                    }
                }

                Stats.FaultInjected();
                return fired;
            }

            return null;
        }
    }

    /// <summary>
    /// Counts an app's call to <paramref name="api"/> against <paramref name="limits"/> (resolved by
    /// <see cref="Api.ApiThrottling"/>); returns the wait when a limit is exceeded.
    /// </summary>
    public TimeSpan? Throttle(string api, string clientId, IReadOnlyList<RateLimit> limits, DateTimeOffset now, out string? exceeded)
    {
        exceeded = null;
        if (limits.Count == 0)
        {
            return null;
        }

        var key = (api, clientId.ToLowerInvariant());
        lock (_gate)
        {
            if (!_throttles.TryGetValue(key, out var window))
            {
                _throttles[key] = window = new ThrottleWindow();
            }

            return window.TryAcquire(now, limits, out exceeded);
        }
    }

    /// <summary>Whether the tenant serves the API named <paramref name="source"/> (<c>incidents</c>, <c>graph-alerts</c>, …).</summary>
    public bool Serves(string source) => Sources.Count == 0 || Sources.Contains(source, StringComparer.OrdinalIgnoreCase);

    /// <summary>The tenant as the admin API shows it (secrets reduced to a hint).</summary>
    public TenantView ToView()
    {
        lock (_gate)
        {
            return new TenantView(
                TenantId,
                DisplayName,
                [.. _apps.Values.Select(a => new AppView(
                    a.ClientId,
                    a.DisplayName,
                    a.ConsentGranted,
                    [.. a.Secrets.Select(s => new SecretView(s.KeyId!.Value, Hint(s.Value), s.ExpiresAt))],
                    [.. a.Certificates.Select(CertificateView)]))],
                World.Generator.Snapshot(World.StopTime, World.Profile.MachineGroups),
                [.. _faults.Select(CopyFault)],
                TokenLifetime,
                Throttling,
                Cloud,
                Sources);
        }
    }

    private static string Hint(string secret) => secret.Length <= 3 ? "***" : secret[..3] + "***";

    private static ClientSecretDefinition CopySecret(ClientSecretDefinition secret) =>
        new() { KeyId = secret.KeyId ?? Guid.NewGuid(), Value = secret.Value, ExpiresAt = secret.ExpiresAt };

    private static FaultRule CopyFault(FaultRule rule) => rule.Copy();

    /// <summary>Whether a rule with a <see cref="FaultRule.Probability"/> hits this request: a seeded, repeatable draw.</summary>
    private bool Draw(FaultRule rule)
    {
        if (rule.Probability is not { } probability)
        {
            return true;
        }

        var seed = rule.Seed ?? DeterministicRandom.Derive(0xFA017UL, TenantId.ToString("N"));
        var draw = new DeterministicRandom(DeterministicRandom.Derive(seed, rule.Draws++));
        return draw.Chance(probability);
    }
}
