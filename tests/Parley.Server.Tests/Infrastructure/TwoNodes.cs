namespace Parley.Server.Tests.Infrastructure;

/// <summary>
/// Two nodes on one database, as behind a load balancer: node B shares node A's database and data directory and
/// leaves it to node A to delete.
/// </summary>
public sealed class TwoNodes : IAsyncDisposable
{
    private TwoNodes(ParleyApp a, ParleyApp b)
    {
        A = a;
        B = b;
    }

    public ParleyApp A { get; }
    public ParleyApp B { get; }

    /// <summary>
    /// Starts <paramref name="nodeA"/> (a default node when null), then a second node beside it (made by
    /// <paramref name="besideA"/> when given, which must share node A's database and keep it); <paramref name="both"/>
    /// sets what both nodes share (say, a Redis).
    /// </summary>
    public static async Task<TwoNodes> StartAsync(ParleyApp? nodeA = null, Action<ParleyApp>? both = null, Func<ParleyApp, ParleyApp>? besideA = null)
    {
        var a = nodeA ?? new ParleyApp();
        both?.Invoke(a);
        await a.InitializeAsync();
        var b = besideA?.Invoke(a) ?? new ParleyApp(a.DataDirectory, a.PostgresDatabase) { KeepDatabase = true };
        both?.Invoke(b);
        try
        {
            await b.InitializeAsync();
        }
        catch
        {
            await ((IAsyncLifetime)a).DisposeAsync();
            throw;
        }
        return new TwoNodes(a, b);
    }

    public async ValueTask DisposeAsync()
    {
        await ((IAsyncLifetime)B).DisposeAsync();
        await ((IAsyncLifetime)A).DisposeAsync();
    }
}
