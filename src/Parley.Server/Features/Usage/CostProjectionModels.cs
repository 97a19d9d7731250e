namespace Parley.Server.Features.Usage;

/// <summary>What the workspace would pay in a month at several volumes, under three pricing models, tokens included.</summary>
/// <param name="Rates">The rates used: those asked for, the defaults for the rest.</param>
/// <param name="Basis">The workspace's last 30 days, from which the average conversation is taken.</param>
/// <param name="Scenarios">500, 5,000 and 50,000 conversations a month (<c>volume</c>), then the workspace's own trend (<c>trend</c>).</param>
/// <param name="ModelPrices">
/// Each model the basis days used or the caller priced (<c>price[model]=prompt,completion</c>), with the prices its tokens
/// are billed at: its own, or the rates' token prices. The scenarios' token cost prices each model's share this way.
/// </param>
public sealed record CostProjectionResponse(
    CostRatesResponse Rates, ProjectionBasisResponse Basis, IReadOnlyList<ProjectionScenarioResponse> Scenarios, IReadOnlyList<ModelPriceResponse> ModelPrices);

/// <summary>One model's token prices, per million tokens, and its tokens in the basis days.</summary>
/// <param name="OwnPrice">True when the caller gave this model its own prices; false when it takes the rates' token prices.</param>
/// <param name="TokenCost">What its tokens of the basis days cost at these prices.</param>
public sealed record ModelPriceResponse(
    string Model, double PromptTokenPrice, double CompletionTokenPrice, bool OwnPrice, long PromptTokens, long CompletionTokens, double TokenCost);

/// <summary>Prices in one currency, whichever the caller uses.</summary>
/// <param name="PerMessage">Per-message pricing: the price of one visitor message.</param>
/// <param name="PerConversation">Per-conversation pricing: the price of one conversation.</param>
/// <param name="FlatMonthly">Flat pricing: the monthly fee, whatever the volume.</param>
/// <param name="PromptTokenPrice">The model provider's price of a million prompt (input) tokens, for models without their own.</param>
/// <param name="CompletionTokenPrice">The model provider's price of a million completion (output) tokens, for models without their own.</param>
public sealed record CostRatesResponse(double PerMessage, double PerConversation, double FlatMonthly, double PromptTokenPrice, double CompletionTokenPrice);

/// <summary>The workspace's usage over the 30 days (UTC) ending today, and the average conversation it gives.</summary>
/// <param name="Defaults">True when the workspace started no conversation in those days: the averages are the documented defaults.</param>
public sealed record ProjectionBasisResponse(
    DateOnly From, DateOnly To, long Conversations, long Messages, long PromptTokens, long CompletionTokens,
    double MessagesPerConversation, double PromptTokensPerConversation, double CompletionTokensPerConversation, bool Defaults);

/// <summary>One month at one volume.</summary>
/// <param name="Kind"><c>volume</c> (a standard volume) or <c>trend</c> (the last 30 days' conversations).</param>
/// <param name="TokenCost">The model provider's bill for the month's tokens; every cost below includes it.</param>
/// <param name="PerMessageCost">Messages times the per-message rate, plus the token cost.</param>
/// <param name="PerConversationCost">Conversations times the per-conversation rate, plus the token cost.</param>
/// <param name="FlatMonthlyCost">The flat monthly fee, plus the token cost.</param>
public sealed record ProjectionScenarioResponse(
    string Kind, long Conversations, long Messages, long PromptTokens, long CompletionTokens,
    double TokenCost, double PerMessageCost, double PerConversationCost, double FlatMonthlyCost);
