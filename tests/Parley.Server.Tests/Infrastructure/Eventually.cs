namespace Parley.Server.Tests.Infrastructure;

/// <summary>Waits for something the server does in the background, failing with a message after a deadline.</summary>
public static class Eventually
{
    public static async Task TrueAsync(Func<Task<bool>> condition, string failure, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(20));
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, failure);
            await Task.Delay(50);
        }
    }
}
