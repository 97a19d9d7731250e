using System.Net.ServerSentEvents;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.OpenApi;
using System.Threading.Channels;
using Parley.Engine.Turns;
using Parley.Server.Infrastructure.Errors;
using Parley.Server.Infrastructure.Http;

namespace Parley.Server.Features.Conversations;

/// <summary>One piece of a reply as it is streamed: append <c>delta</c> to the text of <c>message_id</c>.</summary>
public sealed record MessageDelta(string MessageId, string Delta);

/// <summary>
/// The server-sent-events form of a turn's answer, for callers that send <c>Accept: text/event-stream</c>. The turn runs
/// and commits exactly as for JSON; then each reply is sent as <c>message.delta</c> events (a few words each), then as
/// <c>message.completed</c> (the stored message), and the whole answer as <c>done</c>. A reply is only streamed once it is
/// committed, so what a visitor reads is what the transcript holds.
/// </summary>
public static class TurnStreaming
{
    public const string MediaType = "text/event-stream";
    public const string DeltaEvent = "message.delta";
    public const string CompletedEvent = "message.completed";
    public const string DoneEvent = "done";
    public const string ErrorEvent = "error";
    private const int WordsPerDelta = 3;

    /// <summary>Documents the stream beside the JSON answer of the endpoint's 200 response.</summary>
    public static RouteHandlerBuilder WithStreamedResponse(this RouteHandlerBuilder endpoint) =>
        endpoint.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            if (operation.Responses?.TryGetValue("200", out var ok) == true && ok.Content is { } content)
            {
                content[MediaType] = new OpenApiMediaType
                {
                    Schema = new OpenApiSchema
                    {
                        Type = JsonSchemaType.String,
                        Description = $"Server-sent events: `{DeltaEvent}` ({{\"message_id\", \"delta\"}}) for each piece of a reply, "
                            + $"`{CompletedEvent}` (a Message) after each reply, then `{DoneEvent}` (the same body as the JSON answer).",
                    },
                };
            }
            return Task.CompletedTask;
        });

    public static bool IsRequested(HttpRequest request) =>
        request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals(MediaType, StringComparison.OrdinalIgnoreCase) && a.Quality is not 0);

    public static ServerSentEventsResult<string> Stream(TurnResponse turn) => TypedResults.ServerSentEvents(Events(turn, null).ToAsyncEnumerable());

    /// <summary>
    /// The stream of a turn whose reply a model is still writing: the pieces already written and those still coming, as
    /// they arrive, then the committed messages and the answer once the turn has committed. When the turn fails after
    /// pieces were sent, the stream ends with an <c>error</c> event (a problem: <c>status</c>, <c>code</c>, <c>detail</c>)
    /// and no <c>done</c>; nothing of that turn is stored.
    /// </summary>
    public static ServerSentEventsResult<string> StreamLive(LiveReplyStream live, Task<TurnResponse> turn) =>
        TypedResults.ServerSentEvents(LiveEvents(live, turn));

    private static async IAsyncEnumerable<SseItem<string>> LiveEvents(LiveReplyStream live, Task<TurnResponse> turn)
    {
        try
        {
            _ = turn.ContinueWith(_ => live.Complete(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            await foreach (var item in live.ReadAllAsync())
            {
                yield return item;
            }
            var (response, problem) = await Settle(turn);
            if (response is null)
            {
                yield return Event(ErrorEvent, problem);
                yield break;
            }
            foreach (var item in Events(response, live))
            {
                yield return item;
            }
        }
        finally
        {
            await UntilEnded(turn);
        }
    }

    /// <summary>
    /// Waits for a turn still running when its stream ends early (the client went away, or writing to it failed), however
    /// the turn ends. The turn uses the request's services, its database context among them, which go back to their pools
    /// when the request ends: the request must not end before the turn has.
    /// </summary>
    public static async Task UntilEnded(Task turn) => await Task.WhenAny(turn);

    private static async Task<(TurnResponse? Response, object? Problem)> Settle(Task<TurnResponse> turn)
    {
        try
        {
            return (await turn, null);
        }
        catch (ApiException api)
        {
            return (null, new { status = api.Status, code = api.Code, detail = api.Message, retry_after = api.RetryAfterSeconds });
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return (null, new { status = 500, code = ErrorCodes.InternalError, detail = "Something went wrong on our side; nothing of this message was stored.", retry_after = (int?)null });
        }
    }

    private static IEnumerable<SseItem<string>> Events(TurnResponse turn, LiveReplyStream? live)
    {
        foreach (var message in turn.Messages)
        {
            if (live?.WasStreamed(message.Id) != true)
            {
                foreach (var delta in Deltas(message.Text))
                {
                    yield return Event(DeltaEvent, new MessageDelta(message.Id, delta));
                }
            }
            yield return Event(CompletedEvent, message);
        }
        yield return Event(DoneEvent, turn);
    }

    internal static SseItem<string> Event<T>(string type, T data) => new(JsonSerializer.Serialize(data, ApiJson.Options), type);

    /// <summary>Cuts text after every few words, keeping all whitespace, so the pieces join back to exactly the text.</summary>
    internal static IEnumerable<string> Deltas(string text)
    {
        var start = 0;
        var words = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var endOfSpace = char.IsWhiteSpace(text[i]) && (i + 1 == text.Length || !char.IsWhiteSpace(text[i + 1]));
            if (endOfSpace && ++words == WordsPerDelta)
            {
                yield return text[start..(i + 1)];
                start = i + 1;
                words = 0;
            }
        }
        if (start < text.Length)
        {
            yield return text[start..];
        }
    }
}

/// <summary>
/// Collects the pieces of bot replies while a turn is generated, for a caller that streams. <see cref="Started"/>
/// completes with the first piece, so the caller knows to answer with a stream before the turn has finished.
/// </summary>
public sealed class LiveReplyStream : IReplyDeltaSink
{
    private readonly Channel<SseItem<string>> _events = Channel.CreateUnbounded<SseItem<string>>(new UnboundedChannelOptions { SingleReader = true });
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly HashSet<string> _streamed = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public Task Started => _started.Task;

    public ValueTask WriteAsync(string messageId, string delta, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            _streamed.Add(messageId);
        }
        _events.Writer.TryWrite(TurnStreaming.Event(TurnStreaming.DeltaEvent, new MessageDelta(messageId, delta)));
        _started.TrySetResult();
        return ValueTask.CompletedTask;
    }

    public bool WasStreamed(string messageId)
    {
        lock (_lock)
        {
            return _streamed.Contains(messageId);
        }
    }

    internal void Complete() => _events.Writer.TryComplete();

    internal IAsyncEnumerable<SseItem<string>> ReadAllAsync() => _events.Reader.ReadAllAsync();
}
