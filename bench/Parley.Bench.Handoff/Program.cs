using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;

// Visitor → agent → visitor over a live handoff: the time from a visitor's message (POST .../messages, from the widget
// session) until the agent's conversation stream (what the dashboard's conversation view listens to) delivers it, and
// from the agent's reply (POST .../agent-messages) until the visitor's stream (what the widget listens to) delivers it.
// One round trip at a time, so each figure is the latency of an idle path, not of a loaded one.
// Usage: Parley.Bench.Handoff <url> <secret key file> [round trips] [warm-up round trips]
var url = args.Length > 0 ? args[0].TrimEnd('/') : "http://127.0.0.1:5080";
var key = (await File.ReadAllTextAsync(args.Length > 1 ? args[1] : "data/admin-key.txt")).Trim();
var roundTrips = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 300;
var warmUp = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 50;
const string Site = "https://bench.example";

using var owner = Client(key);
var bot = await PostAsync(owner, "/v1/bots", new { name = "Handoff bench" });
string[] origins = [Site];
string[] agentScopes = ["agent"];
var publishable = await PostAsync(owner, "/v1/api-keys", new { name = "bench site", kind = "publishable", bot_id = bot["id"]!.ToString(), allowed_origins = origins });
var agentKey = await PostAsync(owner, "/v1/api-keys", new { name = "bench agent", scopes = agentScopes });
using var site = Client(publishable["publishable_key"]!.ToString(), Site);
var session = await PostAsync(site, "/v1/widget/sessions", new { });
var conversationId = session["conversation"]!["id"]!.ToString();
using var visitor = Client(session["session_token"]!.ToString(), Site);
using var agent = Client(agentKey["secret"]!.ToString());
await PostAsync(owner, $"/v1/conversations/{conversationId}/handoff", new { });
await PostAsync(agent, $"/v1/conversations/{conversationId}/claim", new { });

using var stop = new CancellationTokenSource();
var agentScreen = Listen(agent, conversationId, stop.Token);
var visitorScreen = Listen(visitor, conversationId, stop.Token);
await Task.WhenAll(agentScreen.Opened.Task, visitorScreen.Opened.Task);

var toAgent = new List<double>();
var toVisitor = new List<double>();
for (var i = 0; i < warmUp + roundTrips; i++)
{
    var question = $"visitor {i} {Guid.NewGuid():N}";
    var clock = Stopwatch.StartNew();
    var sent = visitor.PostAsJsonAsync($"/v1/conversations/{conversationId}/messages", new { text = question });
    await agentScreen.WaitForAsync(question);
    var heard = clock.Elapsed.TotalMilliseconds;
    (await sent).EnsureSuccessStatusCode();

    var answer = $"agent {i} {Guid.NewGuid():N}";
    clock.Restart();
    var replied = agent.PostAsJsonAsync($"/v1/conversations/{conversationId}/agent-messages", new { text = answer });
    await visitorScreen.WaitForAsync(answer);
    var answered = clock.Elapsed.TotalMilliseconds;
    (await replied).EnsureSuccessStatusCode();
    if (i >= warmUp)
    {
        toAgent.Add(heard);
        toVisitor.Add(answered);
    }
}
await stop.CancelAsync();

Console.WriteLine($"{roundTrips} round trips after {warmUp} of warm-up, one at a time, against {url}");
Report("visitor message → agent's stream", toAgent);
Report("agent reply → visitor's stream", toVisitor);
Report("round trip", [.. toAgent.Zip(toVisitor, (a, b) => a + b)]);
return 0;

static void Report(string what, List<double> milliseconds)
{
    var sorted = milliseconds.Order().ToList();
    // Nearest rank.
    double At(double p) => sorted[Math.Max(0, (int)Math.Ceiling(p / 100 * sorted.Count) - 1)];
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{what}: p50 {At(50):F1} ms, p99 {At(99):F1} ms, max {sorted[^1]:F1} ms"));
}

HttpClient Client(string bearer, string? origin = null)
{
    var client = new HttpClient { BaseAddress = new Uri(url), Timeout = Timeout.InfiniteTimeSpan };
    client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
    if (origin is not null)
    {
        client.DefaultRequestHeaders.Add("Origin", origin);
    }
    return client;
}

static async Task<JsonNode> PostAsync(HttpClient client, string path, object body)
{
    var response = await client.PostAsJsonAsync(path, body);
    var text = await response.Content.ReadAsStringAsync();
    return response.IsSuccessStatusCode ? JsonNode.Parse(text)! : throw new InvalidOperationException($"POST {path}: {(int)response.StatusCode} {text}");
}

static StreamListener Listen(HttpClient client, string conversationId, CancellationToken stop)
{
    var listener = new StreamListener();
    _ = Task.Run(async () =>
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/conversations/{conversationId}/stream");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, stop);
        response.EnsureSuccessStatusCode();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(stop));
        while (await reader.ReadLineAsync(stop) is { } line)
        {
            // The server opens with a comment naming the stream, once it follows the conversation.
            listener.Opened.TrySetResult();
            if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                listener.Lines.Writer.TryWrite(line);
            }
        }
    }, stop);
    return listener;
}

/// <summary>The data lines one stream delivered, in order.</summary>
sealed class StreamListener
{
    public Channel<string> Lines { get; } = Channel.CreateUnbounded<string>();

    public TaskCompletionSource Opened { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Waits for the line that carries <paramref name="text"/>, passing over the ones before it.</summary>
    public async Task WaitForAsync(string text)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            var line = await Lines.Reader.ReadAsync(timeout.Token);
            if (line.Contains(text, StringComparison.Ordinal))
            {
                return;
            }
        }
    }
}
