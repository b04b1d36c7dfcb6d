namespace Defender.Mssp.IntegrationTests.Infrastructure;

/// <summary>Waits for a condition that real processes reach in their own time; generous bounds, no fixed sleeps.</summary>
public static class Eventually
{
    public static async Task HoldsAsync(Func<Task<bool>> condition, TimeSpan timeout, Func<Task<string>> describe)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition().ConfigureAwait(false))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Not reached within {timeout}: {await describe().ConfigureAwait(false)}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500)).ConfigureAwait(false);
        }
    }
}
