using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Azure;
using Defender.Mssp.Runtime.Storage.Blobs;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Defender.Mssp.Runtime.DataProtection;

/// <summary>
/// ASP.NET Core Data Protection's key ring in blob storage: one blob per XML element (<c>{prefix}{friendlyName}.xml</c>),
/// so every process that points at the same container and prefix — the API and all silos — shares one key ring.
/// </summary>
/// <remarks>
/// Elements are only ever added, never changed (Data Protection revokes a key by adding a revocation element), so each
/// is created with <c>If-None-Match: *</c>: two processes that create their first key at the same moment each add
/// their own blob and both keys are then valid, rather than one overwriting the other. <see cref="IXmlRepository"/> is
/// synchronous; Data Protection calls it only when it (re)loads the key ring — at start, when a key is due to roll,
/// when it meets a key id it does not know, and every 24 hours — so the blocking waits here are rare and short.
/// </remarks>
public sealed partial class BlobXmlRepository : IXmlRepository
{
    private const string Extension = ".xml";

    private readonly BlobContainerClient _container;
    private readonly string _prefix;
    private readonly ILogger _logger;

    public BlobXmlRepository(BlobContainerClient container, string prefix = BlobDataProtectionOptions.DefaultKeyPrefix, ILogger<BlobXmlRepository>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(container);
        ArgumentNullException.ThrowIfNull(prefix);
        _container = container;
        _prefix = prefix;
        _logger = logger ?? NullLogger<BlobXmlRepository>.Instance;
    }

    public IReadOnlyCollection<XElement> GetAllElements() =>
        // Off the caller's thread: the caller may be a request thread with a synchronisation context.
        Task.Run(() => GetAllElementsAsync(CancellationToken.None)).GetAwaiter().GetResult();

    public void StoreElement(XElement element, string friendlyName)
    {
        ArgumentNullException.ThrowIfNull(element);
        Task.Run(() => StoreElementAsync(element, friendlyName, CancellationToken.None)).GetAwaiter().GetResult();
    }

    /// <summary>Every element of the key ring, in blob name order.</summary>
    public async Task<IReadOnlyCollection<XElement>> GetAllElementsAsync(CancellationToken cancellationToken)
    {
        var names = new List<string>();
        try
        {
            await foreach (var item in _container.GetBlobsAsync(prefix: _prefix, cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                if (item.Name.EndsWith(Extension, StringComparison.Ordinal))
                {
                    names.Add(item.Name);
                }
            }
        }
        catch (RequestFailedException e) when (e.ErrorCode == BlobErrorCode.ContainerNotFound)
        {
            return [];
        }

        var elements = new List<XElement>(names.Count);
        foreach (var name in names)
        {
            try
            {
                var download = await _container.GetBlobClient(name).DownloadContentAsync(cancellationToken).ConfigureAwait(false);
                elements.Add(XElement.Parse(download.Value.Content.ToString()));
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
                // Removed between listing and reading (an operator pruning old keys): nothing to load.
            }
            catch (System.Xml.XmlException e)
            {
                // One unreadable blob must not take every other key with it; Data Protection reports keys it misses.
                Log.UnreadableElement(_logger, name, e);
            }
        }

        return elements;
    }

    /// <summary>Adds <paramref name="element"/> under a blob named after <paramref name="friendlyName"/>, never overwriting one.</summary>
    public async Task StoreElementAsync(XElement element, string friendlyName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(element);
        var content = BinaryData.FromBytes(Encoding.UTF8.GetBytes(element.ToString(SaveOptions.DisableFormatting)));
        var options = new BlobUploadOptions
        {
            HttpHeaders = new BlobHttpHeaders { ContentType = "application/xml" },
            Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
        };

        await _container.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        var name = BlobName(friendlyName);
        try
        {
            await _container.GetBlobClient(name).UploadAsync(content, options, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            // Friendly names are unique per key (key-{guid}); a clash means a retried upload that did land, or a name
            // reused by another element kind. Keep both under distinct names; reading takes every blob.
            name = BlobName($"{friendlyName}-{Guid.NewGuid():N}");
            await _container.GetBlobClient(name).UploadAsync(content, options, cancellationToken).ConfigureAwait(false);
        }

        Log.ElementStored(_logger, name);
    }

    private string BlobName(string? friendlyName)
    {
        var safe = string.IsNullOrWhiteSpace(friendlyName) ? Guid.NewGuid().ToString("N") : UnsafeCharacters().Replace(friendlyName, "-");
        return _prefix + safe + Extension;
    }

    [GeneratedRegex("[^A-Za-z0-9._-]", RegexOptions.CultureInvariant)]
    private static partial Regex UnsafeCharacters();

    private static partial class Log
    {
        [LoggerMessage(350, LogLevel.Information, "Data protection key ring element stored as {BlobName}")]
        public static partial void ElementStored(ILogger logger, string blobName);

        [LoggerMessage(351, LogLevel.Warning, "Data protection key ring element {BlobName} is not valid XML and was skipped")]
        public static partial void UnreadableElement(ILogger logger, string blobName, Exception exception);
    }
}
