using Microsoft.Playwright;

namespace Defender.Mssp.IntegrationTests.Dashboard;

/// <summary>
/// Debian's chromium (<c>/usr/bin/chromium</c>, installed by <c>.ci/run</c>) driven by Playwright's bundled driver.
/// Playwright never downloads a browser here: it is given the system one. A machine without it fails the test with
/// the command that fixes it — the browser test is never skipped.
/// </summary>
public sealed class HeadlessChromium : IAsyncDisposable
{
    public const string DefaultExecutable = "/usr/bin/chromium";

    /// <summary>Overrides <see cref="DefaultExecutable"/> (another distribution's path, say).</summary>
    public const string ExecutableVariable = "DEFENDER_CHROMIUM";

    private readonly IPlaywright _playwright;

    private HeadlessChromium(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        Browser = browser;
    }

    public IBrowser Browser { get; }

    public static string Executable =>
        Environment.GetEnvironmentVariable(ExecutableVariable) is { Length: > 0 } configured ? configured : DefaultExecutable;

    /// <summary>Fails (not skips) when the browser is missing, saying how to install it.</summary>
    public static void EnsureInstalled()
    {
        if (!File.Exists(Executable))
        {
            Assert.Fail(
                $"Chromium is not installed at {Executable}, so the dashboard's browser test cannot run (it is never skipped). "
                + $"Install it with `apt-get update && apt-get install -y chromium` (as .ci/run does), or point {ExecutableVariable} at a Chromium binary.");
        }
    }

    public static async Task<HeadlessChromium> LaunchAsync()
    {
        EnsureInstalled();

        // Belt and braces: nothing in this test asks Playwright to install a browser, and it must not try.
        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        var playwright = await Playwright.CreateAsync();
        try
        {
            var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = Executable,
                Headless = true,
                Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
            });
            return new HeadlessChromium(playwright, browser);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright.Dispose();
    }
}
