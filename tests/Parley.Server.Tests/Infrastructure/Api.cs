using System.Net;
using System.Text.Json.Nodes;

namespace Parley.Server.Tests.Infrastructure;

/// <summary>The few API calls most tests need, as one-liners.</summary>
public static class Api
{
    public static async Task<string> CreateBotAsync(this HttpClient client, string name = "Support", string? greeting = "Hello! How can I help?")
    {
        var response = await client.PostJsonAsync("/v1/bots", new { name, greeting, fallback_text = "A person will get back to you." });
        return (await response.JsonAsync(HttpStatusCode.Created)).Id();
    }

    public static async Task<JsonNode> StartConversationAsync(this HttpClient client, string botId, object? contact = null, object? metadata = null)
    {
        var response = await client.PostJsonAsync("/v1/conversations", new { bot_id = botId, contact, metadata });
        return await response.JsonAsync(HttpStatusCode.Created);
    }

    public static async Task<JsonNode> SendAsync(this HttpClient client, string conversationId, string text)
    {
        var response = await client.PostJsonAsync($"/v1/conversations/{conversationId}/messages", new { text });
        return await response.JsonAsync(HttpStatusCode.OK);
    }
}
