using System.Net.ServerSentEvents;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.OpenApi;
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

    public static ServerSentEventsResult<string> Stream(TurnResponse turn) => TypedResults.ServerSentEvents(Events(turn).ToAsyncEnumerable());

    private static IEnumerable<SseItem<string>> Events(TurnResponse turn)
    {
        foreach (var message in turn.Messages)
        {
            foreach (var delta in Deltas(message.Text))
            {
                yield return Event(DeltaEvent, new MessageDelta(message.Id, delta));
            }
            yield return Event(CompletedEvent, message);
        }
        yield return Event(DoneEvent, turn);
    }

    private static SseItem<string> Event<T>(string type, T data) => new(JsonSerializer.Serialize(data, ApiJson.Options), type);

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
