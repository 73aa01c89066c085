namespace TaskEvents.AppHost.Hosting;

/// <summary>
/// Where the AppHost keeps its data when <c>AppHost:DataDirectory</c> is not set: <c>$XDG_DATA_HOME/taskevents</c>,
/// else <c>~/.local/share/taskevents</c>; as root <c>/var/lib/taskevents</c>, because PostgreSQL runs as the
/// <c>postgres</c> user then and cannot enter root's home (mode 700).
/// </summary>
public static class DataDirectories
{
    public static string Default()
    {
        if (System.Environment.UserName == "root")
        {
            return "/var/lib/taskevents";
        }

        var dataHome = System.Environment.GetEnvironmentVariable("XDG_DATA_HOME") is { Length: > 0 } xdg
            ? xdg
            : Path.Combine(System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile), ".local", "share");
        return Path.Combine(dataHome, "taskevents");
    }
}
