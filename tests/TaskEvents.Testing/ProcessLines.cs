using System.Diagnostics;

namespace TaskEvents.Testing;

/// <summary>Starts a child process whose output and error are redirected, giving each line of either to one handler as it arrives (null when a stream closes).</summary>
public static class ProcessLines
{
    public static void Start(Process process, Action<string?> onLine)
    {
        process.OutputDataReceived += (_, e) => onLine(e.Data);
        process.ErrorDataReceived += (_, e) => onLine(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }
}
