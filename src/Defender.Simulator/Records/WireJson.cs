using System.Text.Encodings.Web;
using System.Text.Json;

namespace Defender.Simulator.Records;

/// <summary>
/// JSON writer settings for everything that imitates Microsoft's wire format: characters such as ' + = are written
/// as themselves, as the real services do, not as \u0027 escapes.
/// </summary>
internal static class WireJson
{
    public static JsonWriterOptions Options { get; } = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
