using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Docs;

/// <summary>
/// The server as a reader starts it with <c>dotnet run</c>: Kestrel on a loopback port, a fresh <c>data</c> folder in a
/// working directory of its own, the owner key generated and written to <c>data/admin-key.txt</c>, and no settings
/// beyond the demo page's origin (the docs' <c>http://localhost:5080</c> is this server's address).
/// </summary>
public sealed class DocServer : WebApplicationFactory<Program>
{
    public DocServer()
    {
        WorkingDirectory = Path.Combine(Path.GetTempPath(), "parley-doc-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(WorkingDirectory);
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            Port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }
        UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, Port));
    }

    public string WorkingDirectory { get; }
    public int Port { get; }
    public string Url => $"http://127.0.0.1:{Port}";

    /// <summary>
    /// Starts the server and waits until the demo bot's knowledge is embedded, as it is a few seconds after a reader
    /// starts it: until then the bot answers from keywords alone and offers no topics (docs/knowledge.md).
    /// </summary>
    public DocServer Start()
    {
        StartServer();
        KnowledgeVectors.WaitAsync(Services).GetAwaiter().GetResult();
        return this;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Parley:DataDirectory", Path.Combine(WorkingDirectory, "data"));
        builder.UseSetting("Parley:Bootstrap:DemoOrigins:0", Url);
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        try
        {
            Directory.Delete(WorkingDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
