using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using Parley.Data;
using Parley.Data.Entities;
using Parley.Engine.Knowledge;
using Parley.Engine.Prompts;
using Parley.Engine.Responders;
using Parley.Engine.Turns;
using Parley.Server.Infrastructure.Auth;
using Parley.Server.Infrastructure.Errors;
using Polly.CircuitBreaker;

namespace Parley.Server.Features.ModelProviders;

/// <summary>
/// Answers with a model: retrieves the bot's knowledge passages, assembles the prompt (<see cref="PromptBuilder"/>),
/// and asks the bot's provider, then its fallback provider. Pieces of the reply go to the request's delta writer as
/// they arrive when the caller streams. When every provider fails, a widget visitor gets a polite reply that offers a
/// person, and an API caller a 503 <c>provider_unavailable</c> with <c>Retry-After</c>; either way nothing of the failed
/// attempt is stored, because the turn commits only after this stage.
/// </summary>
public sealed class ModelResponder(
    ParleyDbContext db,
    ModelProviderClients clients,
    ModelCallTally tally,
    IKnowledgeRetriever retriever,
    Caller caller,
    IOptions<ModelOptions> options,
    ILogger<ModelResponder> logger) : IResponder
{
    /// <summary>What a widget visitor reads when no model could answer.</summary>
    public const string UnavailableText = "Sorry, I can't answer right now. Would you like to talk to a person?";

    private const int MaxExcerptLength = 300;

    public async ValueTask<ResponderReply> RespondAsync(ResponderRequest request, CancellationToken cancellationToken)
    {
        var model = request.Bot.Model ?? throw new InvalidOperationException("A model reply needs the bot's model settings.");
        var passages = !request.Bot.HasKnowledge || options.Value.Passages <= 0 ? []
            : request.Knowledge is { } searched ? searched.Passages
            : (await retriever.SearchAsync(request.Bot.Id, request.UserText, options.Value.Passages, cancellationToken)).Passages;
        var prompt = PromptBuilder.Build(
            new PromptInput(request.Bot, request.History, request.UserText, passages, request.ContactAttributes, request.GuardrailInstructions), options.Value.PromptTokenBudget);

        string[] chain = model.FallbackProvider is { } fallback && fallback != model.Provider ? [model.Provider, fallback] : [model.Provider];
        var providers = await db.ModelProviders.AsNoTracking().Where(p => chain.Contains(p.Id)).ToDictionaryAsync(p => p.Id, cancellationToken);
        var attempt = new Attempt();
        foreach (var id in chain)
        {
            if (!providers.TryGetValue(id, out var provider))
            {
                continue;
            }
            var modelName = model.Name ?? provider.DefaultModel;
            if (modelName is null)
            {
                logger.LogWarning("Bot {BotId} names no model and provider {ProviderId} has no default model", request.Bot.Id, id);
                continue;
            }
            try
            {
                var reply = await CallAsync(provider, modelName, model, prompt, request, attempt, cancellationToken);
                tally.Succeeded(provider);
                return reply;
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                tally.Failed(provider, ex);
                logger.LogWarning(ex, "Model provider {ProviderId} ({Kind}) failed for bot {BotId}", id, provider.Kind, request.Bot.Id);
                if (ex is BrokenCircuitException)
                {
                    attempt.RetryAfter = options.Value.BreakDuration;
                }
                if (attempt.Streamed)
                {
                    // The visitor has read part of this reply: another provider's answer cannot continue it.
                    break;
                }
            }
        }
        if (caller.Kind == CallerKind.WidgetSession && !attempt.Streamed)
        {
            return new ResponderReply(UnavailableText, [new QuickReply("Talk to a person", KnowledgeAnswerer.HandoffValue)]);
        }
        var seconds = attempt.RetryAfter is { } after ? Math.Max(1, (int)Math.Ceiling(after.TotalSeconds)) : options.Value.UnavailableRetryAfterSeconds;
        throw new ApiException(StatusCodes.Status503ServiceUnavailable, ErrorCodes.ProviderUnavailable,
            "The bot's model provider is not answering; nothing was stored. Send the message again after Retry-After seconds.")
        {
            RetryAfterSeconds = seconds,
        };
    }

    private sealed class Attempt
    {
        public bool Streamed { get; set; }
        public TimeSpan? RetryAfter { get; set; }
    }

    private async Task<ResponderReply> CallAsync(
        ModelProvider provider, string modelName, BotModelProfile model, Prompt prompt, ResponderRequest request, Attempt attempt,
        CancellationToken cancellationToken)
    {
        var maxTokens = model.MaxTokens ?? options.Value.DefaultMaxTokens;
        var chat = clients.ChatClient(provider, modelName, maxTokens);
        var messages = prompt.Messages.Select(ToChatMessage).ToList();
        var chatOptions = new ChatOptions { ModelId = modelName, MaxOutputTokens = maxTokens, Temperature = (float?)model.Temperature };
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.CallTimeout);

        string text;
        UsageDetails? usage;
        if (request.Deltas is null)
        {
            var response = await chat.GetResponseAsync(messages, chatOptions, timeout.Token);
            text = response.Text;
            usage = response.Usage;
            if (response.FinishReason is null)
            {
                throw new InvalidDataException("The model's reply did not say it was finished.");
            }
        }
        else
        {
            (text, usage) = await StreamAsync(chat, messages, chatOptions, request.Deltas, attempt, timeout, cancellationToken);
        }
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new InvalidDataException("The model sent an empty reply.");
        }

        var citations = PromptBuilder.CitedPassages(text, prompt.Passages)
            .Select(p => new Citation(p.Passage.SourceId, p.Passage.SourceTitle, p.Passage.SourceUrl, Excerpt(p.Passage.Text)))
            .ToList();
        var tokens = new TokenUsage(
            (int?)usage?.InputTokenCount ?? prompt.EstimatedTokens,
            (int?)usage?.OutputTokenCount ?? TokenCounter.Count(text),
            provider.Id,
            modelName);
        return new ResponderReply(text, [], citations, Unanswered: false, tokens);
    }

    private async Task<(string Text, UsageDetails? Usage)> StreamAsync(
        IChatClient chat, List<ChatMessage> messages, ChatOptions chatOptions, ReplyDeltaWriter deltas, Attempt attempt,
        CancellationTokenSource timeout, CancellationToken cancellationToken)
    {
        var text = new StringBuilder();
        UsageDetails? usage = null;
        var finished = false;
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token);
        idle.CancelAfter(options.Value.StreamIdleTimeout);
        await foreach (var update in chat.GetStreamingResponseAsync(messages, chatOptions, idle.Token))
        {
            idle.CancelAfter(options.Value.StreamIdleTimeout);
            foreach (var content in update.Contents)
            {
                if (content is UsageContent u)
                {
                    usage = u.Details;
                }
            }
            finished |= update.FinishReason is not null;
            if (update.Text is { Length: > 0 } piece)
            {
                var room = GenerateStage.MaxReplyLength - 1 - text.Length;
                if (piece.Length > room)
                {
                    // Longer than a reply may be: end it here, with the same mark the pipeline would add, so what
                    // was streamed is still exactly what is stored.
                    var cut = string.Concat(piece.AsSpan(0, Math.Max(0, room)), "…");
                    text.Append(cut);
                    attempt.Streamed = true;
                    await deltas(cut, cancellationToken);
                    finished = true;
                    break;
                }
                text.Append(piece);
                attempt.Streamed = true;
                await deltas(piece, cancellationToken);
            }
        }
        if (!finished)
        {
            // A stream that stops without saying why was cut off: what arrived is not the whole reply.
            throw new InvalidDataException("The model's stream ended before the reply was finished.");
        }
        return (text.ToString(), usage);
    }

    private static ChatMessage ToChatMessage(PromptMessage message) => new(
        message.Role switch
        {
            PromptRole.System => ChatRole.System,
            PromptRole.User => ChatRole.User,
            _ => ChatRole.Assistant,
        },
        message.Text);

    private static string Excerpt(string text)
    {
        var flat = text.ReplaceLineEndings(" ").Trim();
        return flat.Length <= MaxExcerptLength ? flat : string.Concat(flat.AsSpan(0, MaxExcerptLength - 1).TrimEnd(), "…");
    }
}

/// <summary>
/// The responder of the turn pipeline: the built-in answerer for bots on <c>builtin</c>, the model responder for bots
/// that name a model provider connection.
/// </summary>
public sealed class ResponderRouter(KnowledgeAnswerer builtin, ModelResponder model) : IResponder
{
    public ValueTask<ResponderReply> RespondAsync(ResponderRequest request, CancellationToken cancellationToken) =>
        request.Bot.Model is { UsesModelProvider: true }
            ? model.RespondAsync(request, cancellationToken)
            : builtin.RespondAsync(request, cancellationToken);
}
