namespace Parley.Server.Features.Integrations;

/// <summary>
/// The workspace's integration chain: its bots, and every hop from an event type to where it goes (a webhook endpoint
/// or the notification emails), each with its health over the last 24 hours.
/// </summary>
public sealed record IntegrationHealthResponse(
    DateTimeOffset CheckedAt, IReadOnlyList<IntegrationBot> Bots, IReadOnlyList<IntegrationHop> Hops, int FailingHops);

public sealed record IntegrationBot(string Id, string Name);

/// <summary>
/// One hop: events of <c>event_type</c> (<c>*</c> for all) going to a target. <c>kind</c> is <c>webhook</c>,
/// <c>email</c> or <c>model</c>; <c>state</c> is <c>healthy</c> (the last attempt succeeded), <c>failing</c> (it failed),
/// <c>idle</c> (no attempt in 24 hours) or <c>disabled</c> (the target is switched off; <c>state_reason</c> says why).
/// A <c>model</c> hop goes from the bot <c>bot_id</c> to a model provider connection (<c>target_id</c>), with
/// <c>event_type</c> <c>model.reply</c>; its counts are the provider's calls from every bot. Other hops have no <c>bot_id</c>.
/// </summary>
public sealed record IntegrationHop(
    string Kind,
    string EventType,
    string TargetId,
    string Target,
    string State,
    string? StateReason,
    int Attempts24h,
    int Failures24h,
    DateTimeOffset? LastSuccessAt,
    DateTimeOffset? LastFailureAt,
    string? LastFailure,
    string? BotId = null)
{
    /// <summary>The <c>event_type</c> of a model hop: the bot's replies, asked of the provider.</summary>
    public const string ModelReplies = "model.reply";
}

public static class IntegrationHopState
{
    public const string Healthy = "healthy";
    public const string Failing = "failing";
    public const string Idle = "idle";
    public const string Disabled = "disabled";
}

public static class IntegrationHopKind
{
    public const string Webhook = "webhook";
    public const string Email = "email";
    public const string Model = "model";
}
