using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.EntityFrameworkCore;
using Parley.Server.Tests.Contract;
using Parley.Server.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Parley.Server.Tests.Features.OpenAiCompatible;

/// <summary>The server on Kestrel, on a loopback port of its own, for clients that run in another process.</summary>
public sealed class KestrelParleyApp : ParleyApp
{
    public KestrelParleyApp()
    {
        Port = FreePort();
        UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, Port));
    }

    public int Port { get; }

    public string Url => $"http://127.0.0.1:{Port}";

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>
/// The official <c>openai</c> npm package (tests/openai-node, installed by <c>npm ci</c> in test.sh) runs
/// tests/openai-node/chat.mjs against the real server: models, a plain and a streamed completion, a follow-up with the
/// whole history resent, a wrong key and an unknown bot.
/// </summary>
[Trait(Storage.Trait, Storage.Independent)]
public sealed class OpenAiNodeClientTests(ITestOutputHelper output)
{
    [Fact]
    public async Task NodeSdk_ModelsPlainStreamedFollowUpAndErrors_AllAsTheProtocolSays()
    {
        var directory = RepositoryFiles.PathOf("tests/openai-node");
        Assert.True(Directory.Exists(Path.Combine(directory, "node_modules", "openai")),
            "The openai npm package is not installed: run `npm ci` in tests/openai-node (./test.sh does).");
        var app = new KestrelParleyApp();
        try
        {
            app.StartServer();
            var bot = await app.Client().CreateBotAsync("Node support");

            var (exitCode, stdout, stderr) = await RunNodeAsync(directory, app.Url, bot);

            output.WriteLine(stdout);
            output.WriteLine(stderr);
            Assert.True(exitCode == 0, $"node exited with {exitCode}:\n{stdout}\n{stderr}");
            var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal("all steps passed", lines[^1]);
            Assert.Contains(lines, l => l.StartsWith("wrong key: 401 invalid_api_key", StringComparison.Ordinal));
            Assert.Contains(lines, l => l.StartsWith("unknown bot: 404 model_not_found", StringComparison.Ordinal));
            var conversationId = lines.Single(l => l.StartsWith("conversation: ", StringComparison.Ordinal))["conversation: ".Length..];

            // Three turns sent with the history growing each time: the greeting and each message stored once.
            var stored = await app.DbAsync(db => db.Messages.IgnoreQueryFilters().CountAsync(m => m.ConversationId == conversationId));
            Assert.Equal(7, stored);
        }
        finally
        {
            await ((IAsyncLifetime)app).DisposeAsync();
        }
    }

    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunNodeAsync(string directory, string url, string bot)
    {
        var start = new ProcessStartInfo("node", "chat.mjs")
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment = { ["PARLEY_URL"] = url, ["PARLEY_KEY"] = ParleyApp.OwnerKey, ["PARLEY_BOT"] = bot },
        };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("node did not finish within 60 s:\n" + await stdout + await stderr);
        }
        return (process.ExitCode, await stdout, await stderr);
    }
}
