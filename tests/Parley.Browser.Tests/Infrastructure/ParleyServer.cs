using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Parley.Data;
using Parley.Engine.Responders;

namespace Parley.Browser.Tests.Infrastructure;

/// <summary>
/// The real server on Kestrel, on a loopback port of its own and a temporary data directory (SQLite). It listens on
/// 127.0.0.1, the origin the demo key allows, and on 127.0.0.2, the same server seen from an origin the key does not allow.
/// The bot answers through <see cref="ScriptedResponder"/>, the stand-in for a model.
/// </summary>
public sealed class ParleyServer : WebApplicationFactory<Program>
{
    public const string OwnerKey = "sk_browserTestOwnerKey00000000000000";
    public static readonly IPAddress OtherOrigin = IPAddress.Parse("127.0.0.2");
    private readonly Dictionary<string, string> _settings = new()
    {
        // Every test opens sessions from the same address; the per-IP limit is tested in the HTTP suite.
        ["Parley:RateLimits:WidgetSessionsPerMinutePerIp"] = "10000",
        ["Parley:RateLimits:WidgetMessagesPerMinute"] = "10000",
        ["Parley:RateLimits:WidgetReadsPerMinute"] = "10000",
    };

    public ParleyServer(string? dataDirectory = null, int? port = null)
    {
        DataDirectory = dataDirectory ?? Path.Combine(Path.GetTempPath(), "parley-browser-tests", Guid.NewGuid().ToString("N"));
        Port = port ?? FreePort();
        UseKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, Port);
            kestrel.Listen(OtherOrigin, Port);
        });
    }

    public string DataDirectory { get; }
    public int Port { get; }

    /// <summary>False for a server whose bots answer with the real built-in answerer from their knowledge.</summary>
    public bool ScriptedAnswers { get; init; } = true;
    public string Url => $"http://127.0.0.1:{Port}";
    public string OtherOriginUrl => $"http://{OtherOrigin}:{Port}";

    /// <summary>Overrides a setting before the server starts (for example a low rate limit).</summary>
    public ParleyServer With(string key, string value)
    {
        _settings[key] = value;
        return this;
    }

    /// <summary>Starts the server (migrations and seeding included) and returns once it listens.</summary>
    public ParleyServer Start()
    {
        StartServer();
        return this;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Parley:DataDirectory", DataDirectory);
        builder.UseSetting("Parley:Bootstrap:ApiKey", OwnerKey);
        builder.UseSetting("Parley:Bootstrap:DemoOrigins:0", Url);
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
        if (PublishedDashboard.Directory is { } published)
        {
            builder.ConfigureServices(services => services.AddSingleton<IStartupFilter>(new PublishedDashboard(published)));
        }
        if (ScriptedAnswers)
        {
            builder.ConfigureTestServices(services => services.AddSingleton<IResponder, ScriptedResponder>());
        }
    }

    /// <summary>Runs a query on the database, across workspaces.</summary>
    public async Task<T> DbAsync<T>(Func<ParleyDbContext, Task<T>> query)
    {
        await using var scope = Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<ParleyDbContext>());
    }

    /// <summary>How many stored messages, in any conversation, have exactly this text.</summary>
    public async Task<int> CountMessagesAsync(string text) => (await MessagesWithTextAsync(text)).Count;

    /// <summary>
    /// The stored messages with one of these texts, in id order. Message text is encrypted at rest, so it is compared
    /// after reading, never in SQL.
    /// </summary>
    public async Task<List<(string Id, string ConversationId, string Text)>> MessagesWithTextAsync(params string[] texts)
    {
        var all = await DbAsync(db => db.Messages.IgnoreQueryFilters().OrderBy(m => m.Id).Select(m => new { m.Id, m.ConversationId, m.Text }).ToListAsync());
        return [.. all.Where(m => texts.Contains(m.Text)).Select(m => (m.Id, m.ConversationId, m.Text))];
    }

    public void DeleteData()
    {
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    // A port in 5200-5299 that nothing listens on now, so a restarted server can take the same one again.
    private static int FreePort()
    {
        for (var port = 5200 + Random.Shared.Next(100); ; port = 5200 + (port - 5199) % 100)
        {
            try
            {
                using var probe = new TcpListener(IPAddress.Loopback, port);
                probe.Start();
                using var other = new TcpListener(OtherOrigin, port);
                other.Start();
                return port;
            }
            catch (SocketException)
            {
            }
        }
    }
}
