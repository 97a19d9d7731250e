using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Parley.Engine.Assignment;
using Parley.Server.Features.Handoff.Assignment;
using Parley.Server.Infrastructure.Background;
using Parley.Server.Tests.Features.Accounts;
using Parley.Server.Tests.Infrastructure;
using Parley.Server.Tests.Infrastructure.Background;

namespace Parley.Server.Tests.Features.Handoff;

/// <summary>Capacity, round-robin auto-assignment and reassignment of unanswered conversations, on a clock the tests move.</summary>
public sealed class AssignmentRuleTests(ClockedAssignmentApp app) : IClassFixture<ClockedAssignmentApp>
{
    private const string Rules = "/v1/workspace/assignment-rules";

    private sealed record Team(HttpClient Owner, string BotId, string WorkspaceId);

    private async Task<Team> TeamAsync()
    {
        var (workspaceId, key) = await app.CreateWorkspaceAsync();
        var owner = app.Client(key);
        return new Team(owner, await owner.CreateBotAsync("Helpdesk"), workspaceId);
    }

    /// <summary>A signed-in agent of the team who reported themselves online (or away).</summary>
    private async Task<(HttpClient Client, string UserId)> AgentAsync(Team team, string name, string presence = "online", string role = "agent")
    {
        var client = await Sessions.JoinAsync(app, team.Owner, $"{name}-{Guid.NewGuid():N}@shop.example", role);
        await (await client.PutAsJsonAsync("/v1/inbox/presence", new { status = presence })).JsonAsync(HttpStatusCode.OK);
        return (client, await Sessions.UserIdAsync(client));
    }

    private static async Task<string> HandoffAsync(Team team)
    {
        var conversationId = (await team.Owner.StartConversationAsync(team.BotId))["conversation"]!.Id();
        await (await team.Owner.PostJsonAsync($"/v1/conversations/{conversationId}/handoff", new { })).JsonAsync(HttpStatusCode.OK);
        return conversationId;
    }

    private static async Task SetRulesAsync(Team team, object rules) =>
        await (await team.Owner.PutAsJsonAsync(Rules, rules)).JsonAsync(HttpStatusCode.OK);

    private Task<int> SweepAsync() => app.Worker<AssignmentWorker>().RunOnceAsync(CancellationToken.None);

    private Task<string?> HolderAsync(string conversationId) => app.DbAsync(db => db.Conversations.IgnoreQueryFilters()
        .Where(c => c.Id == conversationId).Select(c => c.AssignedUserId ?? c.AssignedKeyId).SingleAsync());

    private Task<List<JsonNode>> EventsAsync(string conversationId, string type) => app.DbAsync(async db =>
        (await db.Events.IgnoreQueryFilters().Where(e => e.ConversationId == conversationId && e.Type == type).OrderBy(e => e.Id)
            .Select(e => e.DataJson).ToListAsync()).Select(d => JsonNode.Parse(d)!).ToList());

    [Fact]
    public async Task Rules_OwnerSets_AgentReads_OthersAndBadValuesRejectedChangingNothing()
    {
        var team = await TeamAsync();
        var (agent, _) = await AgentAsync(team, "ann");
        var viewer = await Sessions.JoinAsync(app, team.Owner, $"vic-{Guid.NewGuid():N}@shop.example", "viewer");

        var defaults = await (await agent.GetAsync(Rules)).JsonAsync(HttpStatusCode.OK);
        Assert.Null((int?)defaults["capacity"]);
        Assert.False((bool)defaults["auto_assign"]!);
        Assert.Null((int?)defaults["reassign_after_minutes"]);
        Assert.Null((string?)defaults["updated_at"]);

        var set = await (await team.Owner.PutAsJsonAsync(Rules, new { capacity = 3, auto_assign = true, reassign_after_minutes = 10 })).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(3, (int?)set["capacity"]);
        Assert.NotNull((string?)set["updated_at"]);

        foreach (var bad in new object[]
                 {
                     new { capacity = 0 }, new { capacity = 101 }, new { reassign_after_minutes = 0 }, new { reassign_after_minutes = 1441 },
                     new { capacity = -5, reassign_after_minutes = 2000 },
                 })
        {
            await (await team.Owner.PutAsJsonAsync(Rules, bad)).ProblemAsync(HttpStatusCode.BadRequest, "invalid_request");
        }
        var both = await (await team.Owner.PutAsJsonAsync(Rules, new { capacity = 0, reassign_after_minutes = 0 })).ProblemAsync(HttpStatusCode.BadRequest, "invalid_request");
        Assert.NotNull(both["errors"]!["capacity"]);
        Assert.NotNull(both["errors"]!["reassign_after_minutes"]);
        await (await team.Owner.PutAsync(Rules, new StringContent("{\"capacity\": \"three\"}", System.Text.Encoding.UTF8, "application/json")))
            .ProblemAsync(HttpStatusCode.BadRequest, "invalid_request");
        await (await agent.PutAsJsonAsync(Rules, new { capacity = 50 })).ProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await (await viewer.PutAsJsonAsync(Rules, new { capacity = 50 })).ProblemAsync(HttpStatusCode.Forbidden, "forbidden");

        var after = await (await agent.GetAsync(Rules)).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(3, (int?)after["capacity"]);
        Assert.True((bool)after["auto_assign"]!);
        Assert.Equal(10, (int?)after["reassign_after_minutes"]);
        Assert.Equal((string?)set["updated_at"], (string?)after["updated_at"]);

        // Another workspace sees its own (default) rules.
        var other = await TeamAsync();
        Assert.Null((int?)(await (await other.Owner.GetAsync(Rules)).JsonAsync(HttpStatusCode.OK))["capacity"]);
    }

    [Fact]
    public async Task Rules_Changed_AuditEntryNamesWhoAndWhatChanged_RefusedOrSameValuesAddNone()
    {
        var team = await TeamAsync();
        var admin = await Sessions.JoinAsync(app, team.Owner, $"ada-{Guid.NewGuid():N}@shop.example", "admin");
        var adminId = await Sessions.UserIdAsync(admin);

        await (await admin.PutAsJsonAsync(Rules, new { capacity = 3, auto_assign = true })).JsonAsync(HttpStatusCode.OK);
        await (await admin.PutAsJsonAsync(Rules, new { capacity = 3, auto_assign = true })).JsonAsync(HttpStatusCode.OK);
        await (await admin.PutAsJsonAsync(Rules, new { capacity = 0, auto_assign = false })).ProblemAsync(HttpStatusCode.BadRequest, "invalid_request");
        await (await team.Owner.PutAsJsonAsync(Rules, new { capacity = 5, reassign_after_minutes = 30 })).JsonAsync(HttpStatusCode.OK);

        var entries = (await (await team.Owner.GetAsync("/v1/audit?action=workspace.assignment_rules_changed")).JsonAsync(HttpStatusCode.OK))["data"]!.AsArray();
        Assert.Equal(2, entries.Count);
        Assert.Equal("capacity 3 → 5, auto_assign on → off, reassign_after_minutes none → 30", (string?)entries[0]!["detail"]);
        Assert.StartsWith("key_", (string?)entries[0]!["actor_id"], StringComparison.Ordinal);
        Assert.Equal("capacity none → 3, auto_assign off → on", (string?)entries[1]!["detail"]);
        Assert.Equal(adminId, (string?)entries[1]!["actor_id"]);
        Assert.Equal(team.WorkspaceId, (string?)entries[1]!["target_id"]);
    }

    [Fact]
    public async Task AutoAssign_TakesTurnsAmongOnlineAgentsWithRoom_TheRestWaitUntilRoomFrees()
    {
        var team = await TeamAsync();
        var (ann, annId) = await AgentAsync(team, "ann");
        var (_, benId) = await AgentAsync(team, "ben");
        var (_, carlId) = await AgentAsync(team, "carl", presence: "away");
        await SetRulesAsync(team, new { capacity = 1, auto_assign = true });
        var first = await HandoffAsync(team);
        app.Time.Advance(TimeSpan.FromSeconds(1));
        var second = await HandoffAsync(team);
        app.Time.Advance(TimeSpan.FromSeconds(1));
        var third = await HandoffAsync(team);

        await SweepAsync();

        // In id order (the order they joined): Ann, then Ben; Carl is away; the third waits for room.
        Assert.True(string.CompareOrdinal(annId, benId) < 0);
        Assert.Equal(annId, await HolderAsync(first));
        Assert.Equal(benId, await HolderAsync(second));
        Assert.Null(await HolderAsync(third));
        var assigned = Assert.Single(await EventsAsync(first, "conversation.assigned"));
        Assert.Equal("auto_assigned", (string?)assigned["reason"]);
        Assert.Equal(annId, (string?)assigned["assigned_user_id"]);
        var transcript = await (await team.Owner.GetAsync($"/v1/conversations/{first}/messages")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("A member of our team has joined the conversation.", (string?)transcript["data"]!.AsArray().Last()!["text"]);

        // A sweep with nobody free changes nothing.
        await SweepAsync();
        Assert.Null(await HolderAsync(third));
        Assert.Single(await EventsAsync(first, "conversation.assigned"));

        // Ann gives hers back to the bot: she has room again, and the third goes to her (Ben is full, Carl away).
        await (await ann.PostJsonAsync($"/v1/conversations/{first}/return-to-bot", new { })).JsonAsync(HttpStatusCode.OK);
        await SweepAsync();
        Assert.Equal(annId, await HolderAsync(third));

        // A fourth waits until Carl comes online, then goes to him: the turn after Ann skips full Ben.
        var fourth = await HandoffAsync(team);
        await SweepAsync();
        Assert.Null(await HolderAsync(fourth));
        await (await (await Sessions.SignInAsync(app, await EmailOfAsync(carlId))).PutAsJsonAsync("/v1/inbox/presence", new { status = "online" }))
            .JsonAsync(HttpStatusCode.OK);
        await SweepAsync();
        Assert.Equal(carlId, await HolderAsync(fourth));
    }

    [Fact]
    public async Task Sweep_MoreWorkspacesThanOnePage_EverySweptInOnePass_ThatLeavesNothingToRunAgainAtOnce()
    {
        var waiting = new List<(string ConversationId, string AgentId)>();
        for (var i = 0; i < 25; i++)
        {
            var team = await TeamAsync();
            var (_, agentId) = await AgentAsync(team, "ann");
            await SetRulesAsync(team, new { auto_assign = true });
            waiting.Add((await HandoffAsync(team), agentId));
        }

        var left = await SweepAsync();

        foreach (var (conversationId, agentId) in waiting)
        {
            Assert.Equal(agentId, await HolderAsync(conversationId));
        }
        // Rules rows are never done: a pass that reported a full batch would be run again at once, over the same rows.
        Assert.Equal(0, left);
    }

    private Task<string> EmailOfAsync(string userId) => app.DbAsync(db => db.Users.Where(u => u.Id == userId).Select(u => u.Email!).SingleAsync());

    [Fact]
    public async Task ClaimOrAssign_BeyondCapacity_409AtCapacityAndNothingChanged()
    {
        var team = await TeamAsync();
        var (ann, annId) = await AgentAsync(team, "ann");
        var (ben, benId) = await AgentAsync(team, "ben");
        await SetRulesAsync(team, new { capacity = 1 });
        var first = await HandoffAsync(team);
        var second = await HandoffAsync(team);
        await (await ann.PostJsonAsync($"/v1/conversations/{first}/claim", new { })).JsonAsync(HttpStatusCode.OK);

        var problem = await (await ann.PostJsonAsync($"/v1/conversations/{second}/claim", new { })).ProblemAsync(HttpStatusCode.Conflict, "at_capacity");
        Assert.Contains("capacity", (string?)problem["detail"], StringComparison.Ordinal);
        await (await ann.PostJsonAsync($"/v1/conversations/{second}/agent-messages", new { text = "Hi" })).ProblemAsync(HttpStatusCode.Conflict, "at_capacity");
        await (await team.Owner.PostJsonAsync($"/v1/conversations/{second}/assign", new { user_id = annId })).ProblemAsync(HttpStatusCode.Conflict, "at_capacity");
        await (await ben.PostJsonAsync($"/v1/conversations/{first}/claim", new { force = true })).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(benId, await HolderAsync(first));
        // Ben took Ann's: now Ben is full and Ann has room.
        await (await ben.PostJsonAsync($"/v1/conversations/{second}/claim", new { })).ProblemAsync(HttpStatusCode.Conflict, "at_capacity");
        Assert.Null(await HolderAsync(second));
        Assert.Empty(await EventsAsync(second, "conversation.assigned"));
        await (await ann.PostJsonAsync($"/v1/conversations/{second}/claim", new { })).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(annId, await HolderAsync(second));
    }

    [Fact]
    public async Task Sweep_AgentFilledUpSinceThePlan_MoveSkipped()
    {
        var team = await TeamAsync();
        var (ann, annId) = await AgentAsync(team, "ann");
        await SetRulesAsync(team, new { capacity = 1, auto_assign = true });
        var first = await HandoffAsync(team);
        var second = await HandoffAsync(team);
        await (await ann.PostJsonAsync($"/v1/conversations/{first}/claim", new { })).JsonAsync(HttpStatusCode.OK);

        // A plan made before Ann claimed the first gave her the second; when it is applied she is full.
        var applied = await app.Services.GetRequiredService<AssignmentSweep>().ApplyAsync(team.WorkspaceId, new AssignmentRules(1, true, null),
            new AssignmentDecision(second, annId, AssignmentReason.AutoAssigned, null), CancellationToken.None);

        Assert.False(applied);
        Assert.Null(await HolderAsync(second));
        Assert.Empty(await EventsAsync(second, "conversation.assigned"));
    }

    [Fact]
    public async Task Presence_OnlineReportedAgain_WakesTheSweepOnlyWhenTheAgentComesOnline()
    {
        var team = await TeamAsync();
        var (ann, _) = await AgentAsync(team, "ann", presence: "away");
        var sweep = app.Services.GetRequiredService<WakeSignal<AssignmentWorker>>();
        await sweep.WaitAsync(TimeSpan.Zero, CancellationToken.None);

        async Task<bool> ReportAsync(string status)
        {
            await (await ann.PutAsJsonAsync("/v1/inbox/presence", new { status })).JsonAsync(HttpStatusCode.OK);
            return await sweep.WaitAsync(TimeSpan.Zero, CancellationToken.None);
        }

        Assert.True(await ReportAsync("online"));
        // The dashboard repeats its report every minute: the agent was online already.
        Assert.False(await ReportAsync("online"));
        Assert.False(await ReportAsync("away"));
        Assert.True(await ReportAsync("online"));
    }

    [Fact]
    public async Task Reassign_AfterExactlyNMinutesWithoutAReply_NotBefore_AndAReplyResetsTheTimer()
    {
        var team = await TeamAsync();
        var (ann, annId) = await AgentAsync(team, "ann");
        var (_, benId) = await AgentAsync(team, "ben");
        await SetRulesAsync(team, new { auto_assign = true, reassign_after_minutes = 5 });
        var conversationId = await HandoffAsync(team);
        await SweepAsync();
        Assert.Equal(annId, await HolderAsync(conversationId));

        // Ann answers just in time; the visitor is answered, so time passing moves nothing.
        app.Time.Advance(TimeSpan.FromMinutes(5) - TimeSpan.FromSeconds(1));
        await SweepAsync();
        Assert.Equal(annId, await HolderAsync(conversationId));
        await (await ann.PostJsonAsync($"/v1/conversations/{conversationId}/agent-messages", new { text = "Hello, Ann here." })).JsonAsync(HttpStatusCode.Created);
        app.Time.Advance(TimeSpan.FromMinutes(20));
        await SweepAsync();
        Assert.Equal(annId, await HolderAsync(conversationId));

        // The visitor writes again: Ann owes a reply from now; a second message does not restart the wait.
        await team.Owner.SendAsync(conversationId, "Are you still there?");
        app.Time.Advance(TimeSpan.FromMinutes(2));
        await team.Owner.SendAsync(conversationId, "Hello?");
        app.Time.Advance(TimeSpan.FromMinutes(3) - TimeSpan.FromMilliseconds(1));
        await SweepAsync();
        Assert.Equal(annId, await HolderAsync(conversationId));

        app.Time.Advance(TimeSpan.FromMilliseconds(1));
        await SweepAsync();
        Assert.Equal(benId, await HolderAsync(conversationId));
        var moved = (await EventsAsync(conversationId, "conversation.assigned")).Last();
        Assert.Equal("unanswered", (string?)moved["reason"]);
        Assert.Equal(annId, (string?)moved["previous_assignee_id"]);
        Assert.Equal(benId, (string?)moved["assigned_user_id"]);
        // Ben now has the full time to answer.
        app.Time.Advance(TimeSpan.FromMinutes(4));
        await SweepAsync();
        Assert.Equal(benId, await HolderAsync(conversationId));
    }

    [Fact]
    public async Task Reassign_WithoutAutoAssign_BackToTheQueue_RecordedAsUnassigned()
    {
        var team = await TeamAsync();
        var (ann, annId) = await AgentAsync(team, "ann");
        await AgentAsync(team, "ben");
        await SetRulesAsync(team, new { reassign_after_minutes = 1 });
        var conversationId = await HandoffAsync(team);
        await (await ann.PostJsonAsync($"/v1/conversations/{conversationId}/claim", new { })).JsonAsync(HttpStatusCode.OK);
        app.Time.Advance(TimeSpan.FromMinutes(1));

        await SweepAsync();

        Assert.Null(await HolderAsync(conversationId));
        var unassigned = Assert.Single(await EventsAsync(conversationId, "conversation.unassigned"));
        Assert.Equal("unanswered", (string?)unassigned["reason"]);
        Assert.Equal(annId, (string?)unassigned["previous_assignee_id"]);
        var waiting = await (await ann.GetAsync("/v1/inbox?assigned_to=unassigned")).JsonAsync(HttpStatusCode.OK);
        Assert.Contains(conversationId, waiting["data"]!.AsArray().Select(i => i!["conversation"]!.Id()));
    }
}
