using Defender.Mssp.Runtime.Development;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Storage wiring: <c>ConnectionStrings:storage</c> (what an AppHost injects) feeds <c>Storage:ConnectionString</c>;
/// in Development with neither set, the silo starts its own Azurite (data under <c>.data/azurite</c>) so that
/// <c>dotnet run</c> needs nothing else.
/// </summary>
public static class DevelopmentStorage
{
    public const string ConnectionStringKey = "Storage:ConnectionString";

    public static async Task<IHostApplicationBuilder> AddStorageConnectionAsync(this IHostApplicationBuilder builder)
    {
        if (builder.Configuration.GetConnectionString("storage") is { Length: > 0 } injected
            && string.IsNullOrEmpty(builder.Configuration[ConnectionStringKey]))
        {
            builder.Configuration[ConnectionStringKey] = injected;
        }

        if (!string.IsNullOrEmpty(builder.Configuration[ConnectionStringKey])
            || !string.IsNullOrEmpty(builder.Configuration["Storage:BlobServiceUri"])
            || !builder.Environment.IsDevelopment())
        {
            return builder;
        }

        var azurite = new AzuriteServer(new AzuriteServerOptions
        {
            Location = Path.Combine(builder.Environment.ContentRootPath, ".data", "azurite"),
            SearchFrom = builder.Environment.ContentRootPath,
        });
        await azurite.StartAsync().ConfigureAwait(false);
        builder.Services.AddSingleton(_ => azurite); // factory-registered, so the container stops it at shutdown
        builder.Configuration[ConnectionStringKey] = azurite.ConnectionString;
        return builder;
    }
}
