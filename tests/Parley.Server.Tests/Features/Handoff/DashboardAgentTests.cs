using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Parley.Data.Entities;
using Parley.Server.Tests.Features.Accounts;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Features.Handoff;

/// <summary>People signed in to the dashboard working the inbox: claims, assignments and replies record the user.</summary>
public sealed class DashboardAgentTests(ParleyApp app) : IClassFixture<ParleyApp>
{
    private async Task<(HttpClient Owner, string BotId)> WorkspaceAsync()
    {
        var owner = await Sessions.OwnerAsync(app);
        return (owner, await owner.CreateBotAsync("Helpdesk"));
    }

    private static async Task<string> WaitingConversationAsync(HttpClient owner, string botId)
    {
        var conversationId = (await owner.StartConversationAsync(botId))["conversation"]!.Id();
        await (await owner.PostJsonAsync($"/v1/conversations/{conversationId}/handoff", new { })).JsonAsync(HttpStatusCode.OK);
        return conversationId;
    }

    [Fact]
    public async Task ClaimAndReply_BySignedInAgent_RecordUserAndName()
    {
        var (owner, botId) = await WorkspaceAsync();
        var agent = await Sessions.JoinAsync(app, owner, "ada@shop.example", "agent");
        var agentId = await Sessions.UserIdAsync(agent);
        await (await owner.PatchJsonAsync($"/v1/users/{agentId}", new { name = "Ada Agent" })).JsonAsync(HttpStatusCode.OK);
        var conversationId = await WaitingConversationAsync(owner, botId);

        var claimed = await (await agent.PostJsonAsync($"/v1/conversations/{conversationId}/claim", new { })).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(agentId, (string?)claimed["conversation"]!["handoff"]!["assigned_user_id"]);
        Assert.Null(claimed["conversation"]!["handoff"]!["assigned_key_id"]);

        var reply = await (await agent.PostJsonAsync($"/v1/conversations/{conversationId}/agent-messages", new { text = "Hi, Ada here." }))
            .JsonAsync(HttpStatusCode.Created);
        Assert.Equal(agentId, (string?)reply["author_user_id"]);
        Assert.Equal("Ada Agent", (string?)reply["author_name"]);

        var mine = await (await agent.GetAsync("/v1/inbox?assigned_to=me")).JsonAsync(HttpStatusCode.OK);
        Assert.Contains(conversationId, mine["data"]!.AsArray().Select(i => i!["conversation"]!.Id()));

        // Another signed-in agent finds it held: claiming without force is a conflict and changes nothing.
        var second = await Sessions.JoinAsync(app, owner, "sam@shop.example", "agent");
        await (await second.PostJsonAsync($"/v1/conversations/{conversationId}/claim", new { })).ProblemAsync(HttpStatusCode.Conflict, "conflict");
        var stored = await app.DbAsync(db => db.Conversations.IgnoreQueryFilters().SingleAsync(c => c.Id == conversationId));
        Assert.Equal(agentId, stored.AssignedUserId);
        Assert.Null(stored.AssignedKeyId);

        var returned = await (await agent.PostJsonAsync($"/v1/conversations/{conversationId}/return-to-bot", new { })).JsonAsync(HttpStatusCode.OK);
        Assert.Null(returned["conversation"]!["handoff"]!["assigned_user_id"]);
    }

    [Fact]
    public async Task Assign_ToUser_RecordsUser_BadAssigneesRejectedAndChangeNothing()
    {
        var (owner, botId) = await WorkspaceAsync();
        var agent = await Sessions.JoinAsync(app, owner, "alex@shop.example", "agent");
        var viewer = await Sessions.JoinAsync(app, owner, "vic@shop.example", "viewer");
        var agentId = await Sessions.UserIdAsync(agent);
        var viewerId = await Sessions.UserIdAsync(viewer);
        var conversationId = await WaitingConversationAsync(owner, botId);
        var path = $"/v1/conversations/{conversationId}/assign";

        await (await owner.PostJsonAsync(path, new { })).ProblemAsync(HttpStatusCode.BadRequest, "invalid_request");
        await (await owner.PostJsonAsync(path, new { user_id = agentId, agent_key_id = "key_x" })).ProblemAsync(HttpStatusCode.BadRequest, "invalid_request");
        await (await owner.PostJsonAsync(path, new { user_id = "alex" })).ProblemAsync(HttpStatusCode.BadRequest, "invalid_request");
        await (await owner.PostJsonAsync(path, new { user_id = "usr_doesnotexist" })).ProblemAsync(HttpStatusCode.NotFound, "not_found");
        await (await owner.PostJsonAsync(path, new { user_id = viewerId })).ProblemAsync(HttpStatusCode.UnprocessableEntity, "invalid_assignee");
        await (await viewer.PostJsonAsync($"/v1/conversations/{conversationId}/claim", new { })).ProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        var untouched = await app.DbAsync(db => db.Conversations.IgnoreQueryFilters().SingleAsync(c => c.Id == conversationId));
        Assert.Null(untouched.AssignedUserId);
        Assert.Null(untouched.AssignedKeyId);

        var assigned = await (await owner.PostJsonAsync(path, new { user_id = agentId })).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(agentId, (string?)assigned["conversation"]!["handoff"]!["assigned_user_id"]);
        Assert.Equal("system", (string?)assigned["message"]!["role"]);
        var listed = await (await owner.GetAsync($"/v1/inbox?assigned_to={agentId}")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal([conversationId], listed["data"]!.AsArray().Select(i => i!["conversation"]!.Id()));
        await (await owner.GetAsync("/v1/inbox?assigned_to=usr")).ProblemAsync(HttpStatusCode.BadRequest, "invalid_request");
    }

    [Fact]
    public async Task Inbox_ShowsTheLeadScoreOfTheConversation()
    {
        var (owner, botId) = await WorkspaceAsync();
        var conversationId = await WaitingConversationAsync(owner, botId);
        var workspaceId = await app.DbAsync(db => db.Conversations.IgnoreQueryFilters().Where(c => c.Id == conversationId).Select(c => c.WorkspaceId).SingleAsync());
        await app.DbAsync(db =>
        {
            db.Leads.Add(new Lead
            {
                Id = "lead_" + Guid.NewGuid().ToString("N"), WorkspaceId = workspaceId, BotId = botId, ConversationId = conversationId,
                Status = "new", Score = 70, CreatedAt = DateTimeOffset.UtcNow, UpdatedAt = DateTimeOffset.UtcNow,
            });
            return db.SaveChangesAsync();
        }, workspaceId);

        var inbox = await (await owner.GetAsync("/v1/inbox")).JsonAsync(HttpStatusCode.OK);
        var item = inbox["data"]!.AsArray().Single(i => i!["conversation"]!.Id() == conversationId)!;
        Assert.Equal(70, (int?)item["lead_score"]);
    }

    [Fact]
    public async Task Presence_FromAKeyOrWithAnUnknownStatus_IsRejected()
    {
        var (owner, _) = await WorkspaceAsync();
        await (await owner.PutAsJsonAsync("/v1/inbox/presence", new { status = "busy" })).ProblemAsync(HttpStatusCode.BadRequest, "invalid_request");
        await (await owner.PutAsJsonAsync("/v1/inbox/presence", new { })).ProblemAsync(HttpStatusCode.BadRequest, "invalid_request");
        await (await app.Client().PutAsJsonAsync("/v1/inbox/presence", new { status = "online" })).ProblemAsync(HttpStatusCode.BadRequest, "invalid_request");
        var viewer = await Sessions.JoinAsync(app, owner, "val@shop.example", "viewer");
        await (await viewer.PutAsJsonAsync("/v1/inbox/presence", new { status = "online" })).ProblemAsync(HttpStatusCode.Forbidden, "forbidden");
    }

    [Fact]
    public async Task Contact_PersonalDataForAgentsOnly_ViewerGetsItHidden()
    {
        var (owner, botId) = await WorkspaceAsync();
        var agent = await Sessions.JoinAsync(app, owner, "cara@shop.example", "agent");
        var viewer = await Sessions.JoinAsync(app, owner, "vince@shop.example", "viewer");
        var started = await owner.StartConversationAsync(botId, contact: new { email = "pat@visitor.example", name = "Pat" });
        var contactId = started["conversation"]!.Id("contact_id");

        var seen = await (await agent.GetAsync($"/v1/contacts/{contactId}")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("pat@visitor.example", (string?)seen["email"]);
        Assert.False((bool)seen["pii_hidden"]!);

        var hidden = await (await viewer.GetAsync($"/v1/contacts/{contactId}")).JsonAsync(HttpStatusCode.OK);
        Assert.True((bool)hidden["pii_hidden"]!);
        Assert.Null(hidden["email"]);
        Assert.Null(hidden["name"]);
        Assert.DoesNotContain("pat@visitor.example", hidden.ToJsonString(), StringComparison.Ordinal);

        await (await agent.GetAsync("/v1/contacts/ct_doesnotexist")).ProblemAsync(HttpStatusCode.NotFound, "not_found");
    }
}
