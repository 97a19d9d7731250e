using System.Text.Json;

namespace Parley.Client.Models;

/// <summary>
/// A bot's draft flow (null before one is saved), who saved it last and when (a user's or key's name), and the number
/// of its live version (null before the first publish).
/// </summary>
public sealed record FlowDraftResponse(
    string BotId, JsonElement? Draft, int? PublishedVersion, DateTimeOffset UpdatedAt, string? DraftUpdatedBy = null, DateTimeOffset? DraftUpdatedAt = null);

/// <summary>One published, immutable version of a bot's flow.</summary>
public sealed record FlowVersionResponse(string BotId, int Version, DateTimeOffset PublishedAt, JsonElement Flow);

public sealed record FlowVersionSummary(int Version, DateTimeOffset PublishedAt);

/// <summary>Every published version, newest first.</summary>
public sealed record FlowVersionList(IReadOnlyList<FlowVersionSummary> Data);

/// <summary>
/// One step of a test run: without <paramref name="State"/> the flow starts; then the previous step's state with the
/// visitor's <paramref name="Text"/> or <paramref name="Choice"/>. Without <paramref name="Flow"/> the saved draft runs.
/// </summary>
public sealed record FlowTestRunRequest(JsonElement? Flow, JsonElement? State, string? Text, string? Choice);

/// <summary>What one step of a test run produced; nothing of it is stored.</summary>
public sealed record FlowTestRunResponse(
    IReadOnlyList<FlowTestRunMessage> Messages, JsonElement State, string? ActiveNode, bool Finished, string? Handoff, IReadOnlyList<string> Notes);

public sealed record FlowTestRunMessage(string Text, IReadOnlyList<QuickReplyResponse> QuickReplies);

/// <summary>A flow template in the gallery, with a preview small enough to draw on a card.</summary>
public sealed record FlowTemplateSummary(string Id, string Name, string Description, int BlockCount, FlowTemplatePreview Preview);

/// <summary>A template's blocks in order with their canvas positions, and what connects to what.</summary>
public sealed record FlowTemplatePreview(IReadOnlyList<FlowTemplatePreviewBlock> Blocks, IReadOnlyList<FlowTemplatePreviewEdge> Edges);

public sealed record FlowTemplatePreviewBlock(string Id, string Type, double X, double Y);

public sealed record FlowTemplatePreviewEdge(string From, string To);

public sealed record FlowTemplateList(IReadOnlyList<FlowTemplateSummary> Data);

/// <summary>A template with its whole graph, as <c>SaveFlowDraftAsync</c> takes it.</summary>
public sealed record FlowTemplateResponse(string Id, string Name, string Description, int BlockCount, JsonElement Flow);
