namespace TaskEvents.Emitter.Runs;

/// <summary>The event types of an agent run, as the seed's demo page and clients know them.</summary>
internal static class DemoEventTypes
{
    public const string RunnerSpawn = "runner_spawn";
    public const string PhaseEnter = "phase_enter";
    public const string PhaseExit = "phase_exit";
    public const string WorkItemStart = "work_item_start";
    public const string WorkItemProgress = "work_item_progress";
    public const string WorkItemComplete = "work_item_complete";
    public const string WorkItemFailed = "work_item_failed";
    public const string ProgressUpdate = "progress_update";
    public const string CheckpointCommit = "checkpoint_commit";
    public const string TaskCompleted = Contracts.TerminalEventTypes.Completed;

    public const string Planning = "planning";
    public const string Executing = "executing";
    public const string Verifying = "verifying";
}
