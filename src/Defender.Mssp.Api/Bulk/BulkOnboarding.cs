using Defender.Mssp.Api.Contracts;
using Defender.Mssp.Api.Endpoints;
using Defender.Mssp.Api.Tenants;
using Defender.Mssp.Api.Validation;
using Defender.Mssp.Runtime.Tenants;

namespace Defender.Mssp.Api.Bulk;

/// <summary>
/// Onboards many tenants at once. Every row is validated first — values, duplicates inside the request, tenants that
/// exist — and then either all valid rows are stored, or (atomic) none unless every row is valid.
/// </summary>
/// <remarks>
/// Blob storage has no transactions across blobs. An atomic request that passes validation can still lose a race (a
/// tenant created by someone else meanwhile) or meet a storage failure half-way; the tenants it created are then
/// deleted again (each only if still at the version it wrote), so the request leaves nothing behind.
/// </remarks>
public sealed class BulkOnboarding(
    TenantRequestValidator validator,
    TenantWriter writer,
    TenantDocumentStore store,
    ILogger<BulkOnboarding> logger)
{
    /// <summary>How many tenants are created at once.</summary>
    public const int MaxConcurrentWrites = 8;

    public async Task<IResult> RunAsync(BulkBody body, bool atomic, string actor, CancellationToken cancellationToken)
    {
        if (!body.BodyErrors.IsEmpty)
        {
            return ApiProblems.Validation(body.BodyErrors);
        }

        var (valid, rejected) = await ValidateAsync(body.Rows, cancellationToken).ConfigureAwait(false);
        if (rejected.Count > 0 && (atomic || valid.Count == 0))
        {
            return RowsProblem(rejected, nothingStored: true);
        }

        var created = new List<(BulkCreated Row, StoredTenant Stored)>();
        var lateRejects = new List<BulkRowError>();
        var gate = new object();
        try
        {
            await Parallel.ForEachAsync(
                valid,
                new ParallelOptions { MaxDegreeOfParallelism = MaxConcurrentWrites, CancellationToken = cancellationToken },
                async (row, ct) =>
                {
                    try
                    {
                        var stored = await writer.CreateAsync(row.Tenant, actor, ct).ConfigureAwait(false);
                        lock (gate)
                        {
                            created.Add((new BulkCreated(row.Line, stored.Document.TenantId, stored.Document.Version), stored));
                        }
                    }
                    catch (TenantAlreadyExistsException)
                    {
                        lock (gate)
                        {
                            lateRejects.Add(Rejection(row.Line, row.Tenant.TenantId, StatusCodes.Status409Conflict, "tenantId", "Tenant exists."));
                        }

                        if (atomic)
                        {
                            throw;
                        }
                    }
                }).ConfigureAwait(false);
        }
        catch (Exception e) when (atomic)
        {
            var failed = lateRejects.FirstOrDefault()?.TenantId ?? "?";
            await RollBackAsync(created.Select(pair => pair.Stored).ToList(), actor, failed).ConfigureAwait(false);
            if (e is TenantAlreadyExistsException)
            {
                return RowsProblem(lateRejects, nothingStored: true);
            }

            throw;
        }

        rejected.AddRange(lateRejects);
        ApiLog.BulkOnboarded(logger, actor, created.Count, rejected.Count, atomic);
        var result = new BulkOnboardResult(
            created.Select(pair => pair.Row).OrderBy(row => row.Line).ToList(),
            rejected.OrderBy(row => row.Line).ToList());
        return created.Count == 0 ? RowsProblem(rejected, nothingStored: true) : TypedResults.Ok(result);
    }

    private async Task<(List<(int Line, ValidTenant Tenant)> Valid, List<BulkRowError> Rejected)> ValidateAsync(
        IReadOnlyList<BulkRow> rows, CancellationToken cancellationToken)
    {
        var valid = new List<(int Line, ValidTenant Tenant)>();
        var rejected = new List<BulkRowError>();
        var firstLineOf = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            var errors = row.Errors;
            var tenant = row.Request is null ? null : validator.ValidateCreate(row.Request, errors);
            if (tenant is null)
            {
                rejected.Add(new BulkRowError(row.Line, Canonical(row.Request?.TenantId), StatusCodes.Status400BadRequest, errors.ToDictionary()));
            }
            else if (firstLineOf.TryGetValue(tenant.TenantId, out var first))
            {
                rejected.Add(Rejection(row.Line, tenant.TenantId, StatusCodes.Status409Conflict, "tenantId", $"Same tenant as line {first}."));
            }
            else
            {
                firstLineOf[tenant.TenantId] = row.Line;
                valid.Add((row.Line, tenant));
            }
        }

        if (valid.Count > 0)
        {
            // One listing answers "does it exist?" for every row at once.
            var existing = new HashSet<string>(StringComparer.Ordinal);
            await foreach (var listing in store.ListAsync(cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                existing.Add(listing.TenantId);
            }

            foreach (var row in valid.Where(row => existing.Contains(row.Tenant.TenantId)).ToList())
            {
                valid.Remove(row);
                rejected.Add(Rejection(row.Line, row.Tenant.TenantId, StatusCodes.Status409Conflict, "tenantId", "Tenant exists."));
            }
        }

        return (valid, rejected);
    }

    private async Task RollBackAsync(IReadOnlyList<StoredTenant> created, string actor, string failedTenantId)
    {
        foreach (var stored in created)
        {
            try
            {
                // Not cancellable: the request is over, but what it stored must not stay.
                await store.DeleteAsync(stored.Document.TenantId, stored.ETag, CancellationToken.None).ConfigureAwait(false);
            }
            catch (TenantConcurrencyException)
            {
                // Changed by someone since we created it: theirs now, so leave it.
            }
        }

        ApiLog.BulkRolledBack(logger, actor, created.Count, failedTenantId);
    }

    /// <summary>A problem listing every bad row: 409 when each is a conflict, 400 otherwise.</summary>
    private static IResult RowsProblem(IReadOnlyList<BulkRowError> rejected, bool nothingStored)
    {
        var flattened = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var row in rejected)
        {
            foreach (var (field, messages) in row.Errors)
            {
                flattened[$"line {row.Line}: {field}"] = messages;
            }
        }

        var status = rejected.All(row => row.Status == StatusCodes.Status409Conflict) ? StatusCodes.Status409Conflict : StatusCodes.Status400BadRequest;
        var problem = new HttpValidationProblemDetails(flattened)
        {
            Status = status,
            Title = nothingStored ? "Some rows are not valid; nothing was stored." : "Some rows are not valid.",
        };
        problem.Extensions["rows"] = rejected.OrderBy(row => row.Line).ToList();
        return TypedResults.Problem(problem);
    }

    private static BulkRowError Rejection(int line, string? tenantId, int status, string field, string message) =>
        new(line, tenantId, status, new Dictionary<string, string[]> { [field] = [message] });

    private static string? Canonical(string? tenantId) => TenantIds.TryNormalize(tenantId, out var id) ? id : null;
}
