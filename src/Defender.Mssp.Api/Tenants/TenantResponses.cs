using Defender.Mssp.Api.Contracts;
using Defender.Mssp.Api.Validation;
using Defender.Mssp.Runtime.Tenants;
using Defender.Mssp.Tenants;

namespace Defender.Mssp.Api.Tenants;

/// <summary>What the API shows of a stored tenant.</summary>
public static class TenantResponses
{
    public static TenantResponse From(TenantDocument document) => new(
        document.TenantId,
        document.DisplayName,
        document.ClientId,
        document.Cloud.ToString(),
        document.SiemRegion,
        document.Sources,
        document.PollInterval,
        document.InitialLookback,
        document.MachineGroups,
        document.Paused,
        document.Credential is { } credential
            ? new CredentialSummary(credential.Kind.ToString(), credential.UpdatedAt, credential.Thumbprint, credential.NotAfter)
            : null,
        document.PollRequest is { } poll ? new PollRequestSummary(poll.Sequence, poll.RequestedAt) : null,
        document.Version,
        document.CreatedAt,
        document.UpdatedAt,
        document.UpdatedBy,
        document.XdrRegion,
        document.Sinks is { } sinks ? Sinks(sinks) : null);

    /// <summary>The tenant's sinks with every secret shown as <c>***</c>.</summary>
    public static TenantSinksResponse Sinks(StoredSinks sinks) => new(
        sinks.Mode == TenantSinkMode.Replace ? "replace" : "add",
        sinks.Sinks.Select(sink => sink.Kind == TenantSinkKind.Named
            ? new TenantSinkResponse { Name = sink.Name }
            : new TenantSinkResponse
            {
                Name = sink.Name,
                Type = TenantSinkTypes.NameOf(sink.Kind),
                Folder = sink.Folder,
                Url = sink.Url?.OriginalString,
                Headers = sink.SealedHeaders?.ToDictionary(header => header.Key, _ => Secret.Redacted, StringComparer.OrdinalIgnoreCase),
                Token = sink.SealedToken is null ? null : Secret.Redacted,
                Index = sink.Index,
                SourceType = sink.SourceType,
                Gzip = sink.Kind is TenantSinkKind.Http or TenantSinkKind.SplunkHec ? sink.Gzip : null,
                Host = sink.Host,
                Port = sink.Port,
                Format = sink.Format,
                Tls = sink.Kind == TenantSinkKind.Syslog ? sink.Tls : null,
            }).ToList());
}
