namespace Defender.Mssp.Runtime.Storage.Blobs;

/// <summary>
/// The storage emulator's well-known account (<c>devstoreaccount1</c>). Its key is published in Microsoft's
/// documentation and only ever opens a local emulator, so it is not a secret.
/// </summary>
public static class DevelopmentStorageAccount
{
    public const string Name = "devstoreaccount1";

    public const string Key = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    /// <summary>The endpoint <c>UseDevelopmentStorage=true</c> means: the emulator's default blob port.</summary>
    public static Uri DefaultBlobEndpoint { get; } = new("http://127.0.0.1:10000/" + Name);

    /// <summary>A connection string for the development account at <paramref name="blobEndpoint"/>.</summary>
    public static string ConnectionString(Uri blobEndpoint) =>
        $"DefaultEndpointsProtocol={blobEndpoint.Scheme};AccountName={Name};AccountKey={Key};BlobEndpoint={blobEndpoint.AbsoluteUri.TrimEnd('/')};";
}
