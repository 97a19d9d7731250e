using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Parley.Server.Features.Handoff.Assignment;
using Parley.Server.Tests.Features.Accounts;
using Parley.Server.Tests.Infrastructure;
using Parley.Server.Tests.Infrastructure.Background;

namespace Parley.Server.Tests.Features.Handoff;

/// <summary>
/// The assignment sweep on two nodes sharing one PostgreSQL, both sweeping at once on one clock the test moves: each
/// waiting conversation is assigned once, in turns, and an unanswered one moves on once.
/// </summary>
public sealed class AssignmentAcrossNodesTests
{
    private const int Handoffs = 18;

    [Fact]
    public async Task SweepsOnTwoNodesAtOnce_EachWaitingConversationAssignedOnceInTurns_AndMovedOnceWhenUnanswered()
    {
        if (ParleyApp.PostgresServer is null)
        {
            return; // one SQLite file has one node
        }
        await using var nodes = await TwoNodes.StartAsync(new ClockedAssignmentApp(), besideA: a => new ClockedAssignmentApp((ClockedAssignmentApp)a));
        var clock = ((ClockedAssignmentApp)nodes.A).Time;
        var (_, key) = await nodes.A.CreateWorkspaceAsync();
        var owners = new[] { nodes.A.Client(key), nodes.B.Client(key) };
        var botId = await owners[0].CreateBotAsync("Helpdesk");
        var agents = new List<string>();
        foreach (var (name, node) in new[] { ("ann", nodes.A), ("ben", nodes.B), ("carl", nodes.B) })
        {
            var agent = await Sessions.JoinAsync(node, owners[0], $"{name}-{Guid.NewGuid():N}@shop.example", "agent");
            await (await agent.PutAsJsonAsync("/v1/inbox/presence", new { status = "online" })).JsonAsync(HttpStatusCode.OK);
            agents.Add(await Sessions.UserIdAsync(agent));
        }
        await (await owners[1].PutAsJsonAsync("/v1/workspace/assignment-rules", new { capacity = 10, auto_assign = true, reassign_after_minutes = 5 }))
            .JsonAsync(HttpStatusCode.OK);
        var conversations = new List<string>();
        for (var i = 0; i < Handoffs; i++)
        {
            var owner = owners[i % 2];
            var conversationId = (await owner.StartConversationAsync(botId))["conversation"]!.Id();
            await (await owner.PostJsonAsync($"/v1/conversations/{conversationId}/handoff", new { })).JsonAsync(HttpStatusCode.OK);
            conversations.Add(conversationId);
        }

        await RaceAsync(nodes);

        var first = await AssignmentsAsync(nodes.A);
        Assert.Equal(conversations.Order(StringComparer.Ordinal), first.Keys.Order(StringComparer.Ordinal));
        Assert.All(first.Values, moves => Assert.Equal("auto_assigned", (string?)Assert.Single(moves)["reason"]));
        var holders = first.ToDictionary(c => c.Key, c => (string)c.Value[0]["assigned_user_id"]!);
        // In turns: a second sweep working from a stale turn would have given someone more than their share.
        Assert.All(agents, agent => Assert.Equal(Handoffs / agents.Count, holders.Values.Count(h => h == agent)));
        Assert.Equal(holders, await HoldersAsync(nodes.A));

        clock.Advance(TimeSpan.FromMinutes(5));
        await RaceAsync(nodes);

        var second = await AssignmentsAsync(nodes.A);
        Assert.All(conversations, conversationId =>
        {
            var moves = second[conversationId];
            Assert.Equal(2, moves.Count);
            Assert.Equal("unanswered", (string?)moves[1]["reason"]);
            Assert.Equal(holders[conversationId], (string?)moves[1]["previous_assignee_id"]);
            Assert.NotEqual(holders[conversationId], (string?)moves[1]["assigned_user_id"]);
        });
        Assert.Equal(second.ToDictionary(c => c.Key, c => (string)c.Value[1]["assigned_user_id"]!), await HoldersAsync(nodes.A));
    }

    /// <summary>Sweeps on both nodes at the same moment, a few times over: they compete for the workspace every time.</summary>
    private static async Task RaceAsync(TwoNodes nodes)
    {
        var (a, b) = (nodes.A.Worker<AssignmentWorker>(), nodes.B.Worker<AssignmentWorker>());
        for (var pass = 0; pass < 5; pass++)
        {
            await Task.WhenAll(Task.Run(() => a.RunOnceAsync(CancellationToken.None)), Task.Run(() => b.RunOnceAsync(CancellationToken.None)));
        }
    }

    /// <summary>The <c>conversation.assigned</c> events of each conversation, oldest first.</summary>
    private static Task<Dictionary<string, List<JsonNode>>> AssignmentsAsync(ParleyApp node) => node.DbAsync(async db =>
        (await db.Events.IgnoreQueryFilters().Where(e => e.Type == "conversation.assigned").OrderBy(e => e.Id)
            .Select(e => new { e.ConversationId, e.DataJson }).ToListAsync())
        .GroupBy(e => e.ConversationId!)
        .ToDictionary(g => g.Key, g => g.Select(e => JsonNode.Parse(e.DataJson)!).ToList()));

    private static Task<Dictionary<string, string>> HoldersAsync(ParleyApp node) => node.DbAsync(async db =>
        await db.Conversations.IgnoreQueryFilters().Where(c => c.Status == "handoff")
            .ToDictionaryAsync(c => c.Id, c => c.AssignedUserId ?? ""));
}
