using System.Net;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Features.Handoff;

public sealed class StreamAcrossNodesTests
{
    [Fact]
    public async Task AgentReplyOnAnotherNode_ReachesTheStreamByPolling()
    {
        await using var nodes = await TwoNodes.StartAsync(new ParleyApp().With("Parley:Handoff:StreamPollInterval", "00:00:00.200"));
        var (nodeA, nodeB) = (nodes.A, nodes.B);
        var ownerA = nodeA.Client();
        var conversationId = (await ownerA.StartConversationAsync(await ownerA.CreateBotAsync()))["conversation"]!.Id();
        await (await ownerA.PostJsonAsync($"/v1/conversations/{conversationId}/handoff", new { })).JsonAsync(HttpStatusCode.OK);
        await using var stream = await SseListener.OpenAsync(ownerA, $"/v1/conversations/{conversationId}/stream");

        // Node B commits the reply; node A's process never hears of it except through the database.
        await (await nodeB.Client().PostJsonAsync($"/v1/conversations/{conversationId}/agent-messages", new { text = "Written on node B" }))
            .JsonAsync(HttpStatusCode.Created);

        var arrived = await stream.NextAsync(e => e.Type == "message.created" && (string?)e.Data["text"] == "Written on node B", TimeSpan.FromSeconds(5));
        Assert.Equal("agent", (string?)arrived.Data["role"]);
    }
}
