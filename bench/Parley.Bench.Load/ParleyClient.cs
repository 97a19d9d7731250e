using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Parley.Bench.Load;

/// <summary>The three API calls the benchmark makes, over one shared connection pool.</summary>
public sealed class ParleyClient : IDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };

    private readonly HttpClient _http;

    public ParleyClient(LoadOptions options)
    {
        var handler = new SocketsHttpHandler
        {
            // One connection per worker, kept for the whole run, so connection setup is not measured.
            MaxConnectionsPerServer = options.Concurrency + 8,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            UseCookies = false,
            UseProxy = false,
            AutomaticDecompression = System.Net.DecompressionMethods.None,
        };
        _http = new HttpClient(handler) { BaseAddress = options.Url, Timeout = TimeSpan.FromSeconds(30) };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", options.Key);
    }

    public async Task<string> FirstBotIdAsync(CancellationToken cancellationToken)
    {
        var bots = await _http.GetFromJsonAsync<BotList>("v1/bots", Json, cancellationToken);
        return bots?.Data.FirstOrDefault()?.Id
            ?? throw new InvalidOperationException("GET /v1/bots returned no bot; pass --bot.");
    }

    public async Task<string> StartConversationAsync(string botId, CancellationToken cancellationToken)
    {
        using var response = await _http.PostAsJsonAsync("v1/conversations", new StartConversation(botId), Json, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            throw new InvalidOperationException($"POST /v1/conversations answered {(int)response.StatusCode}: {body}");
        }
        var started = await response.Content.ReadFromJsonAsync<StartedConversation>(Json, cancellationToken);
        return started!.Conversation.Id;
    }

    /// <summary>Sends one message and reads the whole reply; the caller times it and inspects the status.</summary>
    public async Task<HttpResponseMessage> SendMessageAsync(string conversationId, string text, CancellationToken cancellationToken)
    {
        using var content = JsonContent.Create(new SendMessage(text), options: Json);
        var response = await _http.PostAsync($"v1/conversations/{conversationId}/messages", content, cancellationToken);
        await response.Content.LoadIntoBufferAsync(cancellationToken);
        return response;
    }

    /// <summary>Connects a model provider at <paramref name="baseUrl"/> and creates a bot that answers with it.</summary>
    public async Task<string> CreateModelBotAsync(string baseUrl, CancellationToken cancellationToken)
    {
        var provider = await PostAsync<IdOnly>("v1/model-providers", new { name = "Load test model", kind = "openai", base_url = baseUrl }, cancellationToken);
        var bot = await PostAsync<IdOnly>("v1/bots", new { name = "Load test model bot", model = new { provider = provider.Id, name = "load-model" } }, cancellationToken);
        return bot.Id;
    }

    /// <summary>Creates a bot without knowledge or model: the built-in answerer replies with its fallback text.</summary>
    public async Task<string> CreatePlainBotAsync(CancellationToken cancellationToken) =>
        (await PostAsync<IdOnly>("v1/bots", new { name = "Load test bot" }, cancellationToken)).Id;

    private async Task<T> PostAsync<T>(string path, object body, CancellationToken cancellationToken)
    {
        using var response = await _http.PostAsJsonAsync(path, body, Json, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"POST /{path} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }
        return (await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken))!;
    }

    public void Dispose() => _http.Dispose();

    private sealed record BotList(List<IdOnly> Data);

    private sealed record IdOnly(string Id);

    private sealed record StartConversation([property: JsonPropertyName("bot_id")] string BotId);

    private sealed record StartedConversation(IdOnly Conversation);

    private sealed record SendMessage(string Text);
}
