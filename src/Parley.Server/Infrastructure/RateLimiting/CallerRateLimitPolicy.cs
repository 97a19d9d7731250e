using System.Numerics;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Parley.Server.Infrastructure.Auth;
using Parley.Server.Infrastructure.Cluster;
using RedisRateLimiting;

namespace Parley.Server.Infrastructure.RateLimiting;

/// <summary>
/// A token bucket per caller: per secret key, per widget session (messages and reads apart), and per client IP for
/// opening widget sessions with a publishable key. A full minute's allowance may be spent at once; it refills
/// steadily, so Retry-After says how soon the next request fits rather than when a window ends. With Redis
/// (<c>ConnectionStrings:Redis</c>) the buckets are shared by every node; without it, each node has its own.
/// </summary>
public sealed class CallerRateLimitPolicy(IOptionsMonitor<RateLimitOptions> options, IServiceProvider services) : IRateLimiterPolicy<string>
{
    public const string Name = "caller";
    internal const string LimitItem = "parley.ratelimit.limit";
    private const int TicksPerMinute = 600;
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(100);

    private readonly RedisAvailability? _redis = services.GetService<RedisAvailability>();

    public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected => null;

    public RateLimitPartition<string> GetPartition(HttpContext httpContext)
    {
        var limits = options.CurrentValue;
        var caller = httpContext.RequestServices.GetRequiredService<Caller>();
        var (key, limit) = caller.Kind switch
        {
            _ when !caller.IsAuthenticated => ("anonymous", 0),
            CallerKind.SecretKey => ("key:" + caller.KeyId, limits.SecretKeyPerMinute),
            CallerKind.User => ("user:" + caller.UserId, limits.SecretKeyPerMinute),
            CallerKind.WidgetSession when HttpMethods.IsPost(httpContext.Request.Method) =>
                ("session-messages:" + caller.ContactId, limits.WidgetMessagesPerMinute),
            CallerKind.WidgetSession => ("session-reads:" + caller.ContactId, limits.WidgetReadsPerMinute),
            _ => ("ip:" + httpContext.Connection.RemoteIpAddress, limits.WidgetSessionsPerMinutePerIp),
        };
        if (limit == 0)
        {
            // Unauthenticated requests are refused by authorization right after this; nothing to count.
            return RateLimitPartition.GetNoLimiter(key);
        }
        httpContext.Items[LimitItem] = limit;
        if (_redis is { } redis)
        {
            return RateLimitPartition.Get(key + "/" + limit, partition => new SharedTokenBucketLimiter(
                new RedisTokenBucketRateLimiter<string>("parley:" + partition, SharedPerMinute(limit, redis)),
                new TokenBucketRateLimiter(PerMinute(limit)),
                redis));
        }
        return RateLimitPartition.GetTokenBucketLimiter(key + "/" + limit, _ => PerMinute(limit));
    }

    private static RedisTokenBucketRateLimiterOptions SharedPerMinute(int limit, RedisAvailability redis)
    {
        var local = PerMinute(limit);
        return new RedisTokenBucketRateLimiterOptions
        {
            ConnectionMultiplexerFactory = () => redis.Connection,
            TokenLimit = local.TokenLimit,
            TokensPerPeriod = local.TokensPerPeriod,
            ReplenishmentPeriod = local.ReplenishmentPeriod,
        };
    }

    private static TokenBucketRateLimiterOptions PerMinute(int limit)
    {
        // The limiter refills on a 100 ms tick, so the refill period is a whole number of ticks: the shortest one in
        // which a whole number of tokens comes to exactly `limit` a minute (600 ticks).
        var divisor = (int)BigInteger.GreatestCommonDivisor(limit, TicksPerMinute);
        return new TokenBucketRateLimiterOptions
        {
            TokenLimit = limit,
            TokensPerPeriod = limit / divisor,
            ReplenishmentPeriod = Tick * (TicksPerMinute / divisor),
            QueueLimit = 0,
            AutoReplenishment = true,
        };
    }
}
