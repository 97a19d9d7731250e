using System.Diagnostics;
using System.Net;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Features.ApiKeys;

/// <summary>
/// Two nodes on one PostgreSQL database without Redis: a key revoked through one node is refused by the other within a
/// second, though the other had it cached for 30 (the eviction travels over LISTEN/NOTIFY). A SQLite file has one
/// node, so this runs on the PostgreSQL pass of the suite.
/// </summary>
public sealed class RevocationAcrossNodesTests
{
    [Fact]
    public async Task RevokeOnNodeA_NodeBRefusesTheKeyWithinOneSecond()
    {
        if (ParleyApp.PostgresServer is null)
        {
            return;
        }
        await using var nodes = await TwoNodes.StartAsync();
        var (nodeA, nodeB) = (nodes.A, nodes.B);
        var created = await (await nodeA.Client().PostJsonAsync("/v1/api-keys", new { name = "leaked" })).JsonAsync(HttpStatusCode.Created);
        var onNodeB = nodeB.Client((string)created["secret"]!);
        (await onNodeB.GetAsync("/v1/bots")).EnsureSuccessStatusCode(); // now cached on node B

        await (await nodeA.Client().DeleteAsync($"/v1/api-keys/{created.Id()}")).JsonAsync(HttpStatusCode.OK);

        var clock = Stopwatch.StartNew();
        HttpStatusCode status;
        do
        {
            status = (await onNodeB.GetAsync("/v1/bots")).StatusCode;
            if (status == HttpStatusCode.OK)
            {
                await Task.Delay(20);
            }
        }
        while (status == HttpStatusCode.OK && clock.Elapsed < TimeSpan.FromSeconds(5));
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"Node B accepted the revoked key for {clock.Elapsed.TotalMilliseconds:F0} ms.");
    }
}
