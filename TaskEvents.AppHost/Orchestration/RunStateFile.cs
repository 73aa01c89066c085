using System.Text.Json;

namespace TaskEvents.AppHost.Orchestration;

/// <summary>
/// The processes this run started (pid and executable), kept on disk while they run, so that if the AppHost is
/// killed the next run can find and stop what it left behind.
/// </summary>
internal sealed class RunStateFile(string path)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<int, RunStateEntry> _entries = [];

    public string Path { get; } = path;

    public void Add(RunStateEntry entry)
    {
        lock (_gate)
        {
            _entries[entry.ProcessId] = entry;
            Save();
        }
    }

    public void Remove(int processId)
    {
        lock (_gate)
        {
            if (_entries.Remove(processId))
            {
                Save();
            }
        }
    }

    /// <summary>Called after a clean shutdown: nothing is left to find.</summary>
    public void Delete()
    {
        lock (_gate)
        {
            _entries.Clear();
            File.Delete(Path);
        }
    }

    public static RunState? Read(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<RunState>(File.ReadAllText(path));
        }
        catch (Exception ex) when (ex is IOException or JsonException)
        {
            return null;
        }
    }

    private void Save()
    {
        var state = new RunState(Environment.ProcessId, [.. _entries.Values]);
        var temporary = Path + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(state));
        File.Move(temporary, Path, overwrite: true);
    }
}
