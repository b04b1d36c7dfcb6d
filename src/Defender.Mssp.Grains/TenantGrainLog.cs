using Defender.Mssp.Grains.State;
using Microsoft.Extensions.Logging;

namespace Defender.Mssp.Grains;

/// <summary>The tenant grain's log lines. Every line names the tenant; none carries a secret or token.</summary>
internal static partial class TenantGrainLog
{
    [LoggerMessage(1, LogLevel.Information, "Tenant {TenantId} activated on silo {SiloId} (state found: {StateFound})")]
    public static partial void Activated(this ILogger logger, string tenantId, string? siloId, bool stateFound);

    [LoggerMessage(2, LogLevel.Information, "Tenant {TenantId} deactivated (state saved: {StateSaved})")]
    public static partial void Deactivated(this ILogger logger, string tenantId, bool stateSaved);

    [LoggerMessage(3, LogLevel.Debug,
        "Tenant {TenantId} source {Source}: {Delivered} new of {Read} read in [{WindowFrom:O}, {WindowTo:O})")]
    public static partial void SourcePolled(
        this ILogger logger, string tenantId, string source, int delivered, int read, DateTimeOffset windowFrom, DateTimeOffset windowTo);

    [LoggerMessage(4, LogLevel.Warning,
        "Tenant {TenantId} source {Source} failed: {Health} ({ErrorCode}), failure {ConsecutiveFailures}; next try not before {RetryNotBefore:O}")]
    public static partial void SourceFailed(
        this ILogger logger, Exception exception, string tenantId, string source, TenantHealth health, string errorCode,
        int consecutiveFailures, DateTimeOffset? retryNotBefore);

    [LoggerMessage(5, LogLevel.Error, "Tenant {TenantId} names source {Source}, which is not registered; it is skipped")]
    public static partial void UnknownSource(this ILogger logger, string tenantId, string source);

    [LoggerMessage(6, LogLevel.Debug, "Tenant {TenantId} source {Source} is backing off until {RetryNotBefore:O}")]
    public static partial void SourceNotDue(this ILogger logger, string tenantId, string source, DateTimeOffset? retryNotBefore);

    [LoggerMessage(7, LogLevel.Error, "Tenant {TenantId} could not save its checkpoint; delivery stops until it can")]
    public static partial void CheckpointWriteFailed(this ILogger logger, Exception exception, string tenantId);

    [LoggerMessage(8, LogLevel.Warning, "Tenant {TenantId} is no longer this silo's to write ({Reason}); the turn ends without writing")]
    public static partial void Fenced(this ILogger logger, Exception exception, string tenantId, string reason);

    [LoggerMessage(9, LogLevel.Debug,
        "Tenant {TenantId} turn done: {Outcome}, {Health}, {Delivered} delivered, state written: {StateWritten}")]
    public static partial void TurnCompleted(
        this ILogger logger, string tenantId, PollOutcome outcome, TenantHealth health, int delivered, bool stateWritten);

    [LoggerMessage(10, LogLevel.Warning, "Tenant {TenantId}: a grain observer failed")]
    public static partial void ObserverFailed(this ILogger logger, Exception exception, string tenantId);

    [LoggerMessage(11, LogLevel.Warning, "Tenant {TenantId} could not save its state on deactivation")]
    public static partial void DeactivationWriteFailed(this ILogger logger, Exception exception, string tenantId);

    [LoggerMessage(13, LogLevel.Debug,
        "Tenant {TenantId} source {Source}: the read of [{SliceFrom:O}, {SliceTo:O}) passed {Read} records; reading a shorter slice")]
    public static partial void SliceAbandoned(
        this ILogger logger, string tenantId, string source, DateTimeOffset sliceFrom, DateTimeOffset sliceTo, int read);

    [LoggerMessage(14, LogLevel.Information,
        "Tenant {TenantId} source {Source}: handing over; [{From:O}, {To:O}) is left for the next owner")]
    public static partial void WindowLeftForNextOwner(
        this ILogger logger, string tenantId, string source, DateTimeOffset from, DateTimeOffset to);
}
