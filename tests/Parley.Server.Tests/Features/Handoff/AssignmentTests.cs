using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Features.Handoff;

public sealed class AssignmentTests(ParleyApp app) : IClassFixture<ParleyApp>
{
    private sealed record Workspace(HttpClient Owner, string BotId);

    private async Task<Workspace> WorkspaceAsync()
    {
        var owner = app.Client((await app.CreateWorkspaceAsync()).Key);
        var bot = await (await owner.PostJsonAsync("/v1/bots", new { name = "Helpdesk", fallback_text = "Sorry, I don't know that yet." }))
            .JsonAsync(HttpStatusCode.Created);
        return new Workspace(owner, bot.Id());
    }

    private static async Task<(HttpClient Client, string KeyId)> KeyAsync(ParleyApp app, HttpClient owner, string name, string[]? scopes)
    {
        var key = await (await owner.PostJsonAsync("/v1/api-keys", new { name, scopes })).JsonAsync(HttpStatusCode.Created);
        return (app.Client((string)key["secret"]!), key.Id());
    }

    private static async Task<string> WaitingConversationAsync(Workspace workspace)
    {
        var conversationId = (await workspace.Owner.StartConversationAsync(workspace.BotId))["conversation"]!.Id();
        await (await workspace.Owner.PostJsonAsync($"/v1/conversations/{conversationId}/handoff", new { })).JsonAsync(HttpStatusCode.OK);
        return conversationId;
    }

    private Task<(string? Assigned, int Events, int Messages)> StateAsync(string conversationId) =>
        app.DbAsync(async db =>
        {
            var conversation = await db.Conversations.IgnoreQueryFilters().SingleAsync(c => c.Id == conversationId);
            var events = await db.Events.IgnoreQueryFilters().CountAsync(e => e.ConversationId == conversationId && e.Type == "conversation.assigned");
            return (conversation.AssignedKeyId, events, conversation.MessageCount);
        });

    private static async Task<string[]> InboxAsync(HttpClient client, string query) =>
        (await (await client.GetAsync("/v1/inbox" + query)).JsonAsync(HttpStatusCode.OK))["data"]!.AsArray()
            .Select(i => i!["conversation"]!.Id()).ToArray();

    [Fact]
    public async Task Assign_ByAgent_ToAnotherAgent_EventRecordedAndInboxFilters()
    {
        var workspace = await WorkspaceAsync();
        var (alex, alexId) = await KeyAsync(app, workspace.Owner, "Alex", ["agent"]);
        var (_, samId) = await KeyAsync(app, workspace.Owner, "Sam", ["agent", "conversations:read"]);
        var first = await WaitingConversationAsync(workspace);
        var second = await WaitingConversationAsync(workspace);
        var third = await WaitingConversationAsync(workspace);

        var assigned = await (await alex.PostJsonAsync($"/v1/conversations/{first}/assign", new { agent_key_id = samId })).JsonAsync(HttpStatusCode.OK);
        await (await alex.PostJsonAsync($"/v1/conversations/{second}/assign", new { agent_key_id = alexId })).JsonAsync(HttpStatusCode.OK);

        Assert.Equal(samId, (string?)assigned["conversation"]!["handoff"]!["assigned_key_id"]);
        Assert.Equal("system", (string?)assigned["message"]!["role"]);
        var state = await StateAsync(first);
        Assert.Equal(samId, state.Assigned);
        Assert.Equal(1, state.Events);
        var data = await app.DbAsync(db => db.Events.IgnoreQueryFilters()
            .Where(e => e.ConversationId == first && e.Type == "conversation.assigned").Select(e => e.DataJson).SingleAsync());
        Assert.Equal(samId, (string?)JsonNode.Parse(data)!["assigned_key_id"]);

        Assert.Equal([second], await InboxAsync(alex, "?assigned_to=me"));
        Assert.Equal([third], await InboxAsync(alex, "?assigned_to=unassigned"));
        Assert.Equal([first], await InboxAsync(alex, $"?assigned_to={samId}"));
        Assert.Equal([first, second, third], await InboxAsync(alex, ""));
    }

    [Fact]
    public async Task Assign_AgainToTheSameKey_ChangesNothing_ReassignTellsVisitorNothingNew()
    {
        var workspace = await WorkspaceAsync();
        var (_, alexId) = await KeyAsync(app, workspace.Owner, "Alex", ["agent"]);
        var (_, samId) = await KeyAsync(app, workspace.Owner, "Sam", null);
        var conversationId = await WaitingConversationAsync(workspace);

        await (await workspace.Owner.PostJsonAsync($"/v1/conversations/{conversationId}/assign", new { agent_key_id = alexId })).JsonAsync(HttpStatusCode.OK);
        var before = await StateAsync(conversationId);
        var again = await (await workspace.Owner.PostJsonAsync($"/v1/conversations/{conversationId}/assign", new { agent_key_id = alexId })).JsonAsync(HttpStatusCode.OK);
        Assert.Null(again["message"]);
        Assert.Equal(before, await StateAsync(conversationId));

        // An unrestricted key can be assigned, and a reassignment is an event but no new message for the visitor.
        var moved = await (await workspace.Owner.PostJsonAsync($"/v1/conversations/{conversationId}/assign", new { agent_key_id = samId })).JsonAsync(HttpStatusCode.OK);
        Assert.Null(moved["message"]);
        Assert.Equal((samId, before.Events + 1, before.Messages), await StateAsync(conversationId));
    }

    [Fact]
    public async Task Assign_BadInput_ClearProblemAndNothingChanges()
    {
        var workspace = await WorkspaceAsync();
        var (alex, alexId) = await KeyAsync(app, workspace.Owner, "Alex", ["agent"]);
        var (_, readerId) = await KeyAsync(app, workspace.Owner, "Reader", ["conversations:read"]);
        var (reader, _) = await KeyAsync(app, workspace.Owner, "Reader 2", ["conversations:read", "conversations:write"]);
        var (_, revokedId) = await KeyAsync(app, workspace.Owner, "Gone", ["agent"]);
        await (await workspace.Owner.DeleteAsync($"/v1/api-keys/{revokedId}")).JsonAsync(HttpStatusCode.OK);
        var publishableId = (await (await workspace.Owner.PostJsonAsync("/v1/api-keys", new
        {
            name = "site", kind = "publishable", bot_id = workspace.BotId, allowed_origins = new[] { "https://shop.example" },
        })).JsonAsync(HttpStatusCode.Created)).Id();
        var other = app.Client((await app.CreateWorkspaceAsync()).Key);
        var (_, foreignId) = await KeyAsync(app, other, "Elsewhere", ["agent"]);
        var conversationId = await WaitingConversationAsync(workspace);
        var open = (await workspace.Owner.StartConversationAsync(workspace.BotId))["conversation"]!.Id();
        var path = $"/v1/conversations/{conversationId}/assign";
        var before = await StateAsync(conversationId);

        await (await alex.PostJsonAsync(path, new { })).ProblemAsync(HttpStatusCode.BadRequest, "invalid_request");
        await (await alex.PostJsonAsync(path, new { agent_key_id = "alex" })).ProblemAsync(HttpStatusCode.BadRequest, "invalid_request");
        await (await alex.PostJsonAsync(path, new { agent_key_id = "key_doesnotexist" })).ProblemAsync(HttpStatusCode.NotFound, "not_found");
        await (await alex.PostJsonAsync(path, new { agent_key_id = foreignId })).ProblemAsync(HttpStatusCode.NotFound, "not_found");
        await (await alex.PostJsonAsync(path, new { agent_key_id = readerId })).ProblemAsync(HttpStatusCode.UnprocessableEntity, "invalid_assignee");
        await (await alex.PostJsonAsync(path, new { agent_key_id = revokedId })).ProblemAsync(HttpStatusCode.UnprocessableEntity, "invalid_assignee");
        await (await alex.PostJsonAsync(path, new { agent_key_id = publishableId })).ProblemAsync(HttpStatusCode.UnprocessableEntity, "invalid_assignee");
        await (await reader.PostJsonAsync(path, new { agent_key_id = alexId })).ProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await (await alex.PostJsonAsync("/v1/conversations/conv_nope/assign", new { agent_key_id = alexId })).ProblemAsync(HttpStatusCode.NotFound, "not_found");
        await (await alex.PostJsonAsync($"/v1/conversations/{open}/assign", new { agent_key_id = alexId })).ProblemAsync(HttpStatusCode.Conflict, "conflict");
        await (await alex.GetAsync("/v1/inbox?assigned_to=somebody")).ProblemAsync(HttpStatusCode.BadRequest, "invalid_request");

        Assert.Equal(before, await StateAsync(conversationId));
        Assert.Null((await StateAsync(open)).Assigned);
    }
}
