namespace TaskEvents.Testing;

/// <summary>Awaits a condition that another process makes true (a health state, a row), checking it until a deadline.</summary>
public static class Eventually
{
    public static async Task<T> MatchesAsync<T>(Func<Task<T>> read, Func<T, bool> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var value = await read();
            if (condition(value))
            {
                return value;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Still waiting after {timeout} for {what}; last value: {value}");
            }

            await Task.Delay(25);
        }
    }
}
