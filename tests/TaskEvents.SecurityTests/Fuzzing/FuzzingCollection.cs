namespace TaskEvents.SecurityTests.Fuzzing;

/// <summary>Fuzz runs measure the process's memory before and after: nothing else may run beside them.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FuzzingCollection
{
    public const string Name = "Fuzzing";
}
