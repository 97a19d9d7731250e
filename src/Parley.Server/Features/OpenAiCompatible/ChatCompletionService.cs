using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Parley.Data;
using Parley.Data.Entities;
using Parley.Server.Infrastructure.Errors;
using Parley.Server.Infrastructure.Idempotency;

namespace Parley.Server.Features.OpenAiCompatible;

/// <summary>
/// Answers a Chat Completions request from a bot: checks it, finds or opens the conversation, recognises a resent
/// history, runs the turn and shapes the answer as JSON or as a stream.
/// </summary>
public sealed class ChatCompletionService(ParleyDbContext db, OpenAiConversations conversations, OpenAiTurnRunner runner, TimeProvider time)
{
    public const string ModelNotFound = "model_not_found";

    public async Task<Results<ServerSentEventsResult<string>, Ok<ChatCompletion>>> CompleteAsync(
        ChatCompletionRequest body, HttpContext http, CancellationToken cancellationToken)
    {
        var request = ChatRequestValidation.Validate(body);
        if (http.Request.Headers.ContainsKey(IdempotencyMiddleware.Header))
        {
            // A replay would answer with the stored body of the turn, which is not a chat completion; refused rather
            // than replayed in the wrong shape. Resending the history is how a retry is recognised here.
            throw ApiException.Invalid(IdempotencyMiddleware.Header,
                "Idempotency-Key is not supported here: to retry, resend the same messages; a request the conversation already answered gets the stored answer.");
        }
        var bot = await FindBotAsync(request.BotId, cancellationToken);
        var header = CompletionHeader.For(bot.Id, time);
        var conversation = await conversations.FindAsync(
            bot, http.Request.Headers[OpenAiConversations.Header].ToString().Trim(), request.User, cancellationToken);

        var recognised = 0;
        if (conversation is not null)
        {
            var history = await conversations.RecogniseAsync(conversation, request, cancellationToken);
            recognised = history.RecognisedMessages;
            if (history.StoredAnswer is { } stored)
            {
                http.Response.Headers[OpenAiConversations.Header] = conversation.Id;
                return Answer(new ChatAnswer(header, stored, stored.Messages.Count > 0 ? stored.Messages[^1].Timings : null, recognised, Replayed: true), request);
            }
        }
        var conversationId = conversation?.Id
            ?? await runner.StartAsync(bot, request.User, http.Request.Headers.UserAgent.ToString(), cancellationToken);
        http.Response.Headers[OpenAiConversations.Header] = conversationId;

        if (!request.Stream)
        {
            var turn = await runner.RunAsync(conversationId, request.Text, deltas: null, cancellationToken);
            http.Response.Headers["Server-Timing"] = turn.Timings.ToServerTimingHeader();
            return TypedResults.Ok(new ChatAnswer(header, turn.Response, turn.Timings, recognised, Replayed: false).ToCompletion());
        }
        // A model streams its reply while the turn runs: answer with a stream at its first piece. Until then a failure
        // is still an ordinary error response, and a reply that comes whole is streamed after commit.
        var live = new LiveChatDeltas();
        var running = RunAsync(conversationId, request, header, recognised, live, cancellationToken);
        await Task.WhenAny(running, live.Started);
        if (live.Started.IsCompleted)
        {
            return ChatCompletionStreaming.StreamLive(header, live, running, request.IncludeUsage);
        }
        var whole = await running;
        http.Response.Headers["Server-Timing"] = whole.Timings!.ToServerTimingHeader();
        return ChatCompletionStreaming.Stream(whole, request.IncludeUsage);
    }

    public async Task<Bot> FindBotAsync(string botId, CancellationToken cancellationToken) =>
        await db.Bots.AsNoTracking().FirstOrDefaultAsync(b => b.Id == botId, cancellationToken)
        ?? throw new ApiException(StatusCodes.Status404NotFound, ModelNotFound,
            $"The model '{botId}' does not exist: use the id of one of this workspace's bots (GET /v1/openai/models).",
            new Dictionary<string, string[]> { ["model"] = ["Unknown bot."] });

    private async Task<ChatAnswer> RunAsync(
        string conversationId, ChatRequest request, CompletionHeader header, int recognised, LiveChatDeltas live, CancellationToken cancellationToken)
    {
        var turn = await runner.RunAsync(conversationId, request.Text, live, cancellationToken);
        return new ChatAnswer(header, turn.Response, turn.Timings, recognised, Replayed: false);
    }

    private static Results<ServerSentEventsResult<string>, Ok<ChatCompletion>> Answer(ChatAnswer answer, ChatRequest request) =>
        request.Stream ? ChatCompletionStreaming.Stream(answer, request.IncludeUsage) : TypedResults.Ok(answer.ToCompletion());
}
