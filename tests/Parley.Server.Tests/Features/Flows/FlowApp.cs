using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Parley.Engine.Flows;
using Parley.Server.Features.Flows;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Features.Flows;

/// <summary>
/// The server with private outbound targets allowed (the HTTP block calls listeners on loopback) and, until the
/// leads and bookings features are merged, in-memory stand-ins for them behind the flow seams.
/// </summary>
public class FlowApp : ParleyApp
{
    public FlowApp() => With("Parley:Network:AllowPrivateTargets", "true");

    public RecordingLeadSink Leads { get; } = new();

    public InMemoryBookingDesk Bookings { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<IFlowLeadSink>(Leads);
            services.AddSingleton<IFlowBookingDesk>(Bookings);
        });
    }
}

/// <summary>Records the leads capture-lead blocks send, giving each email one lead id.</summary>
public sealed class RecordingLeadSink : IFlowLeadSink
{
    public ConcurrentQueue<FlowLeadRequest> Received { get; } = new();

    public Task<FlowLeadCaptured> StageAsync(FlowLeadRequest request, CancellationToken cancellationToken)
    {
        Received.Enqueue(request);
        return Task.FromResult(new FlowLeadCaptured("lead_" + Math.Abs(StringComparer.Ordinal.GetHashCode(request.Email ?? request.Phone ?? "")), true, 10));
    }
}

/// <summary>Hourly slots from the next full hour, one booking each.</summary>
public sealed class InMemoryBookingDesk : IFlowBookingDesk
{
    private readonly ConcurrentDictionary<DateTimeOffset, FlowBookingRequest> _booked = new();

    public IReadOnlyDictionary<DateTimeOffset, FlowBookingRequest> Booked => _booked;

    public Task<IReadOnlyList<FlowSlot>> FreeSlotsAsync(string botId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var first = new DateTimeOffset(from.Year, from.Month, from.Day, from.Hour, 0, 0, TimeSpan.Zero).AddHours(1);
        IReadOnlyList<FlowSlot> slots = [.. Enumerable.Range(0, 5).Select(i => first.AddHours(i)).Where(s => !_booked.ContainsKey(s)).Select(s => new FlowSlot(s, s.AddHours(1)))];
        return Task.FromResult(slots);
    }

    public Task<FlowBookingResult> BookAsync(FlowBookingRequest request, CancellationToken cancellationToken) =>
        Task.FromResult(_booked.TryAdd(request.Start, request)
            ? new FlowBookingResult("bk_" + request.Start.ToUnixTimeSeconds(), null)
            : new FlowBookingResult(null, "That time has just been taken."));
}

internal static class FlowApi
{
    public static Task<HttpResponseMessage> PutFlowAsync(this HttpClient client, string botId, string json) =>
        client.PutAsync($"/v1/bots/{botId}/flow", new StringContent(json, Encoding.UTF8, "application/json"));

    public static async Task PublishAsync(this HttpClient client, string botId, string json)
    {
        await (await client.PutFlowAsync(botId, json)).JsonAsync(System.Net.HttpStatusCode.OK);
        await (await client.PostAsync($"/v1/bots/{botId}/flow/publish", null)).JsonAsync(System.Net.HttpStatusCode.Created);
    }

    public static async Task<JsonNode> ChooseAsync(this HttpClient client, string conversationId, string choice)
    {
        var response = await client.PostJsonAsync($"/v1/conversations/{conversationId}/messages", new { choice });
        return await response.JsonAsync(System.Net.HttpStatusCode.OK);
    }

    public static string[] Texts(this JsonNode node, string member = "messages") =>
        [.. node[member]!.AsArray().Select(m => (string)m!["text"]!)];

    public static string[] Choices(this JsonNode message) =>
        [.. message["quick_replies"]!.AsArray().Select(q => (string)q!["value"]!)];

    public static string Node(string id, string type, string settings = "{}") =>
        $$"""{"id": "{{id}}", "type": "{{type}}", "position": {"x": 0, "y": 0}, "settings": {{settings}}}""";

    public static string Edge(string from, string port, string to) =>
        $$$"""{"id": "{{{from}}}-{{{port}}}", "from": {"node": "{{{from}}}", "port": "{{{port}}}"}, "to": {"node": "{{{to}}}"}}""";

    public static string Flow(string start, string[] nodes, string[] edges) =>
        $$"""{"start": "{{start}}", "nodes": [{{string.Join(",", nodes)}}], "edges": [{{string.Join(",", edges)}}]}""";
}
