using System.ComponentModel.DataAnnotations;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using TaskEvents.AppHost.Database;
using TaskEvents.LocalPostgres;

namespace TaskEvents.AppHost.Configuration;

/// <summary>
/// What is checked before the app model runs, each failure one line with its fix: the settings, PostgreSQL's binaries,
/// and the fixed ports. Inside the running model the same failures would show only in one resource's log.
/// </summary>
public static class StartupChecks
{
    /// <summary>Reads and checks the settings; prints each problem to stderr and returns false when there is any.</summary>
    public static bool Pass(IDistributedApplicationBuilder builder, out TaskEventsSettings settings)
    {
        settings = new TaskEventsSettings();
        var problems = new List<string>();
        try
        {
            builder.Configuration.GetSection(TaskEventsSettings.SectionName).Bind(settings);
            var results = new List<ValidationResult>();
            Validator.TryValidateObject(settings, new ValidationContext(settings), results, validateAllProperties: true);
            problems.AddRange(results.Select(r => $"{TaskEventsSettings.SectionName}: {r.ErrorMessage}"));
        }
        catch (InvalidOperationException ex)
        {
            problems.Add($"{TaskEventsSettings.SectionName}: {ex.Message}");
        }

        if (problems.Count == 0)
        {
            problems.AddRange(DatabaseProblems(builder, settings));
            problems.AddRange(BusyPorts(builder, settings).Select(p =>
                $"Port {p.Port} ({p.Use}) is already in use: stop what listens there (`ss -ltnp 'sport = :{p.Port}'` shows it), or {p.Fix}."));
        }

        foreach (var problem in problems)
        {
            Console.Error.WriteLine($"error: {problem}");
        }

        return problems.Count == 0;
    }

    private static IEnumerable<string> DatabaseProblems(IDistributedApplicationBuilder builder, TaskEventsSettings settings)
    {
        switch (TaskEventsDatabase.EffectiveSource(builder, settings))
        {
            case DatabaseSource.Local:
                var configured = builder.Configuration[PostgresBinaries.OverrideVariable];
                try
                {
                    PostgresBinaries.Locate(configured);
                }
                catch (InvalidOperationException)
                {
                    return [string.IsNullOrWhiteSpace(configured)
                        ? "No PostgreSQL found: install the server (`apt-get install -y postgresql`), set PG_BIN to the folder holding initdb and pg_ctl, " +
                          "or point ConnectionStrings:taskevents at an existing server."
                        : $"No PostgreSQL found in PG_BIN ({configured}): point PG_BIN at the folder holding initdb and pg_ctl (e.g. /usr/lib/postgresql/15/bin), " +
                          "unset it to search the usual places, or point ConnectionStrings:taskevents at an existing server."];
                }

                return [];
            case DatabaseSource.External when string.IsNullOrWhiteSpace(builder.Configuration.GetConnectionString(TaskEventsDatabase.Name)):
                return [$"TaskEvents:Database is External but ConnectionStrings:{TaskEventsDatabase.Name} is not set: set it to the server's connection string."];
            default:
                return [];
        }
    }

    private static IEnumerable<(int Port, string Use, string Fix)> BusyPorts(IDistributedApplicationBuilder builder, TaskEventsSettings settings)
    {
        var wanted = new List<(int Port, string Use, string Fix)>();
        if (settings.GatewayPort != 0)
        {
            wanted.Add((settings.GatewayPort, "the gateway", "choose another with TaskEvents__GatewayPort"));
        }

        if (DashboardChoice.IsEnabled(builder))
        {
            foreach (var key in (string[])["ASPNETCORE_URLS", "ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL", "ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL"])
            {
                foreach (var url in (builder.Configuration[key] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries))
                {
                    if (Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Port != 0)
                    {
                        wanted.Add((uri.Port, key == "ASPNETCORE_URLS" ? "the Aspire dashboard" : $"the Aspire dashboard's {key}", $"set {key} to another address"));
                    }
                }
            }
        }

        return wanted.Where(p => !IsFree(p.Port));
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Any, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
