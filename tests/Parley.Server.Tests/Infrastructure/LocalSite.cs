using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Parley.Server.Tests.Infrastructure;

/// <summary>A real web site on a loopback port serving fixed pages: path → (content type, body), or ("redirect", target).</summary>
public sealed class LocalSite : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly int _port;
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _requested;

    private LocalSite(WebApplication app, int port, System.Collections.Concurrent.ConcurrentQueue<string> requested) =>
        (_app, _port, _requested) = (app, port, requested);

    /// <summary>The paths (with query) asked for so far, in order.</summary>
    public IReadOnlyList<string> Requested => [.. _requested];

    public string Url(string path) => $"http://127.0.0.1:{_port}{path}";

    public static async Task<LocalSite> StartAsync(IReadOnlyDictionary<string, (string ContentType, string Body)> pages)
    {
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }
        var app = LoopbackApp.Create(port);
        var requested = new System.Collections.Concurrent.ConcurrentQueue<string>();
        app.Run(async http =>
        {
            requested.Enqueue(http.Request.Path + http.Request.QueryString);
            if (!pages.TryGetValue(http.Request.Path, out var page))
            {
                http.Response.StatusCode = 404;
                return;
            }
            if (page.ContentType == "redirect")
            {
                http.Response.Redirect(page.Body);
                return;
            }
            http.Response.ContentType = page.ContentType;
            await http.Response.WriteAsync(page.Body);
        });
        await app.StartAsync();
        return new LocalSite(app, port, requested);
    }

    public ValueTask DisposeAsync() => LoopbackApp.StopAsync(_app);
}
