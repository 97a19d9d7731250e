using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Parley.Server.Tests.Infrastructure;

/// <summary>A real HTTP server on a loopback port that records what it receives and answers as the test says.</summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    public sealed record Received(DateTimeOffset At, IReadOnlyDictionary<string, string> Headers, string Body);

    private readonly ConcurrentQueue<(int Status, TimeSpan Delay)> _script = new();
    private WebApplication? _app;

    private WebhookReceiver(int port) => Port = port;

    public int Port { get; }
    public string Url => $"http://127.0.0.1:{Port}/hooks";
    public ConcurrentQueue<Received> Requests { get; } = new();

    /// <summary>Answers 200 unless the script says otherwise.</summary>
    public int DefaultStatus { get; set; } = 200;

    /// <summary>Answers with the body it received, as some receivers do (the answer's excerpt is stored with the attempt).</summary>
    public bool Echo { get; set; }

    /// <summary>Queues the answers to the next requests, in order.</summary>
    public WebhookReceiver Answer(int status, TimeSpan delay = default)
    {
        _script.Enqueue((status, delay));
        return this;
    }

    /// <summary>A receiver listening now.</summary>
    public static async Task<WebhookReceiver> StartAsync() => await StartOnAsync(FreePort());

    /// <summary>A receiver for a port nothing listens on yet; call <see cref="ListenAsync"/> to bring it up.</summary>
    public static WebhookReceiver Down() => new(FreePort());

    public static async Task<WebhookReceiver> StartOnAsync(int port)
    {
        var receiver = new WebhookReceiver(port);
        await receiver.ListenAsync();
        return receiver;
    }

    public async Task ListenAsync()
    {
        var app = LoopbackApp.Create(Port);
        app.MapPost("/hooks", async (HttpContext http) =>
        {
            using var reader = new StreamReader(http.Request.Body);
            var body = await reader.ReadToEndAsync();
            var headers = http.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString());
            Requests.Enqueue(new Received(DateTimeOffset.UtcNow, headers, body));
            var (status, delay) = _script.TryDequeue(out var next) ? next : (DefaultStatus, TimeSpan.Zero);
            if (delay > TimeSpan.Zero)
            {
                await Task.Delay(delay);
            }
            http.Response.StatusCode = status;
            await http.Response.WriteAsync(Echo ? body : $"answered {status}");
        });
        await app.StartAsync();
        _app = app;
    }

    /// <summary>Waits until at least <paramref name="count"/> requests arrived, or fails after the deadline.</summary>
    public async Task<IReadOnlyList<Received>> WaitForAsync(int count, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(15));
        while (Requests.Count < count)
        {
            Assert.True(DateTime.UtcNow < deadline, $"Expected {count} webhook requests, got {Requests.Count}.");
            await Task.Delay(20);
        }
        return [.. Requests];
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await LoopbackApp.StopAsync(_app);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
