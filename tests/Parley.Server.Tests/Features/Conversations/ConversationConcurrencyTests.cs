using System.Collections.Concurrent;
using System.Net;
using Microsoft.EntityFrameworkCore;
using Parley.Engine.Turns;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Features.Conversations;

/// <summary>
/// Ordinary traffic that arrives at once on one conversation: a visitor double-clicking, a client retrying, an
/// integration posting in parallel. Every request succeeds, and the transcript reads as if they had come one by one.
/// </summary>
public sealed class ConversationConcurrencyTests(ParleyApp app) : IClassFixture<ParleyApp>
{
    private const int Messages = 100;

    [Theory]
    [InlineData(8)]
    [InlineData(32)]
    public async Task SendMessage_100InParallel_All2xxInOrderAndCountExact(int parallelism)
    {
        var client = app.Client();
        var conversationId = (await client.StartConversationAsync(await client.CreateBotAsync()))["conversation"]!.Id();
        var answers = new ConcurrentDictionary<string, string>();
        var failures = new ConcurrentBag<string>();

        // Each of the parallel senders posts its share one after another, like `xargs -P`: what one sender sent first
        // must be stored first.
        await Parallel.ForEachAsync(Enumerable.Range(0, parallelism), new ParallelOptions { MaxDegreeOfParallelism = parallelism }, async (sender, ct) =>
        {
            for (var i = sender; i < Messages; i += parallelism)
            {
                var response = await client.PostJsonAsync($"/v1/conversations/{conversationId}/messages", new { text = $"sender {sender} message {i}" });
                var body = await response.Content.ReadAsStringAsync(ct);
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    failures.Add($"{(int)response.StatusCode}: {body}");
                    continue;
                }
                var turn = System.Text.Json.Nodes.JsonNode.Parse(body)!;
                answers[turn["user_message"]!.Id()] = turn["messages"]![0]!.Id();
            }
        });

        Assert.Empty(failures);
        Assert.Equal(Messages, answers.Count);
        var transcript = await app.DbAsync(db => db.Messages.IgnoreQueryFilters().AsNoTracking()
            .Where(m => m.ConversationId == conversationId).OrderBy(m => m.Id).Select(m => new { m.Id, m.Role, m.Text }).ToListAsync());
        Assert.Equal(1 + 2 * Messages, transcript.Count);
        Assert.Equal(MessageRole.Bot, transcript[0].Role);
        for (var i = 1; i < transcript.Count; i += 2)
        {
            // Each question is followed directly by its own answer.
            Assert.Equal(MessageRole.User, transcript[i].Role);
            Assert.Equal(answers[transcript[i].Id], transcript[i + 1].Id);
        }
        var userTexts = transcript.Where(m => m.Role == MessageRole.User).Select(m => m.Text).ToList();
        for (var sender = 0; sender < parallelism; sender++)
        {
            var sent = Enumerable.Range(0, Messages).Where(i => i % parallelism == sender).Select(i => $"sender {sender} message {i}");
            Assert.Equal(sent, userTexts.Where(t => t.StartsWith($"sender {sender} ", StringComparison.Ordinal)));
        }
        var conversation = await (await client.GetAsync($"/v1/conversations/{conversationId}")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(1 + 2 * Messages, (int?)conversation["message_count"]);
        var created = await app.DbAsync(db => db.Events.IgnoreQueryFilters().CountAsync(e => e.ConversationId == conversationId && e.Type == "message.created"));
        Assert.Equal(1 + 2 * Messages, created);
    }

    [Fact]
    public async Task AgentRepliesAndVisitorMessages_AtOnce_All2xxAndCountExact()
    {
        var client = app.Client();
        var conversationId = (await client.StartConversationAsync(await client.CreateBotAsync()))["conversation"]!.Id();
        (await client.PostJsonAsync($"/v1/conversations/{conversationId}/handoff", new { })).EnsureSuccessStatusCode();
        // Claimed, so the bot stays quiet (it asks for contact details only while nobody has the conversation).
        (await client.PostJsonAsync($"/v1/conversations/{conversationId}/claim", new { })).EnsureSuccessStatusCode();

        var responses = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => i % 2 == 0
            ? client.PostJsonAsync($"/v1/conversations/{conversationId}/agent-messages", new { text = $"agent {i}" })
            : client.PostJsonAsync($"/v1/conversations/{conversationId}/messages", new { text = $"visitor {i}" })));

        foreach (var response in responses)
        {
            Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
        var stored = await app.DbAsync(db => db.Messages.IgnoreQueryFilters().CountAsync(m => m.ConversationId == conversationId));
        var conversation = await (await client.GetAsync($"/v1/conversations/{conversationId}")).JsonAsync(HttpStatusCode.OK);
        // The greeting, the handoff notice, "a member of our team has joined", 20 agent replies and 20 visitor messages.
        Assert.Equal(3 + 40, stored);
        Assert.Equal(stored, (int?)conversation["message_count"]);
    }
}
