using Defender.Mssp.Api.Tenants;
using Microsoft.Extensions.Configuration;

namespace Defender.Mssp.Api.Tests;

/// <summary>A purge reaches every folder per tenant the silos write: file sinks of any name and the dead letters.</summary>
public sealed class PurgedDataPathsTests
{
    [Fact]
    public void File_sinks_of_the_definitions_and_the_dead_letter_folder_beside_the_sink_are_purged()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Sinks:Definitions:daily:Type"] = "Csv",
            ["Sinks:Definitions:daily:Path"] = "/data/csv",
            ["Sinks:Definitions:plain:Type"] = "csv",
            ["Sinks:Definitions:archive:Type"] = "JsonLines",
            ["Sinks:Definitions:archive:Path"] = "/archive/jsonl",
            ["Sinks:Definitions:splunk:Type"] = "Http",
            ["Sinks:Definitions:splunk:Url"] = "https://splunk.example:8088",
        }).Build();

        var paths = PurgedDataPaths.From(configuration, "/data/sink").ToList();

        string[] expected = ["/archive/jsonl", "/data/csv", "./sink-csv", "/data/dead-letter"];
        Assert.Equal(expected.Order(StringComparer.Ordinal), paths.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_configured_dead_letter_folder_is_the_one_purged()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Defender:DeadLetter:Path"] = "/var/lib/mssp/poison",
        }).Build();

        Assert.Equal(["/var/lib/mssp/poison"], PurgedDataPaths.From(configuration, "/data/sink"));
    }
}
