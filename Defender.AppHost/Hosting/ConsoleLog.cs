namespace Defender.AppHost.Hosting;

/// <summary>Writes every child's output line by line behind a coloured name prefix, one line at a time.</summary>
public static class ConsoleLog
{
    private static readonly Lock Gate = new();
    private static readonly string[] Colours = ["\e[36m", "\e[35m", "\e[33m", "\e[32m", "\e[34m", "\e[91m", "\e[96m"];
    private static readonly bool UseColour = !Console.IsOutputRedirected && Environment.GetEnvironmentVariable("NO_COLOR") is null;
    private static int _next;

    public static string ColourFor(string name) => Colours[Interlocked.Increment(ref _next) % Colours.Length];

    public static void Write(string prefix, string colour, string line)
    {
        lock (Gate)
        {
            Console.WriteLine(UseColour ? $"{colour}{prefix,-12}\e[0m | {line}" : $"{prefix,-12} | {line}");
        }
    }

    public static void Info(string line) => Write("apphost", "\e[1m", line);
}
