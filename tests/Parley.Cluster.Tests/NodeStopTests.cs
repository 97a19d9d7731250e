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
            // The bounded load, which ends during the drain. One that goes on until the node has exited also meets the
            // moment it stops listening: a connection accepted for it whose request it has not read yet is closed then,
            // and nginx, having sent a POST on it, answers 502 rather than send it elsewhere (once in four runs with two
            // extra busy processes on two cores). The client resends it with its Idempotency-Key.
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
