using Defender.Mssp.Api.Contracts;
using Defender.Mssp.Api.Validation;

namespace Defender.Mssp.Api.Bulk;

/// <summary>One tenant of a bulk request as parsed: its line in the body and either a request or what kept it from being one.</summary>
public sealed record BulkRow(int Line, TenantCreateRequest? Request, FieldErrors Errors);

/// <summary>A bulk body as parsed: its rows, or errors that concern the body as a whole (bad header, not an array).</summary>
public sealed record BulkBody(IReadOnlyList<BulkRow> Rows, FieldErrors BodyErrors);
