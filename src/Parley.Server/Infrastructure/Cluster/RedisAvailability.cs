using StackExchange.Redis;

namespace Parley.Server.Infrastructure.Cluster;

/// <summary>
/// Whether this node reaches Redis, for what falls back while it is down (shared rate limits become per node), logging
/// each change once rather than on every request. The client reconnects by itself.
/// </summary>
public sealed class RedisAvailability(IConnectionMultiplexer redis, ILogger<RedisAvailability> logger)
{
    private int _failing;

    public IConnectionMultiplexer Connection => redis;

    public bool IsConnected => redis.IsConnected;

    /// <summary>
    /// Whether <paramref name="error"/>, thrown by a call to Redis, is Redis failing rather than the caller giving up.
    /// Not only the client's own exceptions: while a connection breaks, it lets others through (its write pipe's
    /// "Writing is not allowed after writer was completed", an <see cref="InvalidOperationException"/>).
    /// </summary>
    public static bool IsFailure(Exception error, CancellationToken cancellationToken) =>
        error is not OperationCanceledException || !cancellationToken.IsCancellationRequested;

    public void Failed(Exception? error = null)
    {
        if (Interlocked.Exchange(ref _failing, 1) == 0)
        {
            logger.LogWarning(error, "Redis is unreachable: each node limits callers on its own until it is back");
        }
    }

    public void Succeeded()
    {
        if (Volatile.Read(ref _failing) == 1 && Interlocked.Exchange(ref _failing, 0) == 1)
        {
            logger.LogInformation("Redis is back: rate limits are shared across nodes again");
        }
    }
}
