using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Features.OpenAiCompatible;

/// <summary>
/// An app whose bots may call loopback model servers and deliver webhooks to loopback receivers, for the
/// OpenAI-compatible endpoints. No test here waits for a model call to time out, so the timeouts are long enough that a
/// loaded machine never turns a loopback answer into a failure.
/// </summary>
public sealed class OpenAiApp : ParleyApp
{
    public const string Fallback = "A person will get back to you.";

    public OpenAiApp()
    {
        With("Parley:Network:AllowPrivateTargets", "true");
        With("Parley:Webhooks:PollInterval", "00:00:00.100");
        With("Parley:Models:AttemptTimeout", "00:00:10");
        With("Parley:Models:StreamIdleTimeout", "00:00:10");
        With("Parley:Models:CallTimeout", "00:00:30");
        With("Parley:Models:RetryDelay", "00:00:00.050");
        With("Parley:Models:UnavailableRetryAfterSeconds", "17");
    }

    /// <summary>A workspace of its own (so counts and events are the test's alone) with a key and a bot on the built-in answerer.</summary>
    public async Task<(HttpClient Client, string Key, string BotId)> WorkspaceWithBotAsync()
    {
        var (_, key) = await CreateWorkspaceAsync();
        var client = Client(key);
        return (client, key, await client.CreateBotAsync());
    }

    /// <summary>The stored messages of a conversation, oldest first, as (role, text).</summary>
    public Task<List<(string Role, string Text)>> TranscriptAsync(string conversationId) => DbAsync(async db =>
    {
        var messages = await db.Messages.IgnoreQueryFilters().Where(m => m.ConversationId == conversationId).OrderBy(m => m.Id)
            .Select(m => new { m.Role, m.Text }).ToListAsync();
        return messages.Select(m => (m.Role.ToString().ToLowerInvariant(), m.Text)).ToList();
    });

    public static Task<HttpResponseMessage> ChatAsync(HttpClient client, object body, string? conversation = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/openai/chat/completions") { Content = JsonContent.Create(body) };
        if (conversation is not null)
        {
            request.Headers.Add("X-Parley-Conversation", conversation);
        }
        return client.SendAsync(request);
    }

    /// <summary>Asserts an error in the protocol's shape with the given status, type and code, and returns its <c>error</c>.</summary>
    public static async Task<JsonNode> ErrorAsync(HttpResponseMessage response, HttpStatusCode status, string type, string code)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"Expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var error = JsonNode.Parse(text)!["error"]!;
        Assert.Equal(["message", "type", "param", "code"], error.AsObject().Select(p => p.Key));
        Assert.Equal(type, (string?)error["type"]);
        Assert.Equal(code, (string?)error["code"]);
        Assert.False(string.IsNullOrEmpty((string?)error["message"]));
        Assert.StartsWith("req_", response.Headers.GetValues("X-Request-Id").Single(), StringComparison.Ordinal);
        return error;
    }
}
