using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Parley.Browser.Tests.Infrastructure;

/// <summary>
/// A real webhook receiver on Kestrel: created down (nothing listens on its port) and started when a test says so,
/// answering every POST with 200 and a short body.
/// </summary>
public sealed class HookReceiver : IAsyncDisposable
{
    public const string Answer = "received by the CRM";
    private WebApplication? _app;

    public HookReceiver()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        Port = ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    public int Port { get; }
    public string Url => $"http://127.0.0.1:{Port}/hooks";
    public int Received { get; private set; }

    public async Task StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, Port));
        _app = builder.Build();
        _app.MapPost("/hooks", () =>
        {
            Received++;
            return Results.Text(Answer);
        });
        await _app.StartAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }
}
