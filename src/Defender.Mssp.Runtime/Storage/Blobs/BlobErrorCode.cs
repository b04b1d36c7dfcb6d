namespace Defender.Mssp.Runtime.Storage.Blobs;

/// <summary>
/// Error codes the Blob service returns in <c>x-ms-error-code</c>, as found in
/// <see cref="Azure.RequestFailedException.ErrorCode"/>. Same names as Azure.Storage.Blobs' <c>BlobErrorCode</c>, so
/// comparisons like <c>ex.ErrorCode == BlobErrorCode.ConditionNotMet</c> compile against either.
/// </summary>
public static class BlobErrorCode
{
    public const string AuthenticationFailed = "AuthenticationFailed";
    public const string AuthorizationFailure = "AuthorizationFailure";
    public const string BlobAlreadyExists = "BlobAlreadyExists";
    public const string BlobNotFound = "BlobNotFound";
    public const string ConditionNotMet = "ConditionNotMet";
    public const string ContainerAlreadyExists = "ContainerAlreadyExists";
    public const string ContainerBeingDeleted = "ContainerBeingDeleted";
    public const string ContainerNotFound = "ContainerNotFound";
    public const string InvalidHeaderValue = "InvalidHeaderValue";
    public const string LeaseAlreadyPresent = "LeaseAlreadyPresent";
    public const string LeaseIdMismatchWithBlobOperation = "LeaseIdMismatchWithBlobOperation";
    public const string LeaseIdMismatchWithLeaseOperation = "LeaseIdMismatchWithLeaseOperation";
    public const string LeaseIdMissing = "LeaseIdMissing";
    public const string LeaseIsBreakingAndCannotBeAcquired = "LeaseIsBreakingAndCannotBeAcquired";
    public const string LeaseIsBreakingAndCannotBeChanged = "LeaseIsBreakingAndCannotBeChanged";
    public const string LeaseIsBrokenAndCannotBeRenewed = "LeaseIsBrokenAndCannotBeRenewed";
    public const string LeaseLost = "LeaseLost";
    public const string LeaseNotPresentWithBlobOperation = "LeaseNotPresentWithBlobOperation";
    public const string LeaseNotPresentWithLeaseOperation = "LeaseNotPresentWithLeaseOperation";
}
