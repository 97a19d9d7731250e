using System.Text.Json;
using Parley.Data.Entities;

namespace Parley.Server.Features.Flows;

/// <summary>
/// A bot's flow: the draft being edited, who saved it last and when (a user's display name or a key's name), and the
/// number of the live published version.
/// </summary>
public sealed record FlowDraftResponse(
    string BotId, JsonElement? Draft, int? PublishedVersion, DateTimeOffset UpdatedAt, string? DraftUpdatedBy = null, DateTimeOffset? DraftUpdatedAt = null);

/// <summary>One published version of a bot's flow; versions never change.</summary>
public sealed record FlowVersionResponse(string BotId, int Version, DateTimeOffset PublishedAt, JsonElement Flow)
{
    public static FlowVersionResponse From(string botId, FlowVersion version) =>
        new(botId, version.Number, version.PublishedAt, FlowJson.Parse(version.Graph));
}

/// <summary>A published version in a list, without its graph.</summary>
public sealed record FlowVersionSummary(int Version, DateTimeOffset PublishedAt);

/// <summary>All published versions of a bot's flow, newest first.</summary>
public sealed record FlowVersionList(IReadOnlyList<FlowVersionSummary> Data);

internal static class FlowJson
{
    public static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}

/// <summary>A template in the gallery, with a preview small enough to draw on a card.</summary>
public sealed record FlowTemplateSummary(string Id, string Name, string Description, int BlockCount, FlowTemplatePreview Preview);

/// <summary>A template's blocks in order, where they sit on the canvas, and what connects to what.</summary>
public sealed record FlowTemplatePreview(IReadOnlyList<FlowTemplatePreviewBlock> Blocks, IReadOnlyList<FlowTemplatePreviewEdge> Edges);

public sealed record FlowTemplatePreviewBlock(string Id, string Type, double X, double Y);

public sealed record FlowTemplatePreviewEdge(string From, string To);

public sealed record FlowTemplateList(IReadOnlyList<FlowTemplateSummary> Data);

/// <summary>A template with its whole graph, as <c>PUT /v1/bots/{id}/flow</c> takes it.</summary>
public sealed record FlowTemplateResponse(string Id, string Name, string Description, int BlockCount, JsonElement Flow);
