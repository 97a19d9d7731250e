using System.ClientModel;
using System.ClientModel.Primitives;
using Microsoft.EntityFrameworkCore;
using OpenAI;
using OpenAI.Chat;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Features.OpenAiCompatible;

/// <summary>The official .NET OpenAI client's <see cref="ChatClient"/>, unchanged, pointed at the OpenAI-compatible endpoints.</summary>
[Trait(Storage.Trait, Storage.Independent)]
public sealed class OpenAiDotnetClientTests(OpenAiApp app) : IClassFixture<OpenAiApp>
{
    private ChatClient Chat(string model, string key) => new(model, new ApiKeyCredential(key), new OpenAIClientOptions
    {
        Endpoint = new Uri(app.Server.BaseAddress, "v1/openai"),
        Transport = new HttpClientPipelineTransport(app.CreateClient()),
        RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
    });

    private Task<int> StoredMessagesAsync(string botId) =>
        app.DbAsync(db => db.Messages.IgnoreQueryFilters().CountAsync(m => db.Conversations.IgnoreQueryFilters().Any(c => c.Id == m.ConversationId && c.BotId == botId)));

    [Fact]
    public async Task CompleteChat_Plain_AnswersFromTheBot()
    {
        var (_, key, bot) = await app.WorkspaceWithBotAsync();

        ChatCompletion completion = await Chat(bot, key).CompleteChatAsync([new SystemChatMessage("Be brief."), new UserChatMessage("Do you ship to Canada?")]);

        Assert.Equal(OpenAiApp.Fallback, completion.Content.Single().Text);
        Assert.Equal(ChatFinishReason.Stop, completion.FinishReason);
        Assert.Equal(ChatMessageRole.Assistant, completion.Role);
        Assert.Equal(bot, completion.Model);
        Assert.StartsWith("chatcmpl-", completion.Id, StringComparison.Ordinal);
        Assert.Equal(3, await StoredMessagesAsync(bot));
    }

    [Fact]
    public async Task CompleteChatStreaming_JoinsToTheBotsReply()
    {
        var (_, key, bot) = await app.WorkspaceWithBotAsync();
        var text = "";
        var updates = 0;
        ChatFinishReason? finish = null;

        await foreach (var update in Chat(bot, key).CompleteChatStreamingAsync([new UserChatMessage("Do you ship to Canada?")]))
        {
            updates++;
            text += string.Concat(update.ContentUpdate.Select(p => p.Text));
            finish ??= update.FinishReason;
        }

        Assert.Equal(OpenAiApp.Fallback, text);
        Assert.True(updates > 2, $"only {updates} updates");
        Assert.Equal(ChatFinishReason.Stop, finish);
    }

    [Fact]
    public async Task CompleteChat_HistoryResentWithEndUserId_NoDuplicateMessages()
    {
        var (_, key, bot) = await app.WorkspaceWithBotAsync();
        var chat = Chat(bot, key);
        var options = new ChatCompletionOptions();
#pragma warning disable OPENAI001 // EndUserId is how this client sends the protocol's `user`
        options.EndUserId = "dotnet-customer";
#pragma warning restore OPENAI001
        var history = new List<ChatMessage>();
        foreach (var text in new[] { "Hello", "Do you ship to Canada?", "And to Mexico?" })
        {
            history.Add(new UserChatMessage(text));
            ChatCompletion completion = await chat.CompleteChatAsync(history, options);
            history.Add(new AssistantChatMessage(completion));
        }

        Assert.Equal(7, await StoredMessagesAsync(bot));
        Assert.Equal(1, await app.DbAsync(db => db.Conversations.IgnoreQueryFilters().CountAsync(c => c.BotId == bot)));
    }

    [Fact]
    public async Task CompleteChat_WrongKey_ClientResultException401()
    {
        var (_, _, bot) = await app.WorkspaceWithBotAsync();

        var error = await Assert.ThrowsAsync<ClientResultException>(() => Chat(bot, "sk_notAKeyAtAll00000000000000000000000").CompleteChatAsync([new UserChatMessage("Hi")]));

        Assert.Equal(401, error.Status);
        Assert.Contains("The API key is not valid", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CompleteChat_UnknownBot_ClientResultException404()
    {
        var (_, key, _) = await app.WorkspaceWithBotAsync();

        var error = await Assert.ThrowsAsync<ClientResultException>(() => Chat("bot_doesnotexist", key).CompleteChatAsync([new UserChatMessage("Hi")]));

        Assert.Equal(404, error.Status);
        Assert.Contains("model_not_found", error.Message, StringComparison.Ordinal);
    }
}
