using System.Diagnostics;

namespace TaskEvents.LoadTests.Measurement;

/// <summary>
/// CPU use, in % of one core, of the harness itself and of the system's processes between two readings:
/// the figure printed beside every result so a reader can see who had the two cores.
/// </summary>
internal sealed class CpuMeter(IReadOnlyList<ObservedProcess> observed)
{
    private long _lastWall = Stopwatch.GetTimestamp();
    private TimeSpan _lastSelf = Process.GetCurrentProcess().TotalProcessorTime;
    private TimeSpan _lastSystem = SystemCpu(observed);

    public bool ObservesSystem => observed.Count > 0;

    /// <summary>(harness %, system %) since the previous call.</summary>
    public (double Harness, double System) Sample()
    {
        var wall = Stopwatch.GetTimestamp();
        using var self = Process.GetCurrentProcess();
        var selfCpu = self.TotalProcessorTime;
        var systemCpu = SystemCpu(observed);
        var seconds = Stopwatch.GetElapsedTime(_lastWall, wall).TotalSeconds;
        var result = seconds <= 0
            ? (0.0, 0.0)
            : ((selfCpu - _lastSelf).TotalSeconds / seconds * 100, (systemCpu - _lastSystem).TotalSeconds / seconds * 100);
        (_lastWall, _lastSelf, _lastSystem) = (wall, selfCpu, systemCpu);
        return result;
    }

    private static TimeSpan SystemCpu(IReadOnlyList<ObservedProcess> processes) =>
        processes.Aggregate(TimeSpan.Zero, (sum, p) => sum + ProcStats.Read(p.ProcessId).CpuTime);
}
