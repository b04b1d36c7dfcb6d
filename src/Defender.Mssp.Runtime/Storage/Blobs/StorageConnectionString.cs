namespace Defender.Mssp.Runtime.Storage.Blobs;

/// <summary>
/// The parts of an Azure Storage connection string the blob client needs. Parse errors name the missing or bad key
/// but never echo the string, which holds the account key.
/// </summary>
internal sealed record StorageConnectionString(Uri BlobEndpoint, StorageSharedKeyCredential Credential)
{
    private const string DefaultEndpointSuffix = "core.windows.net";

    public static StorageConnectionString Parse(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var settings = Split(connectionString);

        if (settings.TryGetValue("UseDevelopmentStorage", out var dev) && bool.TryParse(dev, out var useDev) && useDev)
        {
            if (settings.ContainsKey("DevelopmentStorageProxyUri"))
            {
                throw new NotSupportedException("DevelopmentStorageProxyUri is not supported.");
            }

            return new StorageConnectionString(
                DevelopmentStorageAccount.DefaultBlobEndpoint,
                new StorageSharedKeyCredential(DevelopmentStorageAccount.Name, DevelopmentStorageAccount.Key));
        }

        if (settings.ContainsKey("SharedAccessSignature"))
        {
            throw new NotSupportedException("Shared access signature connection strings are not supported; use an account key or a TokenCredential.");
        }

        var accountName = Required(settings, "AccountName");
        var credential = new StorageSharedKeyCredential(accountName, Required(settings, "AccountKey"));
        return new StorageConnectionString(BlobEndpointOf(settings, accountName), credential);
    }

    private static Uri BlobEndpointOf(Dictionary<string, string> settings, string accountName)
    {
        if (settings.TryGetValue("BlobEndpoint", out var explicitEndpoint))
        {
            return Uri.TryCreate(explicitEndpoint.TrimEnd('/'), UriKind.Absolute, out var uri)
                ? uri
                : throw new FormatException("The storage connection string's BlobEndpoint is not an absolute URI.");
        }

        var protocol = settings.GetValueOrDefault("DefaultEndpointsProtocol", "https");
        if (protocol is not ("https" or "http"))
        {
            throw new FormatException("The storage connection string's DefaultEndpointsProtocol must be http or https.");
        }

        var suffix = settings.GetValueOrDefault("EndpointSuffix", DefaultEndpointSuffix);
        return new Uri($"{protocol}://{accountName}.blob.{suffix}");
    }

    private static string Required(Dictionary<string, string> settings, string key) =>
        settings.TryGetValue(key, out var value) && value.Length > 0
            ? value
            : throw new FormatException($"The storage connection string has no {key}.");

    private static Dictionary<string, string> Split(string connectionString)
    {
        var settings = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var part in connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            // Split at the first '=' only: Base64 keys end in '=' padding.
            var equals = part.IndexOf('=');
            if (equals <= 0)
            {
                throw new FormatException("The storage connection string is malformed: every setting must be Key=Value.");
            }

            var key = part[..equals].Trim();
            if (!settings.TryAdd(key, part[(equals + 1)..].Trim()))
            {
                throw new FormatException($"The storage connection string sets {key} twice.");
            }
        }

        return settings;
    }
}
