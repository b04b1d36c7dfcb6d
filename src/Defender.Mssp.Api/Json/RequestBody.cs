using System.Buffers;
using Microsoft.AspNetCore.Http.Features;

namespace Defender.Mssp.Api.Json;

/// <summary>Reads a request body whole, up to a limit, whatever server runs the API.</summary>
public static class RequestBody
{
    private const int ChunkSize = 16 * 1024;

    /// <summary>The body, or null when it is longer than <paramref name="maxBytes"/> (nothing more is read then).</summary>
    public static async Task<byte[]?> ReadAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes)
        {
            return null;
        }

        // Kestrel then stops a body that claims no length (chunked) at the limit too.
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = maxBytes;
        }

        using var buffer = new MemoryStream();
        var chunk = ArrayPool<byte>.Shared.Rent(ChunkSize);
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(chunk.AsMemory(0, ChunkSize), cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > maxBytes)
                {
                    return null;
                }

                buffer.Write(chunk, 0, read);
            }
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return null;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        return buffer.ToArray();
    }

    /// <summary>Whether <paramref name="contentType"/> is JSON (<c>application/json</c> or <c>application/*+json</c>) in UTF-8.</summary>
    public static bool IsJson(string? contentType) =>
        MediaType(contentType) is { } media
        && (media.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || media.MediaType.Value?.EndsWith("+json", StringComparison.OrdinalIgnoreCase) == true && media.Type.Equals("application", StringComparison.OrdinalIgnoreCase))
        && IsUtf8(media);

    /// <summary>Whether <paramref name="contentType"/> is <c>text/csv</c> in UTF-8.</summary>
    public static bool IsCsv(string? contentType) =>
        MediaType(contentType) is { } media && media.MediaType.Equals("text/csv", StringComparison.OrdinalIgnoreCase) && IsUtf8(media);

    private static Microsoft.Net.Http.Headers.MediaTypeHeaderValue? MediaType(string? contentType) =>
        Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(contentType, out var media) ? media : null;

    private static bool IsUtf8(Microsoft.Net.Http.Headers.MediaTypeHeaderValue media) =>
        !media.Charset.HasValue || media.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase);
}
