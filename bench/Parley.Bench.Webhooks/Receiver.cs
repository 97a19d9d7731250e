using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Parley.Bench.Webhooks;

/// <summary>A webhook receiver on loopback that notes, for every event, when it arrived and when it was created.</summary>
internal sealed class Receiver : IAsyncDisposable
{
    private readonly WebApplication _app;

    private Receiver(WebApplication app) => _app = app;

    private TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ConcurrentDictionary<string, (DateTimeOffset CreatedAt, DateTimeOffset ReceivedAt)> Events { get; } = new();

    /// <summary>While held, requests wait unanswered: deliveries pile up in the server's queue.</summary>
    public void Hold() => _open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Release() => _open.TrySetResult();

    public string Url => _app.Urls.First() + "/hooks";

    public static async Task<Receiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var receiver = new Receiver(app);
        receiver.Release();
        app.MapPost("/hooks", async (HttpContext http) =>
        {
            await receiver._open.Task;
            var received = DateTimeOffset.UtcNow;
            using var body = await JsonDocument.ParseAsync(http.Request.Body);
            var createdAt = body.RootElement.GetProperty("created_at").GetDateTimeOffset();
            receiver.Events.TryAdd(http.Request.Headers["webhook-id"].ToString(), (createdAt, received));
            return Results.NoContent();
        });
        await app.StartAsync();
        return receiver;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
