using Npgsql;
using TaskEvents.Api.ChangeFeed;

namespace TaskEvents.Api.Tests;

/// <summary>A LISTEN connection of the test's own on the Api's database: every change notification, as sent.</summary>
internal sealed class ListenConnection : IAsyncDisposable
{
    private readonly NpgsqlConnection _connection;
    private readonly List<string> _payloads = [];

    private ListenConnection(NpgsqlConnection connection)
    {
        _connection = connection;
        _connection.Notification += (_, e) => _payloads.Add(e.Payload);
    }

    public static async Task<ListenConnection> OpenAsync(string connectionString, CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var listen = new NpgsqlCommand($"LISTEN {TaskChangeNotification.Channel}", connection);
        await listen.ExecuteNonQueryAsync(cancellationToken);
        return new ListenConnection(connection);
    }

    /// <summary>
    /// Reads notifications until <paramref name="enough"/> holds for all received so far, and returns them. Notifications
    /// sent while nobody waits are kept by the connection and read here.
    /// </summary>
    public async Task<IReadOnlyList<string>> WaitForAsync(Func<IReadOnlyList<string>, bool> enough, CancellationToken cancellationToken)
    {
        while (!enough(_payloads))
        {
            await _connection.WaitAsync(cancellationToken);
        }

        return [.. _payloads];
    }

    public ValueTask DisposeAsync() => _connection.DisposeAsync();
}
