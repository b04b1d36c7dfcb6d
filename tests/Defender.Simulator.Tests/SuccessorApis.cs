using System.Text.Json;

namespace Defender.Simulator.Tests;

/// <summary>Shared helpers for the tests of the successor APIs (Defender for Endpoint alerts, Graph security).</summary>
internal static class SuccessorApis
{
    public const string EndpointResource = "https://api.securitycenter.microsoft.com";
    public const string GraphResource = "https://graph.microsoft.com";

    /// <summary>Follows <c>@odata.nextLink</c> from <paramref name="first"/> to the end; returns every record and the pages' links.</summary>
    public static async Task<(List<JsonElement> Records, List<string> Links)> FollowAsync(TestSimulator sim, string first, string token)
    {
        var records = new List<JsonElement>();
        var links = new List<string>();
        string? next = first;
        while (next is not null)
        {
            var page = await sim.GetJsonAsync(next, token);
            records.AddRange(page.GetProperty("value").EnumerateArray());
            next = page.TryGetProperty("@odata.nextLink", out var link) ? link.GetString() : null;
            if (next is not null)
            {
                links.Add(next);
            }

            Assert.True(links.Count < 1000, "nextLink paging does not end");
        }

        return (records, links);
    }

    /// <summary>Every alert the Defender for Endpoint alerts API serves now, paging with $top/$skip until a short page.</summary>
    public static async Task<List<JsonElement>> AllEndpointAlertsAsync(TestSimulator sim, string token, string? filter = null, int top = 10_000, bool evidence = false)
    {
        var all = new List<JsonElement>();
        for (var skip = 0; ; skip += top)
        {
            var query = $"api/alerts?$top={top}&$skip={skip}" + (filter is null ? "" : "&$filter=" + Uri.EscapeDataString(filter))
                        + (evidence ? "&$expand=evidence" : "");
            var page = (await sim.GetJsonAsync(query, token)).GetProperty("value").EnumerateArray().ToList();
            all.AddRange(page);
            if (page.Count < top)
            {
                return all;
            }
        }
    }

    public static string Id(JsonElement record) => record.GetProperty("id").GetString()!;

    public static async Task<string> ErrorCodeAsync(HttpResponseMessage response)
    {
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("error").GetProperty("code").GetString()!;
    }
}
