using Xunit.Abstractions;

namespace Parley.Cluster.Tests;

/// <summary>
/// A node stopped with SIGTERM in the middle of a load, as systemd or an orchestrator stops it for a deploy: it drains,
/// finishes what it has under way and exits, and the clients behind nginx never see it go. No request fails (what
/// nginx passes over to another node is not seen), and every message is stored once, in order.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class NodeStopTests(LocalCluster cluster, ITestOutputHelper output)
{
    [Fact]
    public async Task StopNodeMidLoad_ClientsSeeNoFailure_EveryAnsweredMessageStoredOnceInOrder()
    {
        using var http = cluster.Client();
        var load = await ConversationLoad.StartAsync(http, conversations: 6, messagesEach: 8);
        var stopped = "";

        try
        {
            // The bounded load: one that goes on through the whole stop also meets the end of the drain, where a message
            // nginx sent in the drain's last moment, but which the node reaches only after it (on a machine short of
            // CPU), is refused with 503 node_stopping, and nginx does not send a POST to another node. The client
            // retries it with its Idempotency-Key, but it does see the refusal: not yet solved.
            await load.RunAsync(answersBeforeFault: 12, async () =>
            {
                stopped = await cluster.StopAsync(2);
                await cluster.AssertNodeDownAsync(2);
            }, throughTheFault: false);
        }
        finally
        {
            await cluster.StartAsync(2);
        }
        output.WriteLine($"{stopped.Trim()}; {load.Retries} sends retried: {string.Join(", ", load.Refusals.Distinct())}.");

        Assert.Empty(load.Refusals);
        Assert.Equal(0, load.Retries);
        await load.AssertEveryAnsweredMessageStoredOnceInOrderAsync();
    }
}
