using Parley.Engine.Flows;
using Parley.Engine.Responders;
using Parley.Engine.Turns;

namespace Parley.Engine.Tests.Flows;

/// <summary>What the flow runner tests share: a responder that echoes, a host that records, and a small graph builder.</summary>
internal static class FlowTestKit
{
    public static readonly DateTimeOffset Now = new(2026, 11, 24, 10, 0, 0, TimeSpan.Zero);

    public static FlowContext Context(string? businessHours = null) => new(
        new BotProfile("bot_1", "Bot", null, null, "fallback"), "conv_1", "ct_1", Now,
        new Dictionary<string, string> { ["plan"] = "pro" }, "https://shop.example/pricing",
        new Dictionary<string, string> { ["utm_source"] = "ads" }, businessHours, []);

    public static string Node(string id, string type, string settings = "{}") =>
        $$"""{"id": "{{id}}", "type": "{{type}}", "position": {"x": 0, "y": 0}, "settings": {{settings}}}""";

    public static string Edge(string from, string port, string to) =>
        $$$"""{"id": "{{{from}}}-{{{port}}}", "from": {"node": "{{{from}}}", "port": "{{{port}}}"}, "to": {"node": "{{{to}}}"}}""";

    public static FlowGraph Graph(string start, string[] nodes, string[] edges, string variables = "{}") =>
        FlowGraph.Parse($$"""{"start": "{{start}}", "variables": {{variables}}, "nodes": [{{string.Join(",", nodes)}}], "edges": [{{string.Join(",", edges)}}]}""");
}

/// <summary>Answers every AI block with "AI: " and the visitor's text, and keeps what it was asked.</summary>
internal sealed class EchoResponder : IResponder
{
    public List<ResponderRequest> Requests { get; } = [];

    public ValueTask<ResponderReply> RespondAsync(ResponderRequest request, CancellationToken cancellationToken)
    {
        Requests.Add(request);
        return ValueTask.FromResult(new ResponderReply("AI: " + request.UserText, []));
    }
}

/// <summary>A flow host that records every call and answers with what the test set.</summary>
internal sealed class RecordingFlowHost : IFlowHost
{
    public List<FlowHttpRequest> Calls { get; } = [];
    public FlowHttpResponse Response { get; set; } = new(200, "{}");
    public List<FlowLead> Leads { get; } = [];
    public string? LeadId { get; set; } = "lead_1";
    public List<FlowSlot> Slots { get; set; } = [];
    public List<(DateTimeOffset From, DateTimeOffset To)> SlotQueries { get; } = [];
    public List<FlowBooking> Bookings { get; } = [];
    public FlowBookingResult Booking { get; set; } = new("bk_1", null);

    public ValueTask<FlowHttpResponse> SendAsync(FlowHttpRequest request, CancellationToken cancellationToken)
    {
        Calls.Add(request);
        return ValueTask.FromResult(Response);
    }

    public ValueTask<string?> CaptureLeadAsync(FlowContext context, FlowLead lead, CancellationToken cancellationToken)
    {
        Leads.Add(lead);
        return ValueTask.FromResult(LeadId);
    }

    public ValueTask<IReadOnlyList<FlowSlot>> FreeSlotsAsync(FlowContext context, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        SlotQueries.Add((from, to));
        return ValueTask.FromResult<IReadOnlyList<FlowSlot>>(Slots);
    }

    public ValueTask<FlowBookingResult> BookAsync(FlowContext context, FlowBooking booking, CancellationToken cancellationToken)
    {
        Bookings.Add(booking);
        return ValueTask.FromResult(Booking);
    }
}
