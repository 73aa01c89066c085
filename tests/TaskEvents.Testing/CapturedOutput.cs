namespace TaskEvents.Testing;

/// <summary>The last lines a child process wrote, kept so a test that sees it die can say why.</summary>
public sealed class CapturedOutput
{
    private const int Kept = 40;
    private readonly Queue<string> _lines = new();

    public void Add(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_lines)
        {
            _lines.Enqueue(line);
            if (_lines.Count > Kept)
            {
                _lines.Dequeue();
            }
        }
    }

    public string Tail()
    {
        lock (_lines)
        {
            return string.Join('\n', _lines);
        }
    }
}
