using System.Net;
using Microsoft.EntityFrameworkCore;
using Parley.Engine.Turns;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Features.Conversations;

/// <summary>
/// Two nodes on one PostgreSQL database, sent the messages of one conversation at once: the row lock on the
/// conversation makes them take turns across nodes as the in-process lock does on one. (A SQLite file has one writing
/// process, so this runs on the PostgreSQL pass of the suite.)
/// </summary>
public sealed class ConversationAcrossNodesTests
{
    [Fact]
    public async Task SendMessage_TwoNodesInParallel_All2xxEachReplyAfterItsQuestionCountExact()
    {
        if (ParleyApp.PostgresServer is null)
        {
            return;
        }
        await using var nodes = await TwoNodes.StartAsync();
        var (nodeA, nodeB) = (nodes.A, nodes.B);
        var clients = new[] { nodeA.Client(), nodeB.Client() };
        var conversationId = (await clients[0].StartConversationAsync(await clients[0].CreateBotAsync()))["conversation"]!.Id();

        var responses = await Task.WhenAll(Enumerable.Range(0, 40).Select(i =>
            clients[i % 2].PostJsonAsync($"/v1/conversations/{conversationId}/messages", new { text = $"message {i}" })));

        foreach (var response in responses)
        {
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
        var roles = await nodeA.DbAsync(db => db.Messages.IgnoreQueryFilters().AsNoTracking()
            .Where(m => m.ConversationId == conversationId).OrderBy(m => m.Id).Select(m => m.Role).ToListAsync());
        Assert.Equal([MessageRole.Bot, .. Enumerable.Range(0, 40).SelectMany(_ => new[] { MessageRole.User, MessageRole.Bot })], roles);
        var conversation = await (await clients[1].GetAsync($"/v1/conversations/{conversationId}")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(81, (int?)conversation["message_count"]);
    }
}
