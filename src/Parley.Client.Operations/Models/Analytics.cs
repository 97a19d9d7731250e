namespace Parley.Client.Models;

public sealed record AnalyticsSummaryResponse(
    string? BotId, DateOnly From, DateOnly To, int Days, AnalyticsCounts Totals, AnalyticsRates Rates,
    AnalyticsDistribution HandoffWaitSeconds, IReadOnlyDictionary<string, AnalyticsDistribution> LatencyMs,
    IReadOnlyDictionary<string, long> GuardrailFlags, IReadOnlyList<AnalyticsTokenTotals> Tokens, DateOnly? RolledUpThrough);

public sealed record AnalyticsCounts(
    long ConversationsStarted, long EngagedConversations, long VisitorMessages, long BotMessages, long AgentMessages,
    long QuestionsAnswered, long QuestionsUnanswered, long HandoffsRequested, long HandoffsAnswered, long ConversationsClosed,
    long LeadsCaptured, long BookingsMade, long GuardrailFlags, long PromptTokens, long CompletionTokens);

/// <summary>Ratios between 0 and 1, null when their denominator is zero.</summary>
public sealed record AnalyticsRates(double? AnswerRate, double? HandoffRate, double? LeadConversion);

public sealed record AnalyticsDistribution(long Count, double? Mean, double? P50, double? P95);

public sealed record AnalyticsTokenTotals(string Provider, string Model, long Replies, long PromptTokens, long CompletionTokens);

public sealed record AnalyticsTimeseriesResponse(string Metric, string Interval, string? BotId, DateOnly From, DateOnly To, IReadOnlyList<AnalyticsPoint> Data);

public sealed record AnalyticsPoint(DateOnly Date, double? Value);

public sealed record AnalyticsLatencyResponse(
    string Interval, string? BotId, DateOnly From, DateOnly To, IReadOnlyList<string> Stages,
    IReadOnlyDictionary<string, AnalyticsDistribution> Overall, AnalyticsSlowestStage? SlowestStage, IReadOnlyList<AnalyticsLatencyPoint> Data);

public sealed record AnalyticsLatencyPoint(DateOnly Date, IReadOnlyDictionary<string, AnalyticsDistribution> Stages);

public sealed record AnalyticsSlowestStage(string Stage, double P50, double P95);

public sealed record KnowledgeGapsResponse(string? BotId, DateOnly From, DateOnly To, int UnansweredQuestions, int Groups, IReadOnlyList<KnowledgeGap> Data);

public sealed record KnowledgeGap(
    string BotId, string Question, int Count, DateTimeOffset FirstAskedAt, DateTimeOffset LastAskedAt,
    IReadOnlyList<string> Wordings, IReadOnlyList<string> ConversationIds, string? AnsweredBySourceId, DateTimeOffset? AnsweredAt);
