using System.Text.Json;

namespace Parley.Client.Models;

/// <summary>A bot's draft flow (null before one is saved) and the number of its live version (null before the first publish).</summary>
public sealed record FlowDraftResponse(string BotId, JsonElement? Draft, int? PublishedVersion, DateTimeOffset UpdatedAt);

/// <summary>One published, immutable version of a bot's flow.</summary>
public sealed record FlowVersionResponse(string BotId, int Version, DateTimeOffset PublishedAt, JsonElement Flow);

public sealed record FlowVersionSummary(int Version, DateTimeOffset PublishedAt);

/// <summary>Every published version, newest first.</summary>
public sealed record FlowVersionList(IReadOnlyList<FlowVersionSummary> Data);
