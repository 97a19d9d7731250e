using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using Parley.Bench.Portability;

// Generates a workspace with N messages in a fresh SQLite database, then measures, each as its own process of the
// real server binary: the full archive export (`export` command), the streaming endpoint's time to first byte
// (`GET /v1/export/messages.ndjson` on a running server), and the import of that archive into an empty database
// (`import` command). Peak memory is the process's maximum resident set size, as GNU time reports it for the
// commands and as /proc/<pid>/status VmHWM says for the server.
//   dotnet run -c Release --project bench/Parley.Bench.Portability -- [--messages 1000000] [--runs 3] [--server <Parley.Server.dll>] [--keep]
var messages = 1_000_000;
var runs = 3;
var server = Path.GetFullPath("src/Parley.Server/bin/Release/net10.0/Parley.Server.dll");
var keep = false;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--messages": messages = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--runs": runs = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--server": server = Path.GetFullPath(args[++i]); break;
        case "--keep": keep = true; break;
        default: throw new ArgumentException($"Unknown argument {args[i]}.");
    }
}
if (!File.Exists(server))
{
    Console.Error.WriteLine($"Build the server first: {server} is missing (dotnet build src/Parley.Server -c Release).");
    return 2;
}

var root = Path.Combine(Path.GetTempPath(), $"parley-bench-portability-{Environment.ProcessId}");
var source = Path.Combine(root, "source");
Directory.CreateDirectory(source);
try
{
    Console.WriteLine($"Generating {messages:N0} messages in {source}");
    var generator = new WorkspaceGenerator($"Data Source={Path.Combine(source, "parley.db")}");
    await generator.GenerateAsync(messages, messagesPerConversation: 20, Console.Out);
    Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();

    var archive = Path.Combine(root, "backup.zip");
    var exports = new List<Measured>();
    for (var run = 1; run <= runs; run++)
    {
        File.Delete(archive);
        var measured = await TimedCommandAsync(server, source, ["export", "--out", archive, "--quiet"]);
        Console.WriteLine($"export run {run}: {measured}, archive {new FileInfo(archive).Length / 1024.0 / 1024.0:0.0} MB");
        exports.Add(measured);
    }

    var streams = await StreamingAsync(server, source, runs);

    var imports = new List<Measured>();
    for (var run = 1; run <= runs; run++)
    {
        var target = Path.Combine(root, $"import-{run}");
        var measured = await TimedCommandAsync(server, target, ["import", archive, "--quiet"]);
        Console.WriteLine($"import run {run}: {measured}");
        imports.Add(measured);
        if (!keep)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(target, recursive: true);
        }
    }

    Console.WriteLine();
    Console.WriteLine($"| measure ({messages:N0} messages, median of {runs}) | figure | target |");
    Console.WriteLine("|---|---|---|");
    Console.WriteLine($"| full archive export (`export` command) | {Median(exports, m => m.Seconds):0.0} s (runs: {string.Join(", ", exports.Select(m => m.Seconds.ToString("0.0", CultureInfo.InvariantCulture)))}) | ≤ 60 s |");
    Console.WriteLine($"| export peak memory (max RSS) | {Median(exports, m => m.PeakMegabytes):0} MB | ≤ 256 MB |");
    Console.WriteLine($"| `GET /v1/export/messages.ndjson` time to first byte | {Median(streams, s => s.FirstByteMs):0} ms (runs: {string.Join(", ", streams.Select(s => s.FirstByteMs.ToString("0", CultureInfo.InvariantCulture)))}) | ≤ 1 s |");
    Console.WriteLine($"| … whole stream | {Median(streams, s => s.TotalSeconds):0.0} s for {streams[0].Bytes / 1024.0 / 1024.0:0} MB | |");
    Console.WriteLine($"| server peak memory after the streams (VmHWM) | {streams.Max(s => s.ServerPeakMegabytes):0} MB | ≤ 256 MB |");
    Console.WriteLine($"| import into an empty database (`import` command) | {Median(imports, m => m.Seconds):0.0} s (runs: {string.Join(", ", imports.Select(m => m.Seconds.ToString("0.0", CultureInfo.InvariantCulture)))}) | ≤ 120 s |");
    Console.WriteLine($"| import peak memory (max RSS) | {Median(imports, m => m.PeakMegabytes):0} MB | ≤ 256 MB |");
    return 0;
}
finally
{
    if (!keep)
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(root, recursive: true);
    }
}

static double Median<T>(IEnumerable<T> items, Func<T, double> value)
{
    var sorted = items.Select(value).Order().ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
}

static ProcessStartInfo ServerProcess(string file, string server, string dataDirectory, IEnumerable<string> args)
{
    var start = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
    start.Environment["Parley__DataDirectory"] = dataDirectory;
    start.Environment["Parley__Database__Provider"] = "sqlite";
    start.Environment["ConnectionStrings__Parley"] = $"Data Source={Path.Combine(dataDirectory, "parley.db")}";
    start.Environment["Parley__RateLimits__SecretKeyPerMinute"] = "100000000";
    if (file != "dotnet")
    {
        start.ArgumentList.Add("dotnet");
    }
    start.ArgumentList.Add(server);
    foreach (var arg in args)
    {
        start.ArgumentList.Add(arg);
    }
    return start;
}

// GNU time prints "<elapsed seconds> <max RSS KB>" as the last line of standard error.
static async Task<Measured> TimedCommandAsync(string server, string dataDirectory, string[] command)
{
    var start = ServerProcess("/usr/bin/time", server, dataDirectory, command);
    start.ArgumentList.Insert(0, "%e %M");
    start.ArgumentList.Insert(0, "-f");
    using var process = Process.Start(start)!;
    var output = process.StandardOutput.ReadToEndAsync();
    var error = process.StandardError.ReadToEndAsync();
    await process.WaitForExitAsync();
    var lines = (await error).Split('\n', StringSplitOptions.RemoveEmptyEntries);
    if (process.ExitCode != 0)
    {
        throw new InvalidOperationException($"{string.Join(' ', command)} failed ({process.ExitCode}): {await output}{string.Join('\n', lines)}");
    }
    var figures = lines[^1].Split(' ');
    return new Measured(double.Parse(figures[0], CultureInfo.InvariantCulture), long.Parse(figures[1], CultureInfo.InvariantCulture) / 1024.0);
}

static async Task<List<Streamed>> StreamingAsync(string server, string dataDirectory, int runs)
{
    int port;
    using (var probe = new TcpListener(IPAddress.Loopback, 0))
    {
        probe.Start();
        port = ((IPEndPoint)probe.LocalEndpoint).Port;
    }
    var url = $"http://127.0.0.1:{port}";
    using var process = Process.Start(ServerProcess("dotnet", server, dataDirectory, ["--urls", url]))!;
    _ = process.StandardOutput.ReadToEndAsync();
    _ = process.StandardError.ReadToEndAsync();
    var results = new List<Streamed>();
    try
    {
        using var client = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromMinutes(10) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", WorkspaceGenerator.OwnerToken);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                if ((await client.GetAsync("/healthz")).IsSuccessStatusCode)
                {
                    break;
                }
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
            }
            await Task.Delay(200);
        }
        var buffer = new byte[1 << 16];
        for (var run = 1; run <= runs; run++)
        {
            var clock = Stopwatch.StartNew();
            using var response = await client.GetAsync("/v1/export/messages.ndjson", HttpCompletionOption.ResponseHeadersRead);
            response.EnsureSuccessStatusCode();
            await using var body = await response.Content.ReadAsStreamAsync();
            var read = await body.ReadAsync(buffer);
            var firstByte = clock.Elapsed.TotalMilliseconds;
            long bytes = read;
            while ((read = await body.ReadAsync(buffer)) > 0)
            {
                bytes += read;
            }
            var streamed = new Streamed(firstByte, clock.Elapsed.TotalSeconds, bytes, PeakMegabytes(process.Id));
            Console.WriteLine($"stream run {run}: first byte {streamed.FirstByteMs:0} ms, {bytes / 1024.0 / 1024.0:0} MB in {streamed.TotalSeconds:0.0} s, server VmHWM {streamed.ServerPeakMegabytes:0} MB");
            results.Add(streamed);
        }
    }
    finally
    {
        process.Kill();
        await process.WaitForExitAsync();
    }
    return results;
}

static double PeakMegabytes(int pid) =>
    File.ReadLines($"/proc/{pid}/status").Where(l => l.StartsWith("VmHWM:", StringComparison.Ordinal))
        .Select(l => long.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0).Single();

internal sealed record Measured(double Seconds, double PeakMegabytes)
{
    public override string ToString() => $"{Seconds:0.0} s, peak {PeakMegabytes:0} MB";
}

internal sealed record Streamed(double FirstByteMs, double TotalSeconds, long Bytes, double ServerPeakMegabytes);
