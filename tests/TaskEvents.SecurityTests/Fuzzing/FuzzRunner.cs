using System.Text.Json;

namespace TaskEvents.SecurityTests.Fuzzing;

/// <summary>Sends generated inputs to one server a few at a time and tallies what came back.</summary>
public static class FuzzRunner
{
    private static readonly TimeSpan PerRequestTimeout = TimeSpan.FromSeconds(30);

    public static async Task<FuzzTally> RunAsync(string surface, Uri server, FuzzEndpoint endpoint, IReadOnlyList<FuzzRequest> inputs, int seed, int parallelism = 4)
    {
        var tally = new FuzzTally(surface, endpoint);
        await Parallel.ForEachAsync(Enumerable.Range(0, inputs.Count), new ParallelOptions { MaxDegreeOfParallelism = parallelism }, async (index, _) =>
        {
            var request = inputs[index];
            var outcome = await RawExchange.SendAsync(server, request.Method, request.ToBytes(server), PerRequestTimeout);
            var failure = FuzzVerdict.Judge(endpoint, request, outcome);
            var response = outcome.Response;
            if (response is { Status: 201 } && endpoint == FuzzEndpoint.CreateTask)
            {
                lock (tally.CreatedTaskIds)
                {
                    tally.CreatedTaskIds.Add(JsonElement.Parse(response.Body).GetProperty("task_id").GetString()!);
                }
            }

            tally.Record(
                response is null ? "no answer" : response.Status.ToString(System.Globalization.CultureInfo.InvariantCulture),
                response?.IsServerProtocolRefusal == true,
                failure is null ? null : $"{surface} {endpoint.Name} input #{index} (seed {seed}): {failure}\n    {request.Describe()}");
        });
        return tally;
    }
}
