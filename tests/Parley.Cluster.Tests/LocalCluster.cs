using System.Diagnostics;
using System.Net.Http.Headers;
using Parley.Server.Tests.Contract;

namespace Parley.Cluster.Tests;

/// <summary>
/// Three Parley nodes on one PostgreSQL behind nginx, started and stopped with <c>scripts/cluster.sh</c> exactly as a
/// user would, in a folder and on ports of their own.
/// </summary>
public sealed class LocalCluster : IAsyncLifetime
{
    public const int Nodes = 3;

    private readonly string _stateDirectory = Path.Combine(Path.GetTempPath(), "parley-cluster-tests", Guid.NewGuid().ToString("N"));
    private readonly int _port = 20000 + Random.Shared.Next(90) * 100;

    public string Url { get; private set; } = "";
    public string OwnerKey { get; private set; } = "";

    public string NodeUrl(int node) => $"http://127.0.0.1:{_port + node}";

    public async Task InitializeAsync()
    {
        await ScriptAsync($"up {Nodes}", TimeSpan.FromMinutes(3));
        Url = (await File.ReadAllTextAsync(Path.Combine(_stateDirectory, "url"))).Trim();
        OwnerKey = (await File.ReadAllTextAsync(Path.Combine(_stateDirectory, "owner-key"))).Trim();
    }

    public async Task DisposeAsync()
    {
        await ScriptAsync("down", TimeSpan.FromMinutes(1));
    }

    /// <summary>An HTTP client for the load balancer (or one node) with the owner key.</summary>
    public HttpClient Client(string? baseUrl = null) => new()
    {
        BaseAddress = new Uri(baseUrl ?? Url),
        Timeout = TimeSpan.FromSeconds(30),
        DefaultRequestHeaders = { Authorization = new AuthenticationHeaderValue("Bearer", OwnerKey) },
    };

    // Longer than the script's own 10 s wait for the node to be gone, so that its message is what a failure shows.
    public Task KillAsync(int node) => ScriptAsync($"kill {node}", TimeSpan.FromSeconds(20));

    /// <summary>SIGTERM to node <paramref name="node"/>, returning once it has exited; the script's output says after how long.</summary>
    public Task<string> StopAsync(int node) => ScriptAsync($"stop {node}", TimeSpan.FromMinutes(1));

    public Task StartAsync(int node) => ScriptAsync($"start {node}", TimeSpan.FromMinutes(1));

    public Task KillRedisAsync() => ScriptAsync("kill redis", TimeSpan.FromSeconds(10));

    public Task StartRedisAsync() => ScriptAsync("start redis", TimeSpan.FromSeconds(30));

    public Task StopPostgresAsync() => ScriptAsync("stop postgres", TimeSpan.FromSeconds(30));

    public Task StartPostgresAsync() => ScriptAsync("start postgres", TimeSpan.FromSeconds(60));

    public async Task AssertNodeDownAsync(int node)
    {
        using var probe = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => probe.GetAsync(NodeUrl(node) + "/readyz"));
    }

    /// <summary>The state of a component of node <paramref name="node"/>'s <c>/status</c> (<c>operational</c>, <c>degraded</c>…).</summary>
    public async Task<string?> ComponentStatusAsync(int node, string component)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        using var request = new HttpRequestMessage(HttpMethod.Get, NodeUrl(node) + "/status") { Headers = { { "Accept", "application/json" } } };
        using var response = await http.SendAsync(request);
        var status = System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        return status["components"]!.AsArray().FirstOrDefault(c => c!["name"]!.GetValue<string>() == component)?["status"]?.GetValue<string>();
    }

    /// <summary>Polls <paramref name="condition"/> until it holds, or fails with <paramref name="what"/> after <paramref name="within"/>.</summary>
    public static async Task EventuallyAsync(Func<Task<bool>> condition, TimeSpan within, string what)
    {
        var deadline = DateTime.UtcNow + within;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Not within {within.TotalSeconds} s: {what}.");
            await Task.Delay(100);
        }
    }

    public async Task<string> ScriptAsync(string arguments, TimeSpan timeout)
    {
        var start = new ProcessStartInfo("bash", $"{RepositoryFiles.PathOf("scripts/cluster.sh")} {arguments}")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment =
            {
                ["PARLEY_CLUSTER_DIR"] = _stateDirectory,
                ["PARLEY_CLUSTER_PORT"] = _port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                // Every load here sends with the owner key, and goes on as long as its fault lasts: the key's limit (600 a
                // minute, shared through Redis) is not what these tests are about, and a 429 would fail them.
                ["Parley__RateLimits__SecretKeyPerMinute"] = "100000",
            },
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        await process.WaitForExitAsync(cancel.Token);
        Assert.True(process.ExitCode == 0, $"scripts/cluster.sh {arguments} failed ({process.ExitCode}):\n{await output}\n{await errors}");
        return await output;
    }
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<LocalCluster>
{
    public const string Name = "cluster";
}
