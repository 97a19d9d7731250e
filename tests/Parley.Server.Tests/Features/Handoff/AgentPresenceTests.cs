using System.Net;
using System.Net.Http.Json;
using Parley.Server.Tests.Features.Accounts;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Features.Handoff;

public sealed class AgentPresenceTests
{
    private static async Task<string> HandoffNoticeAsync(HttpClient client, string botId)
    {
        var conversationId = (await client.StartConversationAsync(botId))["conversation"]!.Id();
        var handoff = await (await client.PostJsonAsync($"/v1/conversations/{conversationId}/handoff", new { })).JsonAsync(HttpStatusCode.OK);
        return (string)handoff["message"]!["text"]!;
    }

    [Fact]
    public async Task SignedInAgent_OnlineCountsOnEveryNode_AwayStopsCounting()
    {
        await using var nodes = await TwoNodes.StartAsync();
        var (nodeA, nodeB) = (nodes.A, nodes.B);
        var owner = await Sessions.OwnerAsync(nodeA);
        var agent = await Sessions.JoinAsync(nodeA, owner, "paula@shop.example", "agent");
        var botId = await owner.CreateBotAsync("Presence");
        var onNodeB = nodeB.Client();

        Assert.StartsWith("Nobody from our team is available", await HandoffNoticeAsync(onNodeB, botId), StringComparison.Ordinal);

        var online = await (await agent.PutAsJsonAsync("/v1/inbox/presence", new { status = "online" })).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("online", (string?)online["status"]);
        Assert.StartsWith("I've asked a member of our team", await HandoffNoticeAsync(onNodeB, botId), StringComparison.Ordinal);

        await (await agent.PutAsJsonAsync("/v1/inbox/presence", new { status = "away" })).JsonAsync(HttpStatusCode.OK);
        Assert.StartsWith("Nobody from our team is available", await HandoffNoticeAsync(onNodeB, botId), StringComparison.Ordinal);
        Assert.StartsWith("Nobody from our team is available", await HandoffNoticeAsync(owner, botId), StringComparison.Ordinal);
    }
}
