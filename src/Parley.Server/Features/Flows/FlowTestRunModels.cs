using System.Text.Json;
using Parley.Server.Features.Conversations;

namespace Parley.Server.Features.Flows;

/// <summary>
/// One step of a test run. Without <c>state</c> the flow starts; with the <c>state</c> of the previous step the
/// visitor's <c>text</c> (or the <c>choice</c> of a quick reply) is given to the waiting block. Without <c>flow</c> the
/// bot's saved draft runs.
/// </summary>
public sealed record FlowTestRunRequest(JsonElement? Flow, JsonElement? State, string? Text, string? Choice);

/// <summary>
/// What one step of a test run produced: the bot's messages, the block now waiting (<c>active_node</c>, null once the
/// flow is over), the <c>state</c> to send with the next step, a handoff reason when the flow asked for a person, and
/// <c>notes</c> on what a real conversation would have done that the test run did not (leads, bookings, handoffs).
/// </summary>
public sealed record FlowTestRunResponse(
    IReadOnlyList<FlowTestRunMessage> Messages, JsonElement State, string? ActiveNode, bool Finished, string? Handoff, IReadOnlyList<string> Notes);

/// <summary>A bot message of a test run and its quick replies.</summary>
public sealed record FlowTestRunMessage(string Text, IReadOnlyList<QuickReplyResponse> QuickReplies);
