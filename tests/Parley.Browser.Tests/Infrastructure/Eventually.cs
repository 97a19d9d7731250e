namespace Parley.Browser.Tests.Infrastructure;

/// <summary>Polls a condition until it holds or a deadline passes; tests never sleep for a fixed time.</summary>
public static class Eventually
{
    public static async Task<T> EqualAsync<T>(T expected, Func<Task<T>> actual, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(15));
        while (true)
        {
            var value = await actual();
            if (EqualityComparer<T>.Default.Equals(value, expected) || DateTime.UtcNow > deadline)
            {
                Assert.Equal(expected, value);
                return value;
            }
            await Task.Delay(50);
        }
    }
}
