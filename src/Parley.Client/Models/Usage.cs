namespace Parley.Client.Models;

public sealed record UsageResponse(
    string Period, DateTimeOffset PeriodStart, DateTimeOffset PeriodEnd, string Plan, IReadOnlyList<UsageMetricResponse> Metrics);

public sealed record UsageMetricResponse(string Metric, string Kind, long Value, long? Limit, double? PercentUsed, bool Enforced);

public sealed record CostProjectionResponse(
    CostRatesResponse Rates, ProjectionBasisResponse Basis, IReadOnlyList<ProjectionScenarioResponse> Scenarios, IReadOnlyList<ModelPriceResponse> ModelPrices);

/// <summary>A model's token prices per million tokens (its own when <c>OwnPrice</c>, else the default ones) and its tokens in the basis days.</summary>
public sealed record ModelPriceResponse(
    string Model, double PromptTokenPrice, double CompletionTokenPrice, bool OwnPrice, long PromptTokens, long CompletionTokens, double TokenCost);

public sealed record CostRatesResponse(double PerMessage, double PerConversation, double FlatMonthly, double PromptTokenPrice, double CompletionTokenPrice);

public sealed record ProjectionBasisResponse(
    DateOnly From, DateOnly To, long Conversations, long Messages, long PromptTokens, long CompletionTokens,
    double MessagesPerConversation, double PromptTokensPerConversation, double CompletionTokensPerConversation, bool Defaults);

public sealed record ProjectionScenarioResponse(
    string Kind, long Conversations, long Messages, long PromptTokens, long CompletionTokens,
    double TokenCost, double PerMessageCost, double PerConversationCost, double FlatMonthlyCost);
