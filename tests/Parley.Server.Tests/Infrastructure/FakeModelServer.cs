using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Parley.Server.Tests.Infrastructure;

/// <summary>
/// A real HTTP server on a loopback port that speaks the OpenAI Chat Completions protocol (<c>POST /v1/chat/completions</c>)
/// and the Anthropic Messages protocol (<c>POST /v1/messages</c>), as JSON or, when the request asks for
/// <c>stream: true</c>, as server-sent events. It records every request and answers as the test scripts it.
/// </summary>
public sealed class FakeModelServer : IAsyncDisposable
{
    /// <summary>What the server does with one request.</summary>
    public sealed record Behaviour(
        string Text = "",
        int Status = 200,
        TimeSpan Delay = default,
        int? RetryAfterSeconds = null,
        bool Malformed = false,
        bool CutOff = false,
        bool Hang = false,
        Task? Until = null);

    public sealed record Received(string Path, IReadOnlyDictionary<string, string> Headers, JsonNode Body);

    private readonly ConcurrentQueue<Behaviour> _script = new();
    private readonly WebApplication _app;
    private readonly CancellationTokenSource _stopping = new();

    private FakeModelServer(WebApplication app) => _app = app;

    public string BaseUrl { get; private set; } = "";

    /// <summary>The base URL an OpenAI client takes: requests go to <c>{OpenAiBaseUrl}/chat/completions</c>.</summary>
    public string OpenAiBaseUrl => BaseUrl + "/v1";

    public ConcurrentQueue<Received> Requests { get; } = new();

    /// <summary>What the server does when the script is empty.</summary>
    public Behaviour Default { get; set; } = new("Hello from the model.");

    /// <summary>Queues the behaviour for the next requests, in order.</summary>
    public FakeModelServer Then(Behaviour behaviour)
    {
        _script.Enqueue(behaviour);
        return this;
    }

    public static async Task<FakeModelServer> StartAsync()
    {
        var app = LoopbackApp.Create();
        var server = new FakeModelServer(app);
        app.MapPost("/v1/chat/completions", http => server.AnswerAsync(http, openAi: true));
        app.MapPost("/v1/messages", http => server.AnswerAsync(http, openAi: false));
        server.BaseUrl = await LoopbackApp.StartAsync(app);
        return server;
    }

    private async Task AnswerAsync(HttpContext http, bool openAi)
    {
        var body = (await JsonNode.ParseAsync(http.Request.Body))!;
        Requests.Enqueue(new Received(http.Request.Path, http.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString()), body));
        var behaviour = _script.TryDequeue(out var next) ? next : Default;
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, _stopping.Token);
        try
        {
            if (behaviour.Hang)
            {
                await Task.Delay(Timeout.Infinite, linked.Token);
            }
            if (behaviour.Delay > TimeSpan.Zero)
            {
                await Task.Delay(behaviour.Delay, linked.Token);
            }
            if (behaviour.Until is { } until)
            {
                await until.WaitAsync(linked.Token);
            }
        }
        catch (OperationCanceledException)
        {
            return;
        }
        if (behaviour.Status != 200)
        {
            http.Response.StatusCode = behaviour.Status;
            if (behaviour.RetryAfterSeconds is { } seconds)
            {
                http.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
            http.Response.ContentType = "application/json";
            await http.Response.WriteAsync(openAi
                ? """{"error":{"message":"scripted failure","type":"server_error","code":null}}"""
                : """{"type":"error","error":{"type":"api_error","message":"scripted failure"}}""");
            return;
        }
        if (behaviour.Malformed)
        {
            http.Response.ContentType = "application/json";
            await http.Response.WriteAsync("{\"id\": \"broken\", \"choices\": [ {\"message\": ");
            return;
        }
        var model = (string?)body["model"] ?? "unknown";
        var stream = (bool?)body["stream"] == true;
        if (!stream)
        {
            http.Response.ContentType = "application/json";
            await http.Response.WriteAsync(openAi ? OpenAiJson(model, behaviour.Text) : AnthropicJson(model, behaviour.Text));
            return;
        }
        http.Response.ContentType = "text/event-stream";
        var pieces = Pieces(behaviour.Text);
        var sent = behaviour.CutOff ? pieces.Take(Math.Max(1, pieces.Count / 2)).ToList() : pieces;
        if (openAi)
        {
            await OpenAiStreamAsync(http, model, sent, finished: !behaviour.CutOff);
        }
        else
        {
            await AnthropicStreamAsync(http, model, sent, finished: !behaviour.CutOff);
        }
    }

    /// <summary>The prompt tokens every answer reports, so tests can tell reported usage from a local count.</summary>
    public const int ReportedPromptTokens = 321;

    private static string OpenAiJson(string model, string text) => new JsonObject
    {
        ["id"] = "chatcmpl-test",
        ["object"] = "chat.completion",
        ["created"] = 1_700_000_000,
        ["model"] = model,
        ["choices"] = new JsonArray(new JsonObject
        {
            ["index"] = 0,
            ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = text },
            ["finish_reason"] = "stop",
        }),
        ["usage"] = new JsonObject { ["prompt_tokens"] = ReportedPromptTokens, ["completion_tokens"] = 12, ["total_tokens"] = ReportedPromptTokens + 12 },
    }.ToJsonString();

    private static string AnthropicJson(string model, string text) => new JsonObject
    {
        ["id"] = "msg_test",
        ["type"] = "message",
        ["role"] = "assistant",
        ["model"] = model,
        ["content"] = new JsonArray(new JsonObject { ["type"] = "text", ["text"] = text }),
        ["stop_reason"] = "end_turn",
        ["stop_sequence"] = null,
        ["usage"] = new JsonObject { ["input_tokens"] = ReportedPromptTokens, ["output_tokens"] = 12 },
    }.ToJsonString();

    private static async Task OpenAiStreamAsync(HttpContext http, string model, List<string> pieces, bool finished)
    {
        JsonObject Chunk(JsonObject delta, string? finish) => new()
        {
            ["id"] = "chatcmpl-test",
            ["object"] = "chat.completion.chunk",
            ["created"] = 1_700_000_000,
            ["model"] = model,
            ["choices"] = new JsonArray(new JsonObject { ["index"] = 0, ["delta"] = delta, ["finish_reason"] = finish }),
        };
        await SendAsync(http, null, Chunk(new JsonObject { ["role"] = "assistant", ["content"] = "" }, null));
        foreach (var piece in pieces)
        {
            await SendAsync(http, null, Chunk(new JsonObject { ["content"] = piece }, null));
        }
        if (!finished)
        {
            return;
        }
        await SendAsync(http, null, Chunk([], "stop"));
        await SendAsync(http, null, new JsonObject
        {
            ["id"] = "chatcmpl-test",
            ["object"] = "chat.completion.chunk",
            ["created"] = 1_700_000_000,
            ["model"] = model,
            ["choices"] = new JsonArray(),
            ["usage"] = new JsonObject { ["prompt_tokens"] = ReportedPromptTokens, ["completion_tokens"] = pieces.Count, ["total_tokens"] = ReportedPromptTokens + pieces.Count },
        });
        await http.Response.WriteAsync("data: [DONE]\n\n");
    }

    private static async Task AnthropicStreamAsync(HttpContext http, string model, List<string> pieces, bool finished)
    {
        await SendAsync(http, "message_start", new JsonObject
        {
            ["type"] = "message_start",
            ["message"] = new JsonObject
            {
                ["id"] = "msg_test", ["type"] = "message", ["role"] = "assistant", ["model"] = model, ["content"] = new JsonArray(),
                ["stop_reason"] = null, ["stop_sequence"] = null,
                ["usage"] = new JsonObject { ["input_tokens"] = ReportedPromptTokens, ["output_tokens"] = 1 },
            },
        });
        await SendAsync(http, "content_block_start", new JsonObject
        {
            ["type"] = "content_block_start", ["index"] = 0, ["content_block"] = new JsonObject { ["type"] = "text", ["text"] = "" },
        });
        foreach (var piece in pieces)
        {
            await SendAsync(http, "content_block_delta", new JsonObject
            {
                ["type"] = "content_block_delta", ["index"] = 0, ["delta"] = new JsonObject { ["type"] = "text_delta", ["text"] = piece },
            });
        }
        if (!finished)
        {
            return;
        }
        await SendAsync(http, "content_block_stop", new JsonObject { ["type"] = "content_block_stop", ["index"] = 0 });
        await SendAsync(http, "message_delta", new JsonObject
        {
            ["type"] = "message_delta",
            ["delta"] = new JsonObject { ["stop_reason"] = "end_turn", ["stop_sequence"] = null },
            ["usage"] = new JsonObject { ["output_tokens"] = pieces.Count },
        });
        await SendAsync(http, "message_stop", new JsonObject { ["type"] = "message_stop" });
    }

    private static async Task SendAsync(HttpContext http, string? eventName, JsonObject data)
    {
        var text = new StringBuilder();
        if (eventName is not null)
        {
            text.Append("event: ").Append(eventName).Append('\n');
        }
        text.Append("data: ").Append(data.ToJsonString()).Append("\n\n");
        await http.Response.WriteAsync(text.ToString());
        await http.Response.Body.FlushAsync();
    }

    /// <summary>The text in pieces of a word each (with the space before it), the way models stream.</summary>
    public static List<string> Pieces(string text)
    {
        var pieces = new List<string>();
        var start = 0;
        for (var i = 1; i < text.Length; i++)
        {
            if (text[i] == ' ')
            {
                pieces.Add(text[start..i]);
                start = i;
            }
        }
        if (start < text.Length)
        {
            pieces.Add(text[start..]);
        }
        return pieces;
    }

    /// <summary>Waits until at least <paramref name="count"/> requests arrived, or fails after the deadline.</summary>
    public async Task<IReadOnlyList<Received>> WaitForAsync(int count, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(15));
        while (Requests.Count < count)
        {
            Assert.True(DateTime.UtcNow < deadline, $"Expected {count} model requests, got {Requests.Count}.");
            await Task.Delay(20);
        }
        return [.. Requests];
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await LoopbackApp.StopAsync(_app);
        _stopping.Dispose();
    }
}
