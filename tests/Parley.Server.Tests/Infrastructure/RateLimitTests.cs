using System.Net;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Infrastructure;

public sealed class LowRateLimitApp : ParleyApp
{
    public LowRateLimitApp()
    {
        With("Parley:RateLimits:SecretKeyPerMinute", "5");
        With("Parley:RateLimits:WidgetMessagesPerMinute", "3");
    }
}

[Trait(Storage.Trait, Storage.Independent)]
public sealed class RateLimitTests(LowRateLimitApp app) : IClassFixture<LowRateLimitApp>
{
    [Fact]
    public async Task SecretKey_OverTheLimit_429WithHeadersAndNoWrite()
    {
        var (_, key) = await app.CreateWorkspaceAsync();
        var client = app.Client(key);
        for (var i = 0; i < 5; i++)
        {
            (await client.GetAsync("/v1/bots")).EnsureSuccessStatusCode();
        }
        var before = await app.RowCountsAsync();

        var response = await client.PostJsonAsync("/v1/bots", new { name = "one too many" });

        var problem = await response.ProblemAsync(HttpStatusCode.TooManyRequests, "rate_limited");
        Assert.Contains("5 requests a minute", (string?)problem["detail"], StringComparison.Ordinal);
        var retryAfter = int.Parse(response.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(retryAfter, 1, 60);
        Assert.Equal("5", response.Headers.GetValues("RateLimit-Limit").Single());
        Assert.Equal("0", response.Headers.GetValues("RateLimit-Remaining").Single());
        Assert.Equal(retryAfter.ToString(System.Globalization.CultureInfo.InvariantCulture), response.Headers.GetValues("RateLimit-Reset").Single());
        Assert.Equal(before, await app.RowCountsAsync());
    }

    [Fact]
    public async Task Limits_ArePerKey()
    {
        var (_, first) = await app.CreateWorkspaceAsync();
        var (_, second) = await app.CreateWorkspaceAsync();
        for (var i = 0; i < 5; i++)
        {
            (await app.Client(first).GetAsync("/v1/bots")).EnsureSuccessStatusCode();
        }
        Assert.Equal(HttpStatusCode.TooManyRequests, (await app.Client(first).GetAsync("/v1/bots")).StatusCode);
        (await app.Client(second).GetAsync("/v1/bots")).EnsureSuccessStatusCode();
    }
}

/// <summary>On the default limits a busy integration is not throttled.</summary>
[Trait(Storage.Trait, Storage.Independent)]
public sealed class DefaultRateLimitTests(ParleyApp app) : IClassFixture<ParleyApp>
{
    [Fact]
    public async Task Burst_100MessagesFromOneKey_AllSucceed()
    {
        var client = app.Client();
        var conversationId = (await client.StartConversationAsync(await client.CreateBotAsync()))["conversation"]!.Id();
        var statuses = new List<HttpStatusCode>();
        foreach (var batch in Enumerable.Range(0, 100).Chunk(10))
        {
            var responses = await Task.WhenAll(batch.Select(i => client.PostJsonAsync($"/v1/conversations/{conversationId}/messages", new { text = $"message {i}" })));
            statuses.AddRange(responses.Select(r => r.StatusCode));
        }
        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
        var conversation = await (await client.GetAsync($"/v1/conversations/{conversationId}")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(1 + 200, (int?)conversation["message_count"]);
    }
}
