namespace TaskEvents.SecurityTests.Fuzzing;

/// <summary>What one endpoint answered on one surface: inputs tried, the status histogram, and every rule broken.</summary>
public sealed class FuzzTally(string surface, FuzzEndpoint endpoint)
{
    private readonly SortedDictionary<string, int> _statuses = new(StringComparer.Ordinal);
    private readonly List<string> _failures = [];

    public string Surface => surface;

    public FuzzEndpoint Endpoint => endpoint;

    public int Inputs { get; private set; }

    /// <summary>Answers Kestrel gave itself (bare 400/413/414/431 before any app code ran).</summary>
    public int ProtocolRefusals { get; private set; }

    public IReadOnlyDictionary<string, int> Statuses => _statuses;

    public IReadOnlyList<string> Failures => _failures;

    /// <summary>Task ids the Api acknowledged creating (201), with the response's own word for it.</summary>
    public List<string> CreatedTaskIds { get; } = [];

    public void Record(string status, bool protocolRefusal, string? failure)
    {
        lock (_statuses)
        {
            Inputs++;
            _statuses[status] = _statuses.GetValueOrDefault(status) + 1;
            ProtocolRefusals += protocolRefusal ? 1 : 0;
            if (failure is not null)
            {
                _failures.Add(failure);
            }
        }
    }

    public string Histogram => string.Join(", ", _statuses.Select(s => $"{s.Key}: {s.Value}"));
}
