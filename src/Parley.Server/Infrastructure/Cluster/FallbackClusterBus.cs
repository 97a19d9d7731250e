namespace Parley.Server.Infrastructure.Cluster;

/// <summary>
/// Redis with PostgreSQL behind it: messages go over Redis while this node reaches it, and over LISTEN/NOTIFY while it
/// does not; every node listens on both, so a node cut off from Redis still reaches the others. A message that
/// arrives twice does no harm (an eviction or a wake-up repeated).
/// </summary>
public sealed class FallbackClusterBus(RedisClusterBus redis, PostgresClusterBus postgres, RedisAvailability availability) : IClusterBus, IAsyncDisposable
{
    public async Task PublishAsync(string message, CancellationToken cancellationToken)
    {
        if (availability.IsConnected)
        {
            try
            {
                await redis.PublishAsync(message, cancellationToken);
                return;
            }
            catch (Exception ex) when (RedisAvailability.IsFailure(ex, cancellationToken))
            {
                availability.Failed(ex);
            }
        }
        await postgres.PublishAsync(message, cancellationToken);
    }

    public Task ListenAsync(Action<string> received, CancellationToken stoppingToken) =>
        Task.WhenAll(ListenToRedisAsync(received, stoppingToken), postgres.ListenAsync(received, stoppingToken));

    public ValueTask DisposeAsync() => postgres.DisposeAsync();

    private async Task ListenToRedisAsync(Action<string> received, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await redis.ListenAsync(received, stoppingToken);
            }
            catch (Exception ex) when (RedisAvailability.IsFailure(ex, stoppingToken))
            {
                // Down at start-up: the client reconnects by itself, and then the subscription can be made.
                availability.Failed(ex);
                await Task.Delay(TimeSpan.FromSeconds(2), stoppingToken);
            }
        }
    }
}
