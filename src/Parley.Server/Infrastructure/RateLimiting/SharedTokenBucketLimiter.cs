using System.Threading.RateLimiting;
using Parley.Server.Infrastructure.Cluster;

namespace Parley.Server.Infrastructure.RateLimiting;

/// <summary>
/// One caller's token bucket kept in Redis, so every node spends the same allowance; while Redis is unreachable the
/// node counts on its own bucket instead, so a Redis outage loosens the limits (each node allows the full rate)
/// rather than refusing or failing requests.
/// </summary>
internal sealed class SharedTokenBucketLimiter(RateLimiter shared, RateLimiter local, RedisAvailability redis) : RateLimiter
{
    private static readonly RateLimitLease TryAsynchronously = new NotAcquired();

    public override TimeSpan? IdleDuration => (shared.IdleDuration, local.IdleDuration) switch
    {
        ({ } a, { } b) => a < b ? a : b,
        _ => null,
    };

    public override RateLimiterStatistics? GetStatistics() => local.GetStatistics();

    // Redis is only asked asynchronously: a failed attempt sends the rate limiter middleware to AcquireAsync.
    protected override RateLimitLease AttemptAcquireCore(int permitCount) =>
        redis.IsConnected ? TryAsynchronously : local.AttemptAcquire(permitCount);

    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
    {
        if (redis.IsConnected)
        {
            try
            {
                var lease = await shared.AcquireAsync(permitCount, cancellationToken);
                redis.Succeeded();
                return lease;
            }
            catch (Exception ex) when (RedisAvailability.IsFailure(ex, cancellationToken))
            {
                redis.Failed(ex);
            }
        }
        else
        {
            redis.Failed();
        }
        return await local.AcquireAsync(permitCount, cancellationToken);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            shared.Dispose();
            local.Dispose();
        }
        base.Dispose(disposing);
    }

    protected override async ValueTask DisposeAsyncCore()
    {
        await shared.DisposeAsync();
        await local.DisposeAsync();
        await base.DisposeAsyncCore();
    }

    private sealed class NotAcquired : RateLimitLease
    {
        public override bool IsAcquired => false;

        public override IEnumerable<string> MetadataNames => [];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = null;
            return false;
        }
    }
}
