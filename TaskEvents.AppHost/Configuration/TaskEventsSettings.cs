using System.ComponentModel.DataAnnotations;

namespace TaskEvents.AppHost.Configuration;

/// <summary>
/// The AppHost's own settings: section <c>TaskEvents</c> (<c>TaskEvents__GatewayPort=8080</c>, <c>--TaskEvents:Database=container</c>).
/// Aspire owns the <c>AppHost</c> section.
/// </summary>
public sealed class TaskEventsSettings
{
    public const string SectionName = "TaskEvents";

    /// <summary>
    /// Where PostgreSQL comes from: the machine's binaries (default), a container (only when asked for), or the server in
    /// <c>ConnectionStrings:taskevents</c> (chosen by itself when that is set).
    /// </summary>
    public DatabaseSource? Database { get; set; }

    /// <summary>Where the local PostgreSQL keeps its cluster; see <see cref="DefaultDataDirectory"/>.</summary>
    public string? DataDirectory { get; set; }

    /// <summary>fsync and synchronous commit, as users run it. Off only for a throwaway database (tests, a labelled benchmark figure).</summary>
    public bool DurableDatabase { get; set; } = true;

    /// <summary>The gateway's port: the address people and the demo use. 0 lets the orchestrator pick a free one.</summary>
    [Range(0, 65535)]
    public int GatewayPort { get; set; } = 8000;

    [Range(1, 8)]
    public int ApiReplicas { get; set; } = 2;

    /// <summary>
    /// <c>$XDG_DATA_HOME/taskevents</c>, else <c>~/.local/share/taskevents</c>; as root <c>/var/lib/taskevents</c>, because
    /// PostgreSQL then runs as the <c>postgres</c> user, which cannot enter root's home.
    /// </summary>
    public static string DefaultDataDirectory()
    {
        if (Environment.UserName == "root")
        {
            return "/var/lib/taskevents";
        }

        var dataHome = Environment.GetEnvironmentVariable("XDG_DATA_HOME") is { Length: > 0 } xdg
            ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share");
        return Path.Combine(dataHome, "taskevents");
    }
}
