using System.Net;
using TaskEvents.ReliabilityTests.Load;

namespace TaskEvents.ReliabilityTests.Faults;

/// <summary>Fault 5: every client's connection dropped at once (a reconnect storm): all resume, the Api stays healthy.</summary>
public sealed class ReconnectStormTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Every_client_dropped_at_once_resumes_and_the_api_stays_healthy()
    {
        var clients = Scale.Pick(200, 1000);
        var connections = new DroppableConnections();
        await using var system = await ReplicatedSystem.StartAsync(await SharedPostgres.CreateDatabaseAsync());
        await using var load = await FaultLoad.StartAsync(new LoadSettings(system.GatewayAddress, () => TestTokens.Create())
        {
            Subscribers = clients,
            Tasks = Scale.Pick(10, 20),
            KeepaliveInterval = ReplicatedSystem.KeepaliveInterval,
            SubscriberHandler = connections.Handler,
        });
        await load.WaitUntilStreamingAsync();
        var streamsBefore = load.SubscriberStatuses.StreamsOpened;

        using var watching = new CancellationTokenSource();
        var health = WatchHealthAsync(system, watching.Token);
        var droppedAt = DateTimeOffset.UtcNow;
        var dropped = connections.DropAll();
        var recovery = await load.WaitForRecoveryAsync(droppedAt);
        await watching.CancelAsync();
        var healthAnswers = await health;
        await load.WaitForAcknowledgedAsync(Scale.EventsAfterRecovery);
        var check = await load.FinishAsync();

        var reopened = load.SubscriberStatuses.StreamsOpened - streamsBefore;
        var unhealthy = healthAnswers.Where(a => a.Key != "200").Sum(a => a.Value);
        FaultOutcome.RecordAndAssert(5, "Every client dropped at once (reconnect storm)", "2 Api processes + gateway", load, check, recovery,
            $"{dropped} connections dropped, {reopened} streams reopened; Api /health during recovery: {string.Join(", ", healthAnswers.Select(a => $"{a.Key}×{a.Value}"))}",
            FaultExpectations.Nothing, output);
        Assert.True(dropped >= clients, $"only {dropped} connections were dropped for {clients} clients");
        Assert.True(reopened >= clients, $"only {reopened} of {clients} streams were reopened");
        Assert.True(healthAnswers.GetValueOrDefault("200") > 0, "the Apis' health was never read during the recovery");
        Assert.Equal(0, unhealthy);
    }

    /// <summary>Reads every Api's /health until cancelled; counts the answers.</summary>
    private static async Task<Dictionary<string, int>> WatchHealthAsync(ReplicatedSystem system, CancellationToken stop)
    {
        var answers = new Dictionary<string, int>();
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        do
        {
            foreach (var api in system.Apis)
            {
                string outcome;
                try
                {
                    using var response = await client.GetAsync(new Uri(api.BaseAddress, "/health"), CancellationToken.None);
                    outcome = ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                    outcome = "no answer";
                }

                answers[outcome] = answers.GetValueOrDefault(outcome) + 1;
            }

            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100), stop);
            }
            catch (OperationCanceledException)
            {
            }
        }
        while (!stop.IsCancellationRequested);

        return answers;
    }
}
