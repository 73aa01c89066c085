using System.ComponentModel;
using System.Globalization;
using System.Runtime.InteropServices;
using TaskEvents.LoadTests.Cli;

namespace TaskEvents.LoadTests.Targets;

/// <summary>
/// <c>--harness-cpus</c>: the harness on some CPUs and the system it starts on the others, so the load generator does not
/// take its CPU from what it measures (as real producers and browsers run on machines of their own). Linux only.
/// The system's processes (DCP, PostgreSQL, the Api replicas, the gateway, nginx) are started while every thread of the
/// harness is on <see cref="System"/>, and inherit that set, as do the processes and threads they start later (a
/// restarted replica included); then the harness moves its own threads to <see cref="Harness"/>.
/// </summary>
internal sealed partial record CpuSplit(IReadOnlyList<int> Harness, IReadOnlyList<int> System)
{
    private const int Esrch = 3;

    /// <summary>The split for a CPU list such as <c>2,3</c> or <c>2-3</c>, out of the CPUs this process may use.</summary>
    public static CpuSplit Parse(string harnessCpus, IReadOnlyList<int> allowed)
    {
        var harness = ParseList(harnessCpus, "--harness-cpus");
        if (harness.FirstOrDefault(cpu => !allowed.Contains(cpu), -1) is var unknown and >= 0)
        {
            throw new UsageException($"--harness-cpus: CPU {unknown} is not one this process may use ({FormatList(allowed)}).");
        }

        var system = allowed.Except(harness).ToList();
        return system.Count == 0
            ? throw new UsageException($"--harness-cpus {FormatList(harness)} leaves no CPU for the system under test (this process may use {FormatList(allowed)}).")
            : new CpuSplit(harness, system);
    }

    /// <summary>The CPUs a process or thread may run on (its affinity, as <c>/proc/…/status</c> states it; default: this process).</summary>
    public static IReadOnlyList<int> AllowedCpus(string procPath = "/proc/self")
    {
        var line = File.ReadLines($"{procPath}/status").First(l => l.StartsWith("Cpus_allowed_list:", StringComparison.Ordinal));
        return ParseList(line["Cpus_allowed_list:".Length..].Trim(), "Cpus_allowed_list");
    }

    public string Description => $"harness on CPU {FormatList(Harness)}, the system it started on CPU {FormatList(System)}";

    /// <summary>Before starting the system: every thread of the harness on the system's CPUs, for its processes to inherit.</summary>
    public void BeforeStarting() => PinEveryThread(System);

    /// <summary>Once the system is up: the harness's own threads on its CPUs.</summary>
    public void AfterStarting() => PinEveryThread(Harness);

    // A thread started while the list is walked inherits its creator's set, so the walk repeats until it finds none new.
    private static void PinEveryThread(IReadOnlyList<int> cpus)
    {
        var mask = Mask(cpus);
        var pinned = new HashSet<int>();
        while (Directory.GetDirectories("/proc/self/task").Select(path => int.Parse(Path.GetFileName(path), CultureInfo.InvariantCulture)).Where(pinned.Add).ToList() is { Count: > 0 } threads)
        {
            foreach (var thread in threads)
            {
                if (SetAffinity(thread, (nuint)(mask.Length * sizeof(ulong)), mask) != 0 && Marshal.GetLastPInvokeError() is var error and not Esrch)
                {
                    throw new Win32Exception(error, $"Could not move thread {thread} to CPU {FormatList(cpus)}");
                }
            }
        }
    }

    private static ulong[] Mask(IReadOnlyList<int> cpus)
    {
        var mask = new ulong[(cpus.Max() / 64) + 1];
        foreach (var cpu in cpus)
        {
            mask[cpu / 64] |= 1UL << (cpu % 64);
        }

        return mask;
    }

    private static List<int> ParseList(string list, string name)
    {
        var cpus = new SortedSet<int>();
        foreach (var part in list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var bounds = part.Split('-');
            if (bounds.Length > 2 || !bounds.All(b => int.TryParse(b, NumberStyles.None, CultureInfo.InvariantCulture, out _)))
            {
                throw new UsageException($"{name}: '{part}' is not a CPU number or range (e.g. 2,3 or 2-3).");
            }

            var first = int.Parse(bounds[0], CultureInfo.InvariantCulture);
            var last = int.Parse(bounds[^1], CultureInfo.InvariantCulture);
            if (last < first)
            {
                throw new UsageException($"{name}: the range '{part}' runs backwards.");
            }

            for (var cpu = first; cpu <= last; cpu++)
            {
                cpus.Add(cpu);
            }
        }

        return cpus.Count > 0 ? [.. cpus] : throw new UsageException($"{name}: no CPU given.");
    }

    private static string FormatList(IEnumerable<int> cpus) => string.Join(',', cpus);

    [LibraryImport("libc", EntryPoint = "sched_setaffinity", SetLastError = true)]
    private static partial int SetAffinity(int threadId, nuint maskBytes, [In] ulong[] mask);
}
