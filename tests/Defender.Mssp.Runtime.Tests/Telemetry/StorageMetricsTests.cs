using Azure;
using Defender.Mssp.Runtime.Storage;
using Defender.Mssp.Storage;
using Defender.Mssp.TestKit;
using Defender.Mssp.TestKit.Telemetry;

namespace Defender.Mssp.Runtime.Tests.Telemetry;

/// <summary>Grain storage's metrics, against Azurite: every operation timed, refused writes counted as conflicts.</summary>
[Collection(AzuriteFixture.CollectionName)]
public sealed class StorageMetricsTests(AzuriteFixture azurite) : IDisposable
{
    private readonly TestMeterFactory _meters = new();
    private readonly string _key = "tenant-" + Guid.NewGuid().ToString("N");
    private MetricCapture? _capture;

    public void Dispose()
    {
        _capture?.Dispose();
        _meters.Dispose();
    }

    [Fact]
    public async Task Reads_writes_and_deletes_are_timed_and_a_stale_etag_is_a_conflict()
    {
        _capture = new MetricCapture(_meters);
        var storage = new BlobGrainStorage(azurite.NewContainer(), metrics: new StorageMetrics(_meters));

        var etag = await storage.WriteAsync(_key, new Sample("a"), StorageConditions.CreateNew(), CancellationToken.None);
        await storage.ReadAsync<Sample>(_key, CancellationToken.None);
        await storage.WriteAsync(_key, new Sample("b"), new StorageConditions(etag, null), CancellationToken.None);
        await Assert.ThrowsAsync<InconsistentStateException>(
            () => storage.WriteAsync(_key, new Sample("c"), new StorageConditions(etag, null), CancellationToken.None));
        await storage.DeleteAsync(_key, new StorageConditions(null, null), CancellationToken.None);

        var operations = _capture.Of("defender.storage.operation.duration");
        Assert.All(operations, operation => Assert.Equal("s", operation.Unit));
        Assert.Equal(
            ["write:", "read:", "write:", "write:etag_mismatch", "delete:"],
            operations.Select(operation => operation.Tag("defender.storage.operation") + ":" + operation.Tag("error.type")));
        var conflict = Assert.Single(_capture.Of("defender.storage.conflicts"));
        Assert.Equal("{conflict}", conflict.Unit);
        Assert.True(conflict.HasTags(("defender.storage.operation", "write"), ("error.type", "etag_mismatch")));
    }

    [Fact]
    public async Task A_lost_lease_is_a_conflict_and_other_failures_carry_their_error_code()
    {
        _capture = new MetricCapture(_meters);
        var metrics = new StorageMetrics(_meters);

        await Assert.ThrowsAsync<LeaseLostException>(() => metrics.MeasureAsync(StorageOperations.Write,
            () => Task.FromException<string>(new LeaseLostException(_key, "lease lost"))));
        await Assert.ThrowsAsync<RequestFailedException>(() => metrics.MeasureAsync(StorageOperations.Read,
            () => Task.FromException<string>(new RequestFailedException(503, "busy", "ServerBusy", null))));

        Assert.Equal(
            ["write:lease_lost", "read:ServerBusy"],
            _capture.Of("defender.storage.operation.duration")
                .Select(operation => operation.Tag("defender.storage.operation") + ":" + operation.Tag("error.type")));
        Assert.Equal("lease_lost", Assert.Single(_capture.Of("defender.storage.conflicts")).Tag("error.type"));
    }

    private sealed record Sample(string Name);
}
