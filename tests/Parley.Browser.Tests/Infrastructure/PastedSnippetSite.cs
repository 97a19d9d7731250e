using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Parley.Browser.Tests.Infrastructure;

/// <summary>
/// A business's own web site: a second HTTP server on a loopback port of its own (another origin than Parley's),
/// serving one page with whatever snippet was pasted into it before <c>&lt;/body&gt;</c>.
/// </summary>
public sealed class PastedSnippetSite : IAsyncDisposable
{
    private readonly WebApplication _app;

    private PastedSnippetSite(WebApplication app) => _app = app;

    public string Origin { get; private set; } = "";

    /// <summary>What the page has before <c>&lt;/body&gt;</c>.</summary>
    public string Snippet { get; set; } = "";

    public static async Task<PastedSnippetSite> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var site = new PastedSnippetSite(app);
        app.MapGet("/", () => Results.Content(
            $"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Corner Bakery</title></head><body><main><h1>Corner Bakery</h1><p>Fresh bread daily.</p></main>{site.Snippet}</body></html>",
            "text/html; charset=utf-8"));
        await app.StartAsync();
        site.Origin = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return site;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
