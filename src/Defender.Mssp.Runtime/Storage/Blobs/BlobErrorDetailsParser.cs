using System.Xml;
using System.Xml.Linq;
using Azure;
using Azure.Core;

namespace Defender.Mssp.Runtime.Storage.Blobs;

/// <summary>
/// Reads a Blob service error: the code from <c>x-ms-error-code</c> (present even on HEAD responses, which have no
/// body), else from the XML body's <c>&lt;Code&gt;</c>; the message from the body's <c>&lt;Message&gt;</c>.
/// </summary>
internal sealed class BlobErrorDetailsParser : RequestFailedDetailsParser
{
    public static BlobErrorDetailsParser Instance { get; } = new();

    public override bool TryParse(Response response, out ResponseError? error, out IDictionary<string, string>? data)
    {
        data = null;
        var (bodyCode, bodyMessage) = ReadBody(response);
        var code = response.Headers.TryGetValue(BlobHeaderNames.ErrorCode, out var headerCode) ? headerCode : bodyCode;
        error = code is null && bodyMessage is null ? null : new ResponseError(code, bodyMessage ?? response.ReasonPhrase);
        return error is not null;
    }

    private static (string? Code, string? Message) ReadBody(Response response)
    {
        var content = response.ContentStream is null ? BinaryData.Empty : response.Content;
        if (content.ToMemory().IsEmpty)
        {
            return (null, null);
        }

        try
        {
            var root = XDocument.Parse(content.ToString()).Root;
            return (root?.Element("Code")?.Value, root?.Element("Message")?.Value);
        }
        catch (XmlException)
        {
            // Not the service's XML (a proxy's HTML page, say): the status line still explains the failure.
            return (null, null);
        }
    }
}
