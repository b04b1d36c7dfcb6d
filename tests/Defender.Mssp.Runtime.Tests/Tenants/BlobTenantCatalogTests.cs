using Defender.Mssp.Runtime.Tenants;
using Defender.Mssp.Tenants;
using Defender.Mssp.TestKit;

namespace Defender.Mssp.Runtime.Tests.Tenants;

[Collection(AzuriteFixture.CollectionName)]
public sealed class BlobTenantCatalogTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => CancellationToken.None;

    [Fact]
    public async Task Documents_become_settings_with_the_secret_unsealed()
    {
        using var setup = new CatalogSetup(azurite.NewContainer(), azurite.ConnectionString);
        var stored = await setup.CreateAsync("the-secret", document => document with
        {
            Cloud = DefenderCloud.GccHigh,
            SiemRegion = "eu",
            Sources = ["siem"],
            PollInterval = TimeSpan.FromMinutes(2),
            InitialLookback = TimeSpan.FromHours(3),
            MachineGroups = ["Finance"],
            Paused = true,
            DisplayName = "",
        });

        var settings = Assert.Single(await setup.Catalog.ListAsync(Ct));

        Assert.Equal(stored.Document.TenantId, settings.TenantId);
        Assert.Equal(stored.Document.TenantId, settings.DisplayName);
        Assert.Equal(stored.Document.ClientId, settings.ClientId);
        Assert.Equal("the-secret", settings.ClientSecret!.Reveal());
        Assert.Equal(DefenderCloud.GccHigh, settings.Cloud);
        Assert.Equal("eu", settings.SiemRegion);
        Assert.Equal(["siem"], settings.Sources);
        Assert.Equal(TimeSpan.FromMinutes(2), settings.PollInterval);
        Assert.Equal(TimeSpan.FromHours(3), settings.InitialLookback);
        Assert.Equal(["Finance"], settings.MachineGroups);
        Assert.True(settings.Paused);
    }

    [Fact]
    public async Task Changes_additions_and_deletions_show_in_the_next_read()
    {
        using var setup = new CatalogSetup(azurite.NewContainer(), azurite.ConnectionString);
        var kept = await setup.CreateAsync();
        var changed = await setup.CreateAsync("old-secret");
        var deleted = await setup.CreateAsync();
        Assert.Equal(3, (await setup.Catalog.ListAsync(Ct)).Count);

        await setup.Store.ReplaceAsync(changed.Document with { Paused = true, Credential = setup.Seal(changed.Document.TenantId, "new-secret") }, changed.ETag, Ct);
        await setup.Store.DeleteAsync(deleted.Document.TenantId, null, Ct);
        var added = await setup.CreateAsync();

        var settings = (await setup.Catalog.ListAsync(Ct)).ToDictionary(s => s.TenantId);
        Assert.Equal(
            new[] { kept, changed, added }.Select(s => s.Document.TenantId).Order(StringComparer.Ordinal),
            settings.Keys.Order(StringComparer.Ordinal));
        Assert.True(settings[changed.Document.TenantId].Paused);
        Assert.Equal("new-secret", settings[changed.Document.TenantId].ClientSecret!.Reveal());
    }

    [Fact]
    public async Task A_document_that_cannot_be_read_or_unsealed_is_left_out_and_the_others_still_listed()
    {
        using var setup = new CatalogSetup(azurite.NewContainer(), azurite.ConnectionString);
        var good = await setup.CreateAsync();
        var foreignSeal = setup.Seal(Documents.NewTenantId(), "sealed-for-someone-else");
        var unsealable = await setup.CreateAsync(change: document => document with { Credential = foreignSeal });
        var garbled = Documents.NewTenantId();
        await setup.Container.GetBlobClient($"tenants/{garbled}.json").UploadAsync(BinaryData.FromString("{ not json"));

        var settings = await setup.Catalog.ListAsync(Ct);

        Assert.Equal(good.Document.TenantId, Assert.Single(settings).TenantId);

        // Fixed documents come back by themselves on the next read.
        await setup.Store.ReplaceAsync(unsealable.Document with { Credential = setup.Seal(unsealable.Document.TenantId, "fixed") }, unsealable.ETag, Ct);
        Assert.Equal(2, (await setup.Catalog.ListAsync(Ct)).Count);
    }

    [Fact]
    public async Task A_tenant_without_credential_is_listed_without_a_secret()
    {
        using var setup = new CatalogSetup(azurite.NewContainer(), azurite.ConnectionString);
        await setup.CreateAsync(change: document => document with { Credential = null });

        Assert.Null(Assert.Single(await setup.Catalog.ListAsync(Ct)).ClientSecret);
    }

    [Fact]
    public async Task A_new_poll_request_is_reported_once_and_one_already_there_when_first_seen_is_not()
    {
        var handler = new RecordingPollHandler();
        using var setup = new CatalogSetup(azurite.NewContainer(), azurite.ConnectionString, handler, new ThrowingPollHandler());
        var old = await setup.CreateAsync(change: document => document with { PollRequest = new PollRequest { Sequence = 4 } });
        var stored = await setup.CreateAsync();
        await setup.Catalog.ListAsync(Ct);

        await setup.Store.ReplaceAsync(stored.Document with { PollRequest = new PollRequest { Sequence = 1 } }, stored.ETag, Ct);
        var first = await setup.Catalog.ListAsync(Ct);
        var second = await setup.Catalog.ListAsync(Ct);

        Assert.Equal([(stored.Document.TenantId, 1L)], handler.Requests);
        Assert.Equal(2, first.Count);
        Assert.Equal(2, second.Count);
        Assert.DoesNotContain(handler.Requests, request => request.TenantId == old.Document.TenantId);
    }

    [Fact]
    public async Task An_empty_or_missing_container_is_an_empty_catalogue()
    {
        using var setup = new CatalogSetup(azurite.NewContainer(), azurite.ConnectionString);

        Assert.Empty(await setup.Catalog.ListAsync(Ct));
    }

    [Fact]
    public async Task Settings_are_reused_while_a_document_is_unchanged()
    {
        using var setup = new CatalogSetup(azurite.NewContainer(), azurite.ConnectionString);
        await setup.CreateAsync();

        var first = Assert.Single(await setup.Catalog.ListAsync(Ct));
        var second = Assert.Single(await setup.Catalog.ListAsync(Ct));

        // The same instance: nothing was downloaded or unsealed again.
        Assert.Same(first, second);
    }
}
