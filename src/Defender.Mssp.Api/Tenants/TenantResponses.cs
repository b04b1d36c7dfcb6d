using Defender.Mssp.Api.Contracts;
using Defender.Mssp.Runtime.Tenants;

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
        document.XdrRegion);
}
