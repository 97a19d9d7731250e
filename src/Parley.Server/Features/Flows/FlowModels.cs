using System.Text.Json;
using Parley.Data.Entities;

namespace Parley.Server.Features.Flows;

/// <summary>A bot's flow: the draft being edited and the number of the live published version.</summary>
public sealed record FlowDraftResponse(string BotId, JsonElement? Draft, int? PublishedVersion, DateTimeOffset UpdatedAt);

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
