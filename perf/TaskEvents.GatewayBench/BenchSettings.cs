using System.Globalization;

namespace TaskEvents.GatewayBench;

/// <summary>The workload: how many events, how fast, and how many subscribers on each path.</summary>
internal sealed record BenchSettings(int Events, int RatePerSecond, int SubscribersPerPath, int WarmupEvents)
{
    public static BenchSettings Parse(string[] args)
    {
        var settings = new BenchSettings(Events: 3000, RatePerSecond: 200, SubscribersPerPath: 10, WarmupEvents: 300);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            var value = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
            settings = args[i] switch
            {
                "--events" => settings with { Events = value },
                "--rate" => settings with { RatePerSecond = value },
                "--subscribers" => settings with { SubscribersPerPath = value },
                "--warmup" => settings with { WarmupEvents = value },
                _ => throw new ArgumentException($"Unknown option {args[i]}. Options: --events N --rate N --subscribers N --warmup N."),
            };
        }

        return settings;
    }
}
