using System.Net.ServerSentEvents;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.Http.HttpResults;
using Parley.Engine.Turns;
using Parley.Server.Features.Conversations;
using Parley.Server.Infrastructure.Errors;
using Parley.Server.Infrastructure.Http;

namespace Parley.Server.Features.OpenAiCompatible;

/// <summary>
/// The streamed form of an answer, as the protocol has it: <c>data:</c> events of <c>chat.completion.chunk</c>, the
/// first with the assistant role, then pieces of the content, then one with <c>finish_reason</c> (and Parley's extras),
/// with <c>stream_options.include_usage</c> one with the usage, and <c>data: [DONE]</c>.
/// </summary>
public static class ChatCompletionStreaming
{
    public const string Done = "[DONE]";

    /// <summary>An answer that came whole (the built-in answerer, a flow, a resend): streamed after commit, a few words a chunk.</summary>
    public static ServerSentEventsResult<string> Stream(ChatAnswer answer, bool includeUsage) =>
        TypedResults.ServerSentEvents(Whole(answer, includeUsage).ToAsyncEnumerable());

    /// <summary>
    /// The answer of a turn whose reply a model is still writing: pieces as they arrive, then what the committed turn
    /// holds beyond them. A turn that fails after pieces were sent ends the stream with an <c>error</c> event in the
    /// protocol's shape and no <c>[DONE]</c>; nothing of it is stored.
    /// </summary>
    public static ServerSentEventsResult<string> StreamLive(
        CompletionHeader header, LiveChatDeltas live, Task<ChatAnswer> turn, bool includeUsage) =>
        TypedResults.ServerSentEvents(Live(header, live, turn, includeUsage));

    private static IEnumerable<SseItem<string>> Whole(ChatAnswer answer, bool includeUsage)
    {
        yield return Data(answer.Header.Chunk(new ChatCompletionDelta(CompletionHeader.AssistantRole, "")));
        foreach (var piece in TurnStreaming.Deltas(answer.Content))
        {
            yield return Data(answer.Header.Chunk(new ChatCompletionDelta(Content: piece)));
        }
        foreach (var item in Ending(answer, includeUsage))
        {
            yield return item;
        }
    }

    private static async IAsyncEnumerable<SseItem<string>> Live(CompletionHeader header, LiveChatDeltas live, Task<ChatAnswer> turn, bool includeUsage)
    {
        try
        {
            _ = turn.ContinueWith(_ => live.Complete(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            yield return Data(header.Chunk(new ChatCompletionDelta(CompletionHeader.AssistantRole, "")));
            var streamed = new Dictionary<string, StringBuilder>(StringComparer.Ordinal);
            string? current = null;
            await foreach (var (messageId, delta) in live.ReadAllAsync())
            {
                var piece = delta;
                if (messageId != current)
                {
                    piece = (current is null ? "" : ChatAnswer.Separator) + delta;
                    current = messageId;
                    streamed[messageId] = new StringBuilder();
                }
                streamed[messageId].Append(delta);
                yield return Data(header.Chunk(new ChatCompletionDelta(Content: piece)));
            }

            ChatAnswer answer;
            OpenAiError? failure = null;
            try
            {
                answer = await turn;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                answer = null!;
                failure = ErrorOf(ex);
            }
            if (failure is not null)
            {
                yield return new SseItem<string>(JsonSerializer.Serialize(new OpenAiErrorResponse(failure), ApiJson.Options));
                yield break;
            }
            var any = streamed.Count > 0;
            foreach (var message in answer.Turn.Messages)
            {
                var rest = Remainder(message.Text, streamed.GetValueOrDefault(message.Id)?.ToString(), ref any);
                foreach (var piece in rest.Length == 0 ? [] : TurnStreaming.Deltas(rest))
                {
                    yield return Data(header.Chunk(new ChatCompletionDelta(Content: piece)));
                }
            }
            foreach (var item in Ending(answer, includeUsage))
            {
                yield return item;
            }
        }
        finally
        {
            await TurnStreaming.UntilEnded(turn);
        }
    }

    /// <summary>
    /// What of a stored message the client has not read yet. A guardrail may stop the stream and replace or mask the
    /// reply; what was streamed cannot be taken back, so the stored text then follows in full after a blank line.
    /// </summary>
    private static string Remainder(string stored, string? streamed, ref bool any)
    {
        string rest;
        if (streamed is null)
        {
            rest = (any ? ChatAnswer.Separator : "") + stored;
        }
        else if (stored.StartsWith(streamed, StringComparison.Ordinal))
        {
            rest = stored[streamed.Length..];
        }
        else
        {
            rest = ChatAnswer.Separator + stored;
        }
        any = true;
        return rest;
    }

    private static IEnumerable<SseItem<string>> Ending(ChatAnswer answer, bool includeUsage)
    {
        yield return Data(answer.LastChunk());
        if (includeUsage && answer.Usage is { } usage)
        {
            yield return Data(answer.UsageChunk(usage));
        }
        yield return new SseItem<string>(Done);
    }

    private static OpenAiError ErrorOf(Exception exception)
    {
        var (status, code, detail, param) = exception switch
        {
            ApiException api => (api.Status, api.Code, api.Message, api.Errors?.Keys.FirstOrDefault()),
            TurnRejectedException { Rejection: TurnRejection.InvalidRequest } rejected =>
                (400, ErrorCodes.InvalidRequest, rejected.Message, rejected.Errors?.Keys.FirstOrDefault()),
            TurnRejectedException { Rejection: TurnRejection.NotFound } rejected => (404, ErrorCodes.NotFound, rejected.Message, null),
            TurnRejectedException rejected => (409, ErrorCodes.Conflict, rejected.Message, null),
            _ => (500, ErrorCodes.InternalError, "Something went wrong on our side; nothing of this message was stored.", (string?)null),
        };
        return new OpenAiError(detail, OpenAiErrorWriter.TypeOf(status, code), param, code);
    }

    private static SseItem<string> Data(ChatCompletionChunk chunk) => new(JsonSerializer.Serialize(chunk, ApiJson.Options));
}

/// <summary>
/// Collects the pieces of bot replies while a model writes them, for a streaming caller. <see cref="Started"/>
/// completes with the first piece, so the caller knows to answer with a stream before the turn has finished.
/// </summary>
public sealed class LiveChatDeltas : IReplyDeltaSink
{
    private readonly Channel<(string MessageId, string Delta)> _pieces =
        Channel.CreateUnbounded<(string, string)>(new UnboundedChannelOptions { SingleReader = true });
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Started => _started.Task;

    public ValueTask WriteAsync(string messageId, string delta, CancellationToken cancellationToken)
    {
        _pieces.Writer.TryWrite((messageId, delta));
        _started.TrySetResult();
        return ValueTask.CompletedTask;
    }

    internal void Complete() => _pieces.Writer.TryComplete();

    internal IAsyncEnumerable<(string MessageId, string Delta)> ReadAllAsync() => _pieces.Reader.ReadAllAsync();
}
