using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Parley.Bench.Load;

/// <summary>
/// A minimal OpenAI-compatible endpoint on a loopback port (<c>POST /v1/chat/completions</c>, JSON only) that answers
/// at once, so a run measures Parley's model path (prompt assembly, token counting, the HTTP call and its resilience
/// pipeline) rather than a model.
/// </summary>
public sealed class FakeOpenAiServer : IAsyncDisposable
{
    private const string Reply =
        """{"id":"chatcmpl-load","object":"chat.completion","created":1700000000,"model":"load-model","choices":[{"index":0,"message":{"role":"assistant","content":"Thanks for asking! We open at nine and close at six, Monday to Saturday."},"finish_reason":"stop"}],"usage":{"prompt_tokens":250,"completion_tokens":17,"total_tokens":267}}""";

    private readonly WebApplication _app;

    private FakeOpenAiServer(WebApplication app, string baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
    }

    /// <summary>The base URL a model provider of kind <c>openai</c> takes.</summary>
    public string BaseUrl { get; }

    public static async Task<FakeOpenAiServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.MapPost("/v1/chat/completions", async (HttpContext http) =>
        {
            // Read the request as a real endpoint would, then answer.
            _ = await JsonNode.ParseAsync(http.Request.Body);
            http.Response.ContentType = "application/json";
            await http.Response.WriteAsync(Reply);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new FakeOpenAiServer(app, address + "/v1");
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
