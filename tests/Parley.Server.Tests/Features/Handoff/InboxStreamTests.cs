using System.Net;
using Parley.Server.Tests.Features.Accounts;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Features.Handoff;

public sealed class InboxStreamTests(ParleyApp app) : IClassFixture<ParleyApp>
{
    [Fact]
    public async Task Stream_HandoffAndClaimArriveLive_ResumesAfterADroppedConnection_OnlyOwnWorkspace()
    {
        var owner = await Sessions.OwnerAsync(app);
        var agent = await Sessions.JoinAsync(app, owner, "ines@shop.example", "agent");
        var botId = await owner.CreateBotAsync("Inbox");
        var conversationId = (await owner.StartConversationAsync(botId))["conversation"]!.Id();

        string assignedEventId;
        await using (var stream = await SseListener.OpenAsync(agent, "/v1/inbox/stream"))
        {
            await (await owner.PostJsonAsync($"/v1/conversations/{conversationId}/handoff", new { })).JsonAsync(HttpStatusCode.OK);
            var requested = await stream.NextAsync(_ => true, TimeSpan.FromSeconds(5));
            Assert.Equal("handoff.requested", requested.Type);
            Assert.Equal(conversationId, (string?)requested.Data["conversation_id"]);
            Assert.Equal("handoff", (string?)requested.Data["conversation"]!["status"]);

            await (await agent.PostJsonAsync($"/v1/conversations/{conversationId}/claim", new { })).JsonAsync(HttpStatusCode.OK);
            var assigned = await stream.NextAsync(_ => true, TimeSpan.FromSeconds(5));
            Assert.Equal("conversation.assigned", assigned.Type);
            Assert.Equal(await Sessions.UserIdAsync(agent), (string?)assigned.Data["assigned_user_id"]);
            assignedEventId = assigned.Id!;
        }

        // While the agent is disconnected: a handoff in another workspace (never theirs to see) and a return to the bot.
        var (_, otherKey) = await app.CreateWorkspaceAsync();
        var other = app.Client(otherKey);
        var otherConversation = (await other.StartConversationAsync(await other.CreateBotAsync()))["conversation"]!.Id();
        await (await other.PostJsonAsync($"/v1/conversations/{otherConversation}/handoff", new { })).JsonAsync(HttpStatusCode.OK);
        await (await agent.PostJsonAsync($"/v1/conversations/{conversationId}/return-to-bot", new { })).JsonAsync(HttpStatusCode.OK);

        await using var resumed = await SseListener.OpenAsync(agent, "/v1/inbox/stream", assignedEventId);
        var missed = await resumed.NextAsync(_ => true, TimeSpan.FromSeconds(5));
        Assert.Equal("conversation.returned_to_bot", missed.Type);
        Assert.Equal(conversationId, (string?)missed.Data["conversation_id"]);
    }

    [Fact]
    public async Task Stream_BadResumePointOrViewer_IsRejected()
    {
        var owner = await Sessions.OwnerAsync(app);
        var request = new HttpRequestMessage(HttpMethod.Get, "/v1/inbox/stream");
        request.Headers.Add("Last-Event-ID", "msg_123");
        await (await owner.SendAsync(request)).ProblemAsync(HttpStatusCode.BadRequest, "invalid_request");
        await (await owner.GetAsync("/v1/inbox/stream?last_event_id=nonsense")).ProblemAsync(HttpStatusCode.BadRequest, "invalid_request");

        var viewer = await Sessions.JoinAsync(app, owner, "vera@shop.example", "viewer");
        await (await viewer.GetAsync("/v1/inbox/stream")).ProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await (await app.CreateClient().GetAsync("/v1/inbox/stream")).ProblemAsync(HttpStatusCode.Unauthorized, "missing_api_key");
    }
}
