using System.Globalization;
using System.Text;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Defender.Mssp.Runtime.Storage.Blobs;

/// <summary>
/// Signs each try of a request with Shared Key, following "Authorize with Shared Key" (Blob service, version
/// 2015-02-21 and later). Runs per retry, after every other header is set, because the signature covers
/// <c>x-ms-date</c> and all other <c>x-ms-*</c> headers.
/// </summary>
internal sealed class StorageSharedKeyPipelinePolicy(StorageSharedKeyCredential credential, TimeProvider timeProvider)
    : HttpPipelineSynchronousPolicy
{
    public override void OnSendingRequest(HttpMessage message)
    {
        var request = message.Request;
        request.Headers.SetValue(BlobHeaderNames.Date, timeProvider.GetUtcNow().ToString("R", CultureInfo.InvariantCulture));
        var signature = credential.ComputeHmacSha256(BuildStringToSign(request, credential.AccountName));
        request.Headers.SetValue(HttpHeader.Names.Authorization, $"SharedKey {credential.AccountName}:{signature}");
    }

    internal static string BuildStringToSign(Request request, string accountName)
    {
        var contentLength = request.Content is not null && request.Content.TryComputeLength(out var length) && length > 0
            ? length.ToString(CultureInfo.InvariantCulture)
            : string.Empty;

        var builder = new StringBuilder()
            .Append(request.Method.Method).Append('\n')
            .Append(Header(request, "Content-Encoding")).Append('\n')
            .Append(Header(request, "Content-Language")).Append('\n')
            .Append(contentLength).Append('\n')
            .Append(Header(request, "Content-MD5")).Append('\n')
            .Append(Header(request, "Content-Type")).Append('\n')
            .Append(Header(request, "Date")).Append('\n')
            .Append(Header(request, "If-Modified-Since")).Append('\n')
            .Append(Header(request, "If-Match")).Append('\n')
            .Append(Header(request, "If-None-Match")).Append('\n')
            .Append(Header(request, "If-Unmodified-Since")).Append('\n')
            .Append(Header(request, "Range")).Append('\n');
        AppendCanonicalizedHeaders(builder, request);
        AppendCanonicalizedResource(builder, request.Uri.ToUri(), accountName);
        return builder.ToString();
    }

    private static string Header(Request request, string name) =>
        request.Headers.TryGetValue(name, out var value) ? value : string.Empty;

    private static void AppendCanonicalizedHeaders(StringBuilder builder, Request request)
    {
        var headers = request.Headers
            .Where(h => h.Name.StartsWith("x-ms-", StringComparison.OrdinalIgnoreCase))
            .Select(h => (Name: h.Name.ToLowerInvariant(), Value: h.Value.Trim()))
            .OrderBy(h => h.Name, StringComparer.Ordinal);
        foreach (var (name, value) in headers)
        {
            builder.Append(name).Append(':').Append(value).Append('\n');
        }
    }

    private static void AppendCanonicalizedResource(StringBuilder builder, Uri uri, string accountName)
    {
        // With path-style (emulator) URLs the path already starts with the account name, so it appears twice; the
        // documentation asks for exactly that.
        builder.Append('/').Append(accountName).Append(uri.AbsolutePath.Length > 0 ? uri.AbsolutePath : "/");

        var parameters = uri.Query.TrimStart('?')
            .Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .Select(p => (Name: Uri.UnescapeDataString(p[0]).ToLowerInvariant(), Value: p.Length > 1 ? Uri.UnescapeDataString(p[1]) : string.Empty))
            .GroupBy(p => p.Name, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal);
        foreach (var parameter in parameters)
        {
            var values = parameter.Select(p => p.Value).Order(StringComparer.Ordinal);
            builder.Append('\n').Append(parameter.Key).Append(':').AppendJoin(',', values);
        }
    }
}
