using StackExchange.Redis;

namespace Parley.Server.Infrastructure.Cluster;

/// <summary>The bus over Redis pub/sub (<c>ConnectionStrings:Redis</c>). The client reconnects by itself after an outage.</summary>
public sealed class RedisClusterBus(IConnectionMultiplexer redis) : IClusterBus
{
    private static readonly RedisChannel Channel = RedisChannel.Literal("parley:cluster");


    public Task PublishAsync(string message, CancellationToken cancellationToken) =>
        redis.GetSubscriber().PublishAsync(Channel, message);

    public async Task ListenAsync(Action<string> received, CancellationToken stoppingToken)
    {
        var subscriber = redis.GetSubscriber();
        await subscriber.SubscribeAsync(Channel, (_, message) => received(message.ToString()));
        try
        {
            await Task.Delay(Timeout.Infinite, stoppingToken);
        }
        finally
        {
            await subscriber.UnsubscribeAsync(Channel);
        }
    }
}
