using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Parley.Bench.Webhooks;

// Webhook delivery benchmark: latency from the event's commit to its receipt, and deliveries per second,
// against a running server (started with Parley__Network__AllowPrivateTargets=true so it may call loopback).
var url = Arg("--url") ?? "http://127.0.0.1:5080";
var key = Arg("--key") ?? File.ReadAllText(Arg("--key-file") ?? "data/admin-key.txt").Trim();
var conversations = int.Parse(Arg("--conversations") ?? "2000", CultureInfo.InvariantCulture);
var concurrency = int.Parse(Arg("--concurrency") ?? "16", CultureInfo.InvariantCulture);
// --backlog: the receiver holds every request until all events are committed, then the queue drains at full speed.
var backlog = args.Contains("--backlog");

using var http = new HttpClient { BaseAddress = new Uri(url) };
http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
await using var receiver = await Receiver.StartAsync();

var bots = await http.GetFromJsonAsync<JsonElement>("/v1/bots?limit=1");
var botId = bots.GetProperty("data")[0].GetProperty("id").GetString();
var endpoint = await (await http.PostAsJsonAsync("/v1/webhook-endpoints", new { url = receiver.Url, events = AllEvents }))
    .EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>();
var endpointId = endpoint.GetProperty("id").GetString();

// Each conversation start commits two events: conversation.started and the greeting's message.created.
var expected = conversations * 2;
if (backlog)
{
    receiver.Hold();
}
var started = Stopwatch.StartNew();
var next = 0;
await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
{
    while (Interlocked.Increment(ref next) <= conversations)
    {
        (await http.PostAsJsonAsync("/v1/conversations", new { bot_id = botId })).EnsureSuccessStatusCode();
    }
}));
var produced = started.Elapsed;
var released = DateTimeOffset.UtcNow;
receiver.Release();
var deadline = DateTime.UtcNow.AddMinutes(2);
while (receiver.Events.Count < expected && DateTime.UtcNow < deadline)
{
    await Task.Delay(10);
}
var drained = started.Elapsed;
await http.DeleteAsync($"/v1/webhook-endpoints/{endpointId}");

var latencies = receiver.Events.Values.Select(e => (e.ReceivedAt - e.CreatedAt).TotalMilliseconds).Order().ToArray();
var first = backlog ? released : receiver.Events.Values.Min(e => e.CreatedAt);
var last = receiver.Events.Values.Max(e => e.ReceivedAt);
double Percentile(double p) => latencies[Math.Min(latencies.Length - 1, (int)Math.Ceiling(p / 100 * latencies.Length) - 1)];

Console.WriteLine($"events committed   {expected} in {produced.TotalSeconds:0.00} s ({expected / produced.TotalSeconds:0} events/s)");
Console.WriteLine($"delivered          {receiver.Events.Count} of {expected}, all received {drained.TotalSeconds:0.00} s after the start");
Console.WriteLine($"delivery rate      {receiver.Events.Count / (last - first).TotalSeconds:0} deliveries/s ({(backlog ? "queue released" : "first event created")} to last received)");
Console.WriteLine($"commit -> receipt  p50 {Percentile(50):0.0} ms, p95 {Percentile(95):0.0} ms, p99 {Percentile(99):0.0} ms, max {latencies[^1]:0.0} ms");
Console.WriteLine(JsonSerializer.Serialize(new
{
    conversations, concurrency, backlog, expected, delivered = receiver.Events.Count,
    deliveries_per_s = Math.Round(receiver.Events.Count / (last - first).TotalSeconds),
    p50_ms = Math.Round(Percentile(50), 1), p95_ms = Math.Round(Percentile(95), 1), p99_ms = Math.Round(Percentile(99), 1),
}));
return receiver.Events.Count == expected ? 0 : 1;

string? Arg(string name)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
}

internal static partial class Program
{
    private static readonly string[] AllEvents = ["*"];
}
