namespace Defender.AppHost.Hosting;

/// <summary>Writes every child's output line by line behind a coloured name prefix, one whole line at a time.</summary>
public static class ConsoleLog
{
    public const string AppHostPrefix = "apphost";

    private const string Bold = "\e[1m";
    private const string Red = "\e[1;31m";
    private const string Reset = "\e[0m";
    private static readonly Lock Gate = new();
    private static readonly string[] Colours = ["\e[36m", "\e[35m", "\e[33m", "\e[32m", "\e[34m", "\e[91m", "\e[96m"];
    private static readonly bool UseColour = !Console.IsOutputRedirected && Environment.GetEnvironmentVariable("NO_COLOR") is null;
    private static int _next;

    public static string ColourFor(string name) => Colours[Interlocked.Increment(ref _next) % Colours.Length];

    public static void Write(string prefix, string colour, string line)
    {
        lock (Gate)
        {
            try
            {
                Console.WriteLine(UseColour ? $"{colour}{prefix,-12}{Reset} | {line}" : $"{prefix,-12} | {line}");
            }
            catch (IOException)
            {
                // The terminal is gone (its window closed: SIGHUP is on its way) or the pipe was closed; keep stopping.
            }
        }
    }

    public static void Info(string line) => Write(AppHostPrefix, Bold, line);

    public static void Error(string line) => Write(AppHostPrefix, Red, line);

    /// <summary>Lines that belong together (the start-up summary), never interleaved with a child's output.</summary>
    public static void Block(IEnumerable<string> lines)
    {
        lock (Gate)
        {
            foreach (var line in lines)
            {
                Info(line);
            }
        }
    }
}
