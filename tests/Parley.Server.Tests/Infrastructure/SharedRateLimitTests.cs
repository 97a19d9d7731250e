using System.Globalization;
using System.Net;
using System.Threading.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Parley.Server.Infrastructure.Cluster;
using Parley.Server.Infrastructure.RateLimiting;
using StackExchange.Redis;

namespace Parley.Server.Tests.Infrastructure;

/// <summary>
/// Two nodes sharing one real Redis spend one allowance per key between them; while Redis is down each node keeps
/// serving on its own allowance, and shares again once Redis is back; a failure of the Redis client of any kind falls
/// back the same way.
/// </summary>
[Trait(Storage.Trait, Storage.Independent)]
public sealed class SharedRateLimitTests
{
    private const int PerMinute = 5;

    [Fact]
    public async Task TwoNodesSharingRedis_SpendOneBudget_Then429WithHeaders()
    {
        using var redis = await RedisTestServer.StartAsync();
        await using var nodes = await StartNodesAsync(redis);
        var (_, key) = await nodes.A.CreateWorkspaceAsync();
        var (onA, onB) = (nodes.A.Client(key), nodes.B.Client(key));

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < PerMinute + 3; i++)
        {
            statuses.Add((await (i % 2 == 0 ? onA : onB).GetAsync("/v1/bots")).StatusCode);
        }

        Assert.Equal(PerMinute, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.All(statuses.Skip(PerMinute), s => Assert.Equal(HttpStatusCode.TooManyRequests, s));
        var response = await onB.PostJsonAsync("/v1/bots", new { name = "one too many" });
        var problem = await response.ProblemAsync(HttpStatusCode.TooManyRequests, "rate_limited");
        Assert.Contains($"{PerMinute} requests a minute", (string?)problem["detail"], StringComparison.Ordinal);
        var retryAfter = int.Parse(response.Headers.GetValues("Retry-After").Single(), CultureInfo.InvariantCulture);
        Assert.InRange(retryAfter, 1, 60 / PerMinute);
        Assert.Equal(PerMinute.ToString(CultureInfo.InvariantCulture), response.Headers.GetValues("RateLimit-Limit").Single());
        Assert.Equal("0", response.Headers.GetValues("RateLimit-Remaining").Single());
        Assert.Equal(retryAfter.ToString(CultureInfo.InvariantCulture), response.Headers.GetValues("RateLimit-Reset").Single());
    }

    [Fact]
    public async Task RedisDown_EachNodeLimitsOnItsOwn_SharedAgainWhenBack()
    {
        using var redis = await RedisTestServer.StartAsync();
        await using var nodes = await StartNodesAsync(redis);
        var (_, key) = await nodes.A.CreateWorkspaceAsync();
        var (onA, onB) = (nodes.A.Client(key), nodes.B.Client(key));
        for (var i = 0; i < PerMinute; i++)
        {
            (await onA.GetAsync("/v1/bots")).EnsureSuccessStatusCode();
        }
        Assert.Equal(HttpStatusCode.TooManyRequests, (await onB.GetAsync("/v1/bots")).StatusCode);

        redis.Stop();

        // Each node's own bucket, full: served, never a 500.
        Assert.Equal(PerMinute, await CountSuccessesAsync(onA, PerMinute + 1));
        Assert.Equal(PerMinute, await CountSuccessesAsync(onB, PerMinute + 1));

        await redis.StartAgainAsync();
        // Each node's client reconnects on its own schedule; until it has, that node keeps its own bucket.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!(Connected(nodes.A) && Connected(nodes.B)))
        {
            Assert.True(DateTime.UtcNow < deadline, "The nodes did not reconnect to Redis within 30 seconds.");
            await Task.Delay(100);
        }

        // Back on Redis, empty after the restart: one fresh bucket for both nodes.
        Assert.Equal(HttpStatusCode.OK, (await onA.GetAsync("/v1/bots")).StatusCode);
        Assert.Equal(PerMinute - 1, await CountSuccessesAsync(onB, PerMinute));
    }

    [Fact]
    public async Task RedisClientFailingWithAnotherException_FallsBackToTheNodesOwnBucket_CancellingDoesNot()
    {
        using var redis = await RedisTestServer.StartAsync();
        await using var connection = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
        var availability = new RedisAvailability(connection, NullLogger<RedisAvailability>.Instance);
        using var local = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = 1, TokensPerPeriod = 1, ReplenishmentPeriod = TimeSpan.FromMinutes(1), QueueLimit = 0,
        });
        using var limiter = new SharedTokenBucketLimiter(new BreakingConnectionLimiter(), local, availability);

        // Connected, so the shared bucket is asked; it fails as the client does while its connection breaks.
        using (var lease = await limiter.AcquireAsync(1))
        {
            Assert.True(lease.IsAcquired);
        }
        using (var spent = await limiter.AcquireAsync(1))
        {
            Assert.False(spent.IsAcquired);
        }

        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => limiter.AcquireAsync(1, cancelled.Token).AsTask());
    }

    private static Task<TwoNodes> StartNodesAsync(RedisTestServer redis) => TwoNodes.StartAsync(both: node => node
        .With("ConnectionStrings:Redis", redis.ConnectionString)
        .With("Parley:RateLimits:SecretKeyPerMinute", PerMinute.ToString(CultureInfo.InvariantCulture)));

    private static bool Connected(ParleyApp node) => node.Services.GetRequiredService<RedisAvailability>().IsConnected;

    /// <summary>The shared bucket at the moment its connection breaks under a write: the client's pipe refuses it.</summary>
    private sealed class BreakingConnectionLimiter : RateLimiter
    {
        public override TimeSpan? IdleDuration => null;

        public override RateLimiterStatistics? GetStatistics() => null;

        protected override RateLimitLease AttemptAcquireCore(int permitCount) => throw new NotSupportedException();

        protected override ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            throw new InvalidOperationException("Writing is not allowed after writer was completed.");
        }
    }

    private static async Task<int> CountSuccessesAsync(HttpClient client, int requests)
    {
        var successes = 0;
        for (var i = 0; i < requests; i++)
        {
            var response = await client.GetAsync("/v1/bots");
            Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.TooManyRequests, $"Got {response.StatusCode}.");
            successes += response.StatusCode == HttpStatusCode.OK ? 1 : 0;
        }
        return successes;
    }
}
