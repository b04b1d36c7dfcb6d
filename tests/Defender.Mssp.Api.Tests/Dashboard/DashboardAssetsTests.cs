using System.Text;
using System.Text.RegularExpressions;
using Defender.Mssp.Api.Dashboard.Hosting;

namespace Defender.Mssp.Api.Tests.Dashboard;

/// <summary>
/// The page's files as embedded: complete, and written so that data can never become markup or script — the rules
/// the Content-Security-Policy also enforces in the browser.
/// </summary>
public sealed partial class DashboardAssetsTests
{
    private static readonly DashboardAssets Assets = DashboardAssets.Load(typeof(DashboardAssets).Assembly);

    public static TheoryData<string> Scripts() => new(Assets.Names.Where(name => name.EndsWith(".js", StringComparison.Ordinal)));

    [Fact]
    public void The_shell_loads_scripts_only_from_files_and_has_no_inline_script_style_or_handlers()
    {
        var html = Text("index.html");

        Assert.Matches(ScriptTag(), html);
        Assert.All(ScriptTag().Matches(html), tag => Assert.Contains("src=\"/dashboard/assets/", tag.Value, StringComparison.Ordinal));
        Assert.DoesNotMatch(InlineHandler(), html);
        Assert.DoesNotContain(" style=", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<style", html, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Scripts))]
    public void No_script_builds_html_from_strings_or_evaluates_code(string name)
    {
        var script = Text(name);

        foreach (var sink in new[] { "innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function", ".style.cssText", "setAttribute('style'" })
        {
            Assert.DoesNotContain(sink, script, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(Scripts))]
    public void Every_module_a_script_imports_is_embedded(string name)
    {
        foreach (Match import in RelativeImport().Matches(Text(name)))
        {
            Assert.NotNull(Assets.Find(import.Groups["file"].Value));
        }
    }

    [Fact]
    public void Every_file_the_shell_references_is_embedded()
    {
        var references = AssetReference().Matches(Text("index.html")).Select(match => match.Groups["file"].Value).ToList();

        Assert.Contains("app.js", references);
        Assert.Contains("app.css", references);
        Assert.All(references, file => Assert.NotNull(Assets.Find(file)));
    }

    private static string Text(string name) => Encoding.UTF8.GetString(Assets.Find(name)!.Content);

    [GeneratedRegex("<script\\b[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex ScriptTag();

    [GeneratedRegex("\\son[a-z]+\\s*=", RegexOptions.IgnoreCase)]
    private static partial Regex InlineHandler();

    [GeneratedRegex("from '\\./(?<file>[a-z-]+\\.js)'")]
    private static partial Regex RelativeImport();

    [GeneratedRegex("/dashboard/assets/(?<file>[a-z-]+\\.[a-z]+)")]
    private static partial Regex AssetReference();
}
