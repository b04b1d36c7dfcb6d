namespace Defender.Mssp.Runtime.Development;

/// <summary>The last lines a child process printed, kept to explain a failed start or install.</summary>
internal sealed class OutputTail(int capacity = 40)
{
    private readonly Queue<string> _lines = new();

    public void Add(string line)
    {
        lock (_lines)
        {
            _lines.Enqueue(line);
            while (_lines.Count > capacity)
            {
                _lines.Dequeue();
            }
        }
    }

    public override string ToString()
    {
        lock (_lines)
        {
            return string.Join(Environment.NewLine, _lines);
        }
    }
}
