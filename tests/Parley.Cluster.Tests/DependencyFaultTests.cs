using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Xunit.Abstractions;

namespace Parley.Cluster.Tests;

/// <summary>
/// Redis killed and PostgreSQL stopped in the middle of a load, then started again: the nodes keep serving without
/// Redis and refuse with <c>503 database_unavailable</c> without PostgreSQL, nothing answered is lost or stored twice,
/// and every node recovers by itself, without a restart.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class DependencyFaultTests(LocalCluster cluster, ITestOutputHelper output)
{
    private static readonly TimeSpan Recovery = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task RedisKilledMidLoad_NodesKeepServing_StatusDegraded_SharedAgainOnceBack()
    {
        using var http = cluster.Client();
        var load = await ConversationLoad.StartAsync(http, conversations: 8, messagesEach: 10);

        await load.RunAsync(answersBeforeFault: 16, async () =>
        {
            await cluster.KillRedisAsync();
            await LocalCluster.EventuallyAsync(async () => await cluster.ComponentStatusAsync(1, "redis") == "degraded", Recovery,
                "node 1's /status says Redis is degraded");
            await cluster.StartRedisAsync();
        });
        output.WriteLine($"{load.Retries} sends retried: {string.Join(", ", load.Refusals.Distinct())}.");

        Assert.Empty(load.Refusals);
        await load.AssertEveryAnsweredMessageStoredOnceInOrderAsync();
        for (var node = 1; node <= LocalCluster.Nodes; node++)
        {
            var n = node;
            await LocalCluster.EventuallyAsync(async () => await cluster.ComponentStatusAsync(n, "redis") == "operational", Recovery,
                $"node {n}'s /status says Redis is operational again");
        }
    }

    [Fact]
    public async Task PostgresStoppedMidLoad_503DatabaseUnavailableWithRetryAfter_NothingLost_RecoversWithoutRestart()
    {
        using var http = cluster.Client();
        var load = await ConversationLoad.StartAsync(http, conversations: 8, messagesEach: 10);
        string? refusedRead = null;

        await load.RunAsync(answersBeforeFault: 16, async () =>
        {
            await cluster.StopPostgresAsync();
            try
            {
                // A read while the database is down gets the same answer as the writes.
                using var node = cluster.Client(cluster.NodeUrl(3));
                using var response = await node.GetAsync("/v1/bots");
                Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
                Assert.Equal(TimeSpan.FromSeconds(5), response.Headers.RetryAfter?.Delta);
                refusedRead = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["code"]!.GetValue<string>();
                // Long enough for the load's senders to meet the outage.
                await Task.Delay(TimeSpan.FromSeconds(2));
            }
            finally
            {
                await cluster.StartPostgresAsync();
            }
        });
        output.WriteLine($"{load.Retries} sends retried: {string.Join(", ", load.Refusals.Distinct())}.");

        Assert.Equal("database_unavailable", refusedRead);
        Assert.NotEmpty(load.Refusals);
        Assert.All(load.Refusals, refusal => Assert.Equal("503 database_unavailable retry-after=5", refusal));
        await load.AssertEveryAnsweredMessageStoredOnceInOrderAsync();
        await load.AssertRetryReplaysFirstAnswerAsync(http);
        for (var node = 1; node <= LocalCluster.Nodes; node++)
        {
            using var client = cluster.Client(cluster.NodeUrl(node));
            using var created = await client.PostAsJsonAsync("/v1/bots", new { name = $"After the outage, node {node}" });
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }
    }
}
