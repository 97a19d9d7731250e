using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Parley.Data.Entities;
using Parley.Engine.Turns;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Features.Conversations;

/// <summary>
/// A turn saves once: the visitor's message, the bot's reply with the time of every stage, the conversation's counts,
/// the events and the idempotent response go to the database in one <c>SaveChanges</c>, in the turn's transaction.
/// A second save per turn would cost a second round of change detection, batching and SQL for nothing.
/// </summary>
public sealed class TurnSaveTests(TurnSaveApp app) : IClassFixture<TurnSaveApp>, IAsyncLifetime
{
    private FakeModelServer _model = null!;

    public async Task InitializeAsync() => _model = await FakeModelServer.StartAsync();

    public async Task DisposeAsync() => await _model.DisposeAsync();

    [Fact]
    public async Task SendMessage_BotWithoutKnowledge_SavesTheTurnOnce()
    {
        var client = app.Client();
        var conversationId = (await client.StartConversationAsync(await client.CreateBotAsync()))["conversation"]!.Id();
        app.Saves.Recorded.Clear();

        var turn = await client.SendAsync(conversationId, "Hello?");

        AssertOneSave(conversationId, turn);
        await AssertStoredAsync(client, conversationId, turn, messages: 3);
    }

    [Fact]
    public async Task SendMessage_BotOnAModel_SavesTheTurnOnce()
    {
        var client = app.Client();
        var provider = (await (await client.PostJsonAsync("/v1/model-providers", new
        {
            name = "openai", kind = "openai", base_url = _model.OpenAiBaseUrl, api_key = "test-key-1234",
        })).JsonAsync(HttpStatusCode.Created)).Id();
        var bot = (await (await client.PostJsonAsync("/v1/bots", new { name = "Model", model = new { provider, name = "test-model-1" } }))
            .JsonAsync(HttpStatusCode.Created)).Id();
        var conversationId = (await client.StartConversationAsync(bot))["conversation"]!.Id();
        _model.Then(new("First answer."));
        await client.SendAsync(conversationId, "First question");
        _model.Then(new("Second answer."));
        app.Saves.Recorded.Clear();

        var turn = await client.SendAsync(conversationId, "Second question");

        Assert.Equal("Second answer.", (string?)turn["messages"]![0]!["text"]);
        AssertOneSave(conversationId, turn);
        await AssertStoredAsync(client, conversationId, turn, messages: 4);
    }

    [Fact]
    public async Task SendMessage_WithIdempotencyKey_SavesTheTurnAndItsResponseOnceAndTheRetryWritesNothing()
    {
        var client = app.Client();
        var conversationId = (await client.StartConversationAsync(await client.CreateBotAsync()))["conversation"]!.Id();
        var path = $"/v1/conversations/{conversationId}/messages";
        app.Saves.Recorded.Clear();

        var first = await (await client.PostJsonAsync(path, new { text = "Once" }, "turn-save-1")).JsonAsync(HttpStatusCode.OK);
        var retry = await client.PostJsonAsync(path, new { text = "Once" }, "turn-save-1");

        Assert.Equal(first.ToJsonString(), (await retry.JsonAsync(HttpStatusCode.OK)).ToJsonString());
        var save = AssertOneSave(conversationId, first);
        Assert.Contains(nameof(IdempotencyRecord), save.Added);
        await AssertStoredAsync(client, conversationId, first, messages: 3);
    }

    /// <summary>Exactly one save wrote to the conversation since the recorder was cleared, and it held the whole turn.</summary>
    private RecordedSave AssertOneSave(string conversationId, JsonNode turn)
    {
        var save = Assert.Single(app.Saves.Recorded, s => s.ConversationIds.Contains(conversationId));
        Assert.Contains(turn["user_message"]!.Id(), save.MessageIds);
        Assert.Contains(turn["messages"]![0]!.Id(), save.MessageIds);
        Assert.True(save.ConversationModified);
        Assert.Contains(nameof(DomainEventRecord), save.Added);
        return save;
    }

    /// <summary>What the one save stored: the reply with all six stage times, the count, one event per message.</summary>
    private async Task AssertStoredAsync(HttpClient client, string conversationId, JsonNode turn, int messages)
    {
        var replyId = turn["messages"]![0]!.Id();
        var stored = await app.DbAsync(db => db.Messages.IgnoreQueryFilters().AsNoTracking().SingleAsync(m => m.Id == replyId));
        Assert.Equal(TurnStageNames.All.Select(s => s.WireName()).Order(), stored.Timings!.Keys.Order());
        var conversation = await (await client.GetAsync($"/v1/conversations/{conversationId}")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(messages, (int?)conversation["message_count"]);
        var created = await app.DbAsync(db => db.Events.IgnoreQueryFilters().CountAsync(e => e.ConversationId == conversationId && e.Type == "message.created"));
        Assert.Equal(messages, created);
    }
}

/// <summary>The server with a recorder of every save's entries, and model providers on loopback allowed.</summary>
public sealed class TurnSaveApp : ParleyApp
{
    public TurnSaveApp() => With("Parley:Network:AllowPrivateTargets", "true");

    public SaveRecorder Saves { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddSingleton<IInterceptor>(Saves));
    }
}

/// <summary>One save as it was about to run: the conversations and messages it wrote and the entity types it added.</summary>
public sealed record RecordedSave(IReadOnlySet<string> ConversationIds, IReadOnlySet<string> MessageIds, bool ConversationModified, IReadOnlySet<string> Added);

/// <summary>Notes what every save of every context writes, in the order the saves run.</summary>
public sealed class SaveRecorder : SaveChangesInterceptor
{
    public ConcurrentQueue<RecordedSave> Recorded { get; } = new();

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Record(eventData.Context!);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Record(eventData.Context!);
        return result;
    }

    private void Record(DbContext context)
    {
        var written = context.ChangeTracker.Entries().Where(e => e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted).ToList();
        var messages = written.Select(e => e.Entity).OfType<Message>().ToList();
        var conversations = written.Where(e => e.Entity is Conversation).Select(e => (Conversation)e.Entity).ToList();
        Recorded.Enqueue(new RecordedSave(
            messages.Select(m => m.ConversationId).Concat(conversations.Select(c => c.Id)).ToHashSet(StringComparer.Ordinal),
            messages.Select(m => m.Id).ToHashSet(StringComparer.Ordinal),
            written.Any(e => e.Entity is Conversation && e.State == EntityState.Modified),
            written.Where(e => e.State == EntityState.Added).Select(e => e.Entity.GetType().Name).ToHashSet(StringComparer.Ordinal)));
    }
}
