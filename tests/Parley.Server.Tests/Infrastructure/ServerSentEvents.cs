using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Parley.Server.Tests.Infrastructure;

/// <summary>A turn sent with <c>Accept: text/event-stream</c>, and the events of its response.</summary>
public static class ServerSentEvents
{
    public static HttpRequestMessage StreamedTurn(string conversationId, object body, string? idempotencyKey = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/conversations/{conversationId}/messages") { Content = JsonContent.Create(body) };
        request.Headers.Accept.ParseAdd("text/event-stream");
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }
        return request;
    }

    /// <summary>Reads the whole response: each event's name and its JSON data, in order.</summary>
    public static async Task<List<(string Event, JsonNode Data)>> EventsAsync(HttpResponseMessage response)
    {
        var events = new List<(string, JsonNode)>();
        var text = await response.Content.ReadAsStringAsync();
        foreach (var block in text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            var lines = block.Split('\n');
            var name = lines.Single(l => l.StartsWith("event: ", StringComparison.Ordinal))["event: ".Length..];
            var data = string.Join('\n', lines.Where(l => l.StartsWith("data: ", StringComparison.Ordinal)).Select(l => l["data: ".Length..]));
            events.Add((name, JsonNode.Parse(data)!));
        }
        return events;
    }
}
