using System.Text.Json.Nodes;
using Parley.Server.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Parley.Cluster.Tests;

/// <summary>
/// A node killed with SIGKILL in the middle of a load: visitors whose request died with it retry with the same
/// Idempotency-Key, as the widget does, and nothing is lost or stored twice; every message reaches a webhook receiver
/// at least once, a repeat carrying the same webhook-id.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class NodeCrashTests(LocalCluster cluster, ITestOutputHelper output)
{
    [Fact]
    public async Task KillNodeMidLoad_EveryAnsweredMessageStoredOnceInOrder_RetriesReplayTheFirstAnswer_WebhooksAtLeastOnce()
    {
        using var http = cluster.Client();
        await using var receiver = await WebhookReceiver.StartAsync();
        await ConversationLoad.PostAsync(http, "/v1/webhook-endpoints", new { url = receiver.Url, events = new[] { "message.created" } });
        var load = await ConversationLoad.StartAsync(http, conversations: 12, messagesEach: 16);

        await load.RunAsync(answersBeforeFault: 36, () => cluster.KillAsync(2));
        output.WriteLine($"{load.Retries} sends were retried after the kill: {string.Join(", ", load.Refusals.Distinct())}.");

        try
        {
            await cluster.AssertNodeDownAsync(2);
            await load.AssertEveryAnsweredMessageStoredOnceInOrderAsync();

            // Every stored message was announced; a repeat (an attempt in flight on the killed node) has the same id and body.
            var stored = new HashSet<string>();
            foreach (var conversationId in load.ConversationIds)
            {
                stored.UnionWith((await load.TranscriptAsync(conversationId)).Select(m => m.Id));
            }
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
            while (!stored.IsSubsetOf(AnnouncedMessages(receiver)))
            {
                Assert.True(DateTime.UtcNow < deadline, $"{stored.Except(AnnouncedMessages(receiver)).Count()} stored messages never reached the webhook receiver.");
                await Task.Delay(200);
            }
            var byWebhookId = receiver.Requests.GroupBy(r => r.Headers["webhook-id"]).ToList();
            Assert.All(byWebhookId, attempts => Assert.Single(attempts.Select(a => a.Body).Distinct()));
            Assert.Equal(byWebhookId.Count, receiver.Requests.Select(r => MessageId(r.Body)).Distinct().Count());
            output.WriteLine($"{receiver.Requests.Count} webhook requests for {byWebhookId.Count} events.");
        }
        finally
        {
            // Back for the next test, whatever this one found.
            await cluster.StartAsync(2);
        }

        // The killed node came back and serves; a retry of an answered message replays the first answer there.
        using var nodeTwo = cluster.Client(cluster.NodeUrl(2));
        await load.AssertRetryReplaysFirstAnswerAsync(nodeTwo);
    }

    private static HashSet<string> AnnouncedMessages(WebhookReceiver receiver) => [.. receiver.Requests.Select(r => MessageId(r.Body))];

    private static string MessageId(string body) => JsonNode.Parse(body)!["data"]!["id"]!.GetValue<string>();
}
