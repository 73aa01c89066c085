using System.Security.Cryptography;
using System.Text;

namespace TaskEvents.AppHost.Dashboard;

/// <summary>The run's login token, compared in constant time; the browser keeps it in an HttpOnly cookie.</summary>
internal sealed class DashboardLogin(string token)
{
    public const string CookieName = "taskevents-dashboard";

    public bool Accepts(string? candidate) =>
        candidate is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(candidate), Encoding.UTF8.GetBytes(token));
}
