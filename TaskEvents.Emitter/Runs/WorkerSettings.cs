namespace TaskEvents.Emitter.Runs;

/// <summary>How many demo tasks run at once, how fast each one emits, and when to stop (null: never).</summary>
internal sealed record WorkerSettings(int Tasks, double EventsPerSecond, int? MaxRuns, int MinEventsPerRun = 30, int MaxEventsPerRun = 60);
