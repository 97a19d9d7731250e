using System.Net;
using Parley.Server.Tests.Features.Accounts;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Features.Handoff;

/// <summary>Typing both ways: each side's stream hears the other typing; nothing is stored; repeats are dropped.</summary>
public sealed class TypingTests(ParleyApp app) : IClassFixture<ParleyApp>
{
    private const string Site = "https://shop.example";

    private async Task<(HttpClient Owner, HttpClient Visitor, string ConversationId)> HandedOverAsync()
    {
        var owner = await Sessions.OwnerAsync(app);
        var botId = await owner.CreateBotAsync("Typing desk");
        var pk = (string)(await (await owner.PostJsonAsync("/v1/api-keys", new { name = "site", kind = "publishable", bot_id = botId, allowed_origins = new[] { Site } }))
            .JsonAsync(HttpStatusCode.Created))["publishable_key"]!;
        var browser = app.Client(pk);
        browser.DefaultRequestHeaders.Add("Origin", Site);
        var session = await (await browser.PostJsonAsync("/v1/widget/sessions", new { })).JsonAsync(HttpStatusCode.OK);
        var visitor = app.Client((string)session["session_token"]!);
        visitor.DefaultRequestHeaders.Add("Origin", Site);
        var conversationId = session["conversation"]!.Id();
        await (await owner.PostJsonAsync($"/v1/conversations/{conversationId}/handoff", new { })).JsonAsync(HttpStatusCode.OK);
        return (owner, visitor, conversationId);
    }

    [Fact]
    public async Task Typing_EachSideHearsTheOther_NotItself_AndNothingIsStored()
    {
        var (owner, visitor, conversationId) = await HandedOverAsync();
        var agent = await Sessions.JoinAsync(app, owner, "tia@shop.example", "agent");
        await (await owner.PatchJsonAsync($"/v1/users/{await Sessions.UserIdAsync(agent)}", new { name = "Tia Typist" })).JsonAsync(HttpStatusCode.OK);
        var path = $"/v1/conversations/{conversationId}/typing";
        await using var agentStream = await SseListener.OpenAsync(agent, $"/v1/conversations/{conversationId}/stream");
        await using var visitorStream = await SseListener.OpenAsync(visitor, $"/v1/conversations/{conversationId}/stream");
        var events = await (await owner.GetAsync("/v1/events?limit=100")).JsonAsync(HttpStatusCode.OK);

        var relayed = await (await visitor.PostJsonAsync(path, new { typing = true })).JsonAsync(HttpStatusCode.OK);
        Assert.True((bool)relayed["relayed"]!);
        var heard = await agentStream.NextAsync(e => e.Type == "typing");
        Assert.Equal("visitor", (string?)heard.Data["who"]);
        Assert.True((bool)heard.Data["typing"]!);
        Assert.Null(heard.Id);

        await (await agent.PostJsonAsync(path, new { typing = true })).JsonAsync(HttpStatusCode.OK);
        var agentTyping = await visitorStream.NextAsync(e => e.Type == "typing");
        Assert.Equal("agent", (string?)agentTyping.Data["who"]);
        Assert.Equal("Tia Typist", (string?)agentTyping.Data["name"]);

        // Neither side hears itself: the next thing each stream sends is the agent's reply.
        await (await agent.PostJsonAsync($"/v1/conversations/{conversationId}/agent-messages", new { text = "One moment please." })).JsonAsync(HttpStatusCode.Created);
        var visitorNext = await visitorStream.NextAsync(e => e.Type is "typing" or "message.created");
        Assert.Equal("message.created", visitorNext.Type);
        var agentNext = await agentStream.NextAsync(e => e.Type == "typing" || (e.Type == "message.created" && (string?)e.Data["role"] == "agent"));
        Assert.Equal("message.created", agentNext.Type);

        // Signals are not stored: the event log has only the reply's events (message and assignment).
        var after = await (await owner.GetAsync("/v1/events?limit=100")).JsonAsync(HttpStatusCode.OK);
        Assert.DoesNotContain(after["data"]!.AsArray(), e => ((string?)e!["type"])!.Contains("typing", StringComparison.Ordinal));
        Assert.True(after["data"]!.AsArray().Count <= events["data"]!.AsArray().Count + 2);
    }

    [Fact]
    public async Task Typing_RepeatedWithinASecond_Dropped_ChangeGoesThrough()
    {
        var (_, visitor, conversationId) = await HandedOverAsync();
        var path = $"/v1/conversations/{conversationId}/typing";

        Assert.True((bool)(await (await visitor.PostJsonAsync(path, new { typing = true })).JsonAsync(HttpStatusCode.OK))["relayed"]!);
        Assert.False((bool)(await (await visitor.PostJsonAsync(path, new { typing = true })).JsonAsync(HttpStatusCode.OK))["relayed"]!);
        Assert.True((bool)(await (await visitor.PostJsonAsync(path, new { typing = false })).JsonAsync(HttpStatusCode.OK))["relayed"]!);
    }

    [Fact]
    public async Task Typing_BadInputWrongCallerOrClosed_Rejected()
    {
        var (owner, visitor, conversationId) = await HandedOverAsync();
        var (_, otherVisitor, otherConversation) = await HandedOverAsync();
        var viewer = await Sessions.JoinAsync(app, owner, "val@shop.example", "viewer");
        var path = $"/v1/conversations/{conversationId}/typing";

        await (await visitor.PostJsonAsync(path, new { })).ProblemAsync(HttpStatusCode.BadRequest, "invalid_request");
        await (await visitor.PostJsonAsync(path, new { typing = "yes" })).ProblemAsync(HttpStatusCode.BadRequest, "invalid_request");
        await (await otherVisitor.PostJsonAsync(path, new { typing = true })).ProblemAsync(HttpStatusCode.NotFound, "not_found");
        await (await viewer.PostJsonAsync(path, new { typing = true })).ProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await (await owner.PostJsonAsync("/v1/conversations/conv_doesnotexist/typing", new { typing = true })).ProblemAsync(HttpStatusCode.NotFound, "not_found");
        var (_, otherKey) = await app.CreateWorkspaceAsync();
        await (await app.Client(otherKey).PostJsonAsync(path, new { typing = true })).ProblemAsync(HttpStatusCode.NotFound, "not_found");

        await (await owner.PostJsonAsync($"/v1/conversations/{otherConversation}/close", new { })).JsonAsync(HttpStatusCode.OK);
        await (await otherVisitor.PostJsonAsync($"/v1/conversations/{otherConversation}/typing", new { typing = true })).ProblemAsync(HttpStatusCode.Conflict, "conflict");
    }
}
