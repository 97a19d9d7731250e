namespace Parley.Server.Features.Analytics;

/// <summary>The metrics <c>GET /v1/analytics/timeseries</c> serves, each read from the aggregate of one interval.</summary>
public static class AnalyticsMetrics
{
    public static readonly IReadOnlyDictionary<string, Func<AnalyticsAggregate, double?>> All = new Dictionary<string, Func<AnalyticsAggregate, double?>>(StringComparer.Ordinal)
    {
        ["conversations_started"] = a => a.Counts.ConversationsStarted,
        ["engaged_conversations"] = a => a.Counts.EngagedConversations,
        ["visitor_messages"] = a => a.Counts.VisitorMessages,
        ["bot_messages"] = a => a.Counts.BotMessages,
        ["agent_messages"] = a => a.Counts.AgentMessages,
        ["questions_answered"] = a => a.Counts.QuestionsAnswered,
        ["questions_unanswered"] = a => a.Counts.QuestionsUnanswered,
        ["answer_rate"] = a => a.Rates.AnswerRate,
        ["handoffs_requested"] = a => a.Counts.HandoffsRequested,
        ["handoffs_answered"] = a => a.Counts.HandoffsAnswered,
        ["handoff_rate"] = a => a.Rates.HandoffRate,
        ["handoff_wait_p50_seconds"] = a => a.HandoffWait.P50,
        ["handoff_wait_p95_seconds"] = a => a.HandoffWait.P95,
        ["conversations_closed"] = a => a.Counts.ConversationsClosed,
        ["leads_captured"] = a => a.Counts.LeadsCaptured,
        ["lead_conversion"] = a => a.Rates.LeadConversion,
        ["bookings_made"] = a => a.Counts.BookingsMade,
        ["guardrail_flags"] = a => a.Counts.GuardrailFlags,
        ["prompt_tokens"] = a => a.Counts.PromptTokens,
        ["completion_tokens"] = a => a.Counts.CompletionTokens,
        ["latency_p50_ms"] = a => AnalyticsAggregate.Round(a.LatencyOf(AnalyticsCalculator.TotalStage).Quantile(0.5)),
        ["latency_p95_ms"] = a => AnalyticsAggregate.Round(a.LatencyOf(AnalyticsCalculator.TotalStage).Quantile(0.95)),
    };

    public static IReadOnlyList<string> Names { get; } = [.. All.Keys];
}
