namespace Parley.Client.Models;

public sealed record IntegrationBot(string Id, string Name);

/// <summary>
/// One hop of the integration chain; <c>State</c> is healthy, failing, idle or disabled. <c>Kind</c> is webhook, email
/// or model; a model hop goes from the bot <c>BotId</c> to a model provider connection.
/// </summary>
public sealed record IntegrationHop(
    string Kind, string EventType, string TargetId, string Target, string State, string? StateReason, int Attempts24h, int Failures24h,
    DateTimeOffset? LastSuccessAt, DateTimeOffset? LastFailureAt, string? LastFailure, string? BotId = null);

public sealed record IntegrationHealthResponse(DateTimeOffset CheckedAt, IReadOnlyList<IntegrationBot> Bots, IReadOnlyList<IntegrationHop> Hops, int FailingHops);
