namespace TaskEvents.ReliabilityTests.Reporting;

/// <summary><c>artifacts/reliability</c> at the repository root (git-ignored), where the reliability tables go.</summary>
internal static class ReliabilityArtifacts
{
    public static string Directory { get; } = Path.Combine(RepositoryRoot(), "artifacts", "reliability");

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "TaskEvents.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No TaskEvents.sln above {AppContext.BaseDirectory}.");
    }
}
