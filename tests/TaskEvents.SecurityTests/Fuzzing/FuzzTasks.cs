namespace TaskEvents.SecurityTests.Fuzzing;

/// <summary>The tasks the fuzzer aims at: its own running and ended tasks, another tenant's task, and one that does not exist.</summary>
public sealed record FuzzTasks(string Open, string Done, string Foreign, string Unknown)
{
    public static readonly FuzzTasks Default = new("fuzz-open", "fuzz-done", "foreign-task", "never-created");

    public IReadOnlyList<string> All => [Open, Done, Foreign, Unknown];
}
