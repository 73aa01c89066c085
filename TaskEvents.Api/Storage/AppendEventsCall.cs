using Npgsql;
using NpgsqlTypes;
using TaskEvents.Api.ChangeFeed;
using TaskEvents.Api.Events;
using TaskEvents.Api.Observability;

namespace TaskEvents.Api.Storage;

/// <summary>
/// The call of <c>append_events</c> (Storage/Migrations/0002_append_batch.sql), which stores a batch of append requests
/// for any number of tasks in one statement (its latest version: Storage/Migrations/0004_key_lookups.sql): its
/// parameters, as parallel arrays with one element per event, and its rows (one per event, in the same order) read back
/// into one outcome per request.
/// </summary>
internal static class AppendEventsCall
{
    private const string Sql =
        "SELECT request, outcome, status, seq, duplicate, last_seq FROM append_events($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)";

    public static NpgsqlCommand Create(NpgsqlConnection connection, IReadOnlyList<AppendRequest> requests)
    {
        // Requests are numbered from 1: the function's 0 means "before this batch".
        var events = requests.SelectMany((request, index) =>
        {
            var traceParent = AppendTraceContext.Format(request.TraceContext);
            return request.Events.Select(e => (Number: index + 1, request.Key, Event: e, TraceParent: traceParent));
        }).ToList();
        var command = new NpgsqlCommand(Sql, connection);
        command.Parameters.Add(new() { Value = events.Select(e => e.Number).ToArray() });
        command.Parameters.Add(TextArray(events.Select(e => e.Key.TenantId)));
        command.Parameters.Add(TextArray(events.Select(e => e.Key.TaskId)));
        command.Parameters.Add(TextArray(events.Select(e => e.Event.EventId)));
        command.Parameters.Add(TextArray(events.Select(e => e.Event.EventType)));
        command.Parameters.Add(TextArray(events.Select(e => e.Event.Phase)));
        command.Parameters.Add(TextArray(events.Select(e => e.Event.Actor)));
        command.Parameters.Add(TextArray(events.Select(e => e.Event.SpanId)));
        command.Parameters.Add(TextArray(events.Select(e => e.Event.ParentSpanId)));
        command.Parameters.Add(TextArray(events.Select(e => e.Event.PayloadJson)));
        command.Parameters.Add(TextArray(events.Select(e => TaskLifecycle.SetBy(e.Event.EventType))));
        command.Parameters.Add(new() { Value = TaskChangeNotification.Channel });
        command.Parameters.Add(new() { Value = TaskChangeNotification.MaxPayloadBytes });
        command.Parameters.Add(TextArray(events.Select(e => e.TraceParent)));
        return command;
    }

    public static async Task<AppendOutcome[]> ReadOutcomesAsync(NpgsqlDataReader reader, IReadOnlyList<AppendRequest> requests, CancellationToken cancellationToken)
    {
        var outcomes = new AppendOutcome[requests.Count];
        for (var index = 0; index < requests.Count; index++)
        {
            var request = requests[index];
            var appended = new List<AppendedEvent>(request.Events.Count);
            string outcome = "", status = "";
            long lastSeq = 0;
            foreach (var newEvent in request.Events)
            {
                if (!await reader.ReadAsync(cancellationToken) || reader.GetInt32(0) != index + 1)
                {
                    throw new InvalidOperationException("append_events returned rows that do not match the events sent.");
                }

                outcome = reader.GetString(1);
                status = reader.IsDBNull(2) ? "" : reader.GetString(2);
                if (outcome == "appended")
                {
                    appended.Add(new AppendedEvent(reader.GetInt64(3), newEvent.EventId, Duplicate: reader.GetBoolean(4)));
                    lastSeq = reader.GetInt64(5);
                }
            }

            outcomes[index] = outcome switch
            {
                "appended" => new AppendOutcome.Appended(lastSeq, appended),
                "task_closed" => new AppendOutcome.TaskClosed(status),
                _ => new AppendOutcome.TaskNotFound(),
            };
        }

        return outcomes;
    }

    private static NpgsqlParameter TextArray(IEnumerable<string?> values) =>
        new() { Value = values.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text };
}
