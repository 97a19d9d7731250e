namespace Parley.Engine.Usage;

/// <summary>The metered quantities, by the name they have in the API, the database and exports.</summary>
public static class UsageMetrics
{
    /// <summary>Conversations opened (through the API or the widget).</summary>
    public const string ConversationsStarted = "conversations_started";

    /// <summary>Visitor messages handled by a turn.</summary>
    public const string Messages = "messages";

    /// <summary>Bot replies written by a model provider.</summary>
    public const string BotRepliesModel = "bot_replies_model";

    /// <summary>Bot replies written by the built-in answerer.</summary>
    public const string BotRepliesAnswerer = "bot_replies_answerer";

    /// <summary>Tokens models used: prompt and completion together, as the providers reported them.</summary>
    public const string AiTokens = "ai_tokens";

    /// <summary>Webhook deliveries that reached their endpoint (a 2xx answer).</summary>
    public const string WebhookDeliveries = "webhook_deliveries";

    /// <summary>Notification emails the SMTP server accepted.</summary>
    public const string EmailsSent = "emails_sent";

    /// <summary>A gauge, not a counter: the bytes of source text in every knowledge base, measured when asked.</summary>
    public const string KnowledgeStorageBytes = "knowledge_storage_bytes";

    /// <summary>The metrics counted per period, in the order the API lists them.</summary>
    public static IReadOnlyList<string> Counters { get; } =
        [ConversationsStarted, Messages, BotRepliesModel, BotRepliesAnswerer, AiTokens, WebhookDeliveries, EmailsSent];

    /// <summary>Every metric: the counters, then the gauges.</summary>
    public static IReadOnlyList<string> All { get; } = [.. Counters, KnowledgeStorageBytes];

    public static bool IsGauge(string metric) => metric == KnowledgeStorageBytes;
}
