using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Parley.Cluster.Tests;

/// <summary>A key revoked through one node is refused by every other node within a second (the eviction goes over Redis).</summary>
[Collection(ClusterCollection.Name)]
public sealed class RevocationTests(LocalCluster cluster)
{
    [Fact]
    public async Task RevokeThroughNodeOne_NodeThreeRefusesWithinOneSecond()
    {
        using var nodeOne = cluster.Client(cluster.NodeUrl(1));
        using var created = await nodeOne.PostAsJsonAsync("/v1/api-keys", new { name = "leaked" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var key = (await created.Content.ReadFromJsonAsync<JsonObject>())!;
        using var nodeThree = new HttpClient { BaseAddress = new Uri(cluster.NodeUrl(3)) };
        nodeThree.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key["secret"]!.GetValue<string>());
        (await nodeThree.GetAsync("/v1/bots")).EnsureSuccessStatusCode(); // now cached on node 3 for 30 s

        (await nodeOne.DeleteAsync($"/v1/api-keys/{key["id"]!.GetValue<string>()}")).EnsureSuccessStatusCode();

        var clock = Stopwatch.StartNew();
        HttpStatusCode status;
        while ((status = (await nodeThree.GetAsync("/v1/bots")).StatusCode) == HttpStatusCode.OK && clock.Elapsed < TimeSpan.FromSeconds(5))
        {
            await Task.Delay(20);
        }
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"Node 3 accepted the revoked key for {clock.Elapsed.TotalMilliseconds:F0} ms.");
    }
}
