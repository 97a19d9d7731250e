namespace Parley.Engine.Usage;

/// <summary>What a plan allows in one period, per metric; a null limit is unlimited.</summary>
public sealed record PlanLimits(
    long? ConversationsStarted = null,
    long? Messages = null,
    long? BotRepliesModel = null,
    long? BotRepliesAnswerer = null,
    long? AiTokens = null,
    long? WebhookDeliveries = null,
    long? EmailsSent = null,
    long? KnowledgeStorageBytes = null)
{
    /// <summary>No limits: the default of a self-hosted server.</summary>
    public static PlanLimits Unlimited { get; } = new();

    /// <summary>The limit on <paramref name="metric"/>, or null when there is none.</summary>
    public long? For(string metric) => metric switch
    {
        UsageMetrics.ConversationsStarted => ConversationsStarted,
        UsageMetrics.Messages => Messages,
        UsageMetrics.BotRepliesModel => BotRepliesModel,
        UsageMetrics.BotRepliesAnswerer => BotRepliesAnswerer,
        UsageMetrics.AiTokens => AiTokens,
        UsageMetrics.WebhookDeliveries => WebhookDeliveries,
        UsageMetrics.EmailsSent => EmailsSent,
        UsageMetrics.KnowledgeStorageBytes => KnowledgeStorageBytes,
        _ => null,
    };

    /// <summary>
    /// Whether one more of <paramref name="metric"/> fits when <paramref name="used"/> are already counted this period.
    /// </summary>
    public bool Allows(string metric, long used) => For(metric) is not { } limit || used < limit;

    /// <summary>The share of the limit used, in percent with one decimal; null when unlimited. A zero limit used by nothing is 100 %.</summary>
    public static double? PercentUsed(long used, long? limit) => limit switch
    {
        null => null,
        0 => 100,
        { } l => Math.Round(used * 100.0 / l, 1, MidpointRounding.AwayFromZero),
    };
}
