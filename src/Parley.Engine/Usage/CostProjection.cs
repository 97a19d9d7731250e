namespace Parley.Engine.Usage;

/// <summary>
/// The prices a projection uses: a chatbot platform's three pricing models (per visitor message, per conversation, a
/// flat monthly fee) and the model provider's token prices, per million tokens.
/// </summary>
public sealed record CostRates(
    double PerMessage, double PerConversation, double FlatMonthly, double PromptTokenPrice, double CompletionTokenPrice)
{
    /// <summary>The rates used when a caller gives none (docs/usage.md): round figures, to be replaced by real ones.</summary>
    public static CostRates Default { get; } = new(PerMessage: 0.01, PerConversation: 0.25, FlatMonthly: 49, PromptTokenPrice: 0.15, CompletionTokenPrice: 0.60);
}

/// <summary>What an average conversation uses: visitor messages, and the tokens its model replies used.</summary>
public sealed record ConversationProfile(double Messages, double PromptTokens, double CompletionTokens)
{
    /// <summary>
    /// For a workspace without conversations to learn from: four visitor messages, each answered by a model with a
    /// 1,500-token prompt (instructions, history, knowledge passages) and a 200-token reply.
    /// </summary>
    public static ConversationProfile Default { get; } = new(Messages: 4, PromptTokens: 4 * 1500, CompletionTokens: 4 * 200);

    /// <summary>The average of <paramref name="conversations"/> conversations; <see cref="Default"/> when there are none.</summary>
    public static ConversationProfile Of(long conversations, long messages, long promptTokens, long completionTokens) =>
        conversations <= 0
            ? Default
            : new(messages / (double)conversations, promptTokens / (double)conversations, completionTokens / (double)conversations);
}

/// <summary>A month at one volume of conversations: what it uses and what it costs under each pricing model.</summary>
/// <param name="TokenCost">The model provider's bill for the month's tokens.</param>
/// <param name="PerMessageCost">Per-message pricing: messages times the rate, plus the token cost.</param>
/// <param name="PerConversationCost">Per-conversation pricing: conversations times the rate, plus the token cost.</param>
/// <param name="FlatMonthlyCost">Flat pricing: the monthly fee, plus the token cost.</param>
public sealed record CostScenario(
    long Conversations, long Messages, long PromptTokens, long CompletionTokens,
    double TokenCost, double PerMessageCost, double PerConversationCost, double FlatMonthlyCost);

/// <summary>Projects a month's cost from a conversation profile and rates. Money is rounded to the cent, counts to whole units.</summary>
public static class CostProjection
{
    /// <summary>The monthly volumes every projection shows.</summary>
    public static IReadOnlyList<long> StandardVolumes { get; } = [500, 5_000, 50_000];

    public static CostScenario At(long conversations, ConversationProfile profile, CostRates rates)
    {
        var messages = (long)Math.Round(conversations * profile.Messages, MidpointRounding.AwayFromZero);
        var prompt = (long)Math.Round(conversations * profile.PromptTokens, MidpointRounding.AwayFromZero);
        var completion = (long)Math.Round(conversations * profile.CompletionTokens, MidpointRounding.AwayFromZero);
        var tokenCost = (prompt * rates.PromptTokenPrice + completion * rates.CompletionTokenPrice) / 1_000_000;
        return new CostScenario(
            conversations, messages, prompt, completion,
            Money(tokenCost),
            Money(messages * rates.PerMessage + tokenCost),
            Money(conversations * rates.PerConversation + tokenCost),
            Money(rates.FlatMonthly + tokenCost));
    }

    private static double Money(double amount) => Math.Round(amount, 2, MidpointRounding.AwayFromZero);
}

/// <summary>A model's own token prices, per million tokens.</summary>
public sealed record ModelTokenPrice(double PromptTokenPrice, double CompletionTokenPrice);

/// <summary>The tokens one model's replies used.</summary>
public sealed record ModelTokens(string Model, long PromptTokens, long CompletionTokens);

/// <summary>Token prices per model, folded into the one pair of prices a projection multiplies by.</summary>
public static class TokenPricing
{
    /// <summary>
    /// <paramref name="rates"/> with the token prices that bill <paramref name="usage"/> exactly as pricing each model's
    /// tokens at its own price would (a model without one at the rates' prices): each price weighted by the model's
    /// share of the tokens. The projection's volumes scale every model's tokens alike, so the weighted price stays exact
    /// at any volume. Without usage, or without prices, the rates are returned as they are.
    /// </summary>
    public static CostRates Blend(CostRates rates, IReadOnlyList<ModelTokens> usage, IReadOnlyDictionary<string, ModelTokenPrice> prices)
    {
        if (prices.Count == 0)
        {
            return rates;
        }
        var promptTokens = usage.Sum(u => u.PromptTokens);
        var completionTokens = usage.Sum(u => u.CompletionTokens);
        ModelTokenPrice PriceOf(ModelTokens u) =>
            prices.TryGetValue(u.Model, out var own) ? own : new ModelTokenPrice(rates.PromptTokenPrice, rates.CompletionTokenPrice);
        return rates with
        {
            PromptTokenPrice = promptTokens == 0 ? rates.PromptTokenPrice : usage.Sum(u => u.PromptTokens * PriceOf(u).PromptTokenPrice) / promptTokens,
            CompletionTokenPrice = completionTokens == 0 ? rates.CompletionTokenPrice : usage.Sum(u => u.CompletionTokens * PriceOf(u).CompletionTokenPrice) / completionTokens,
        };
    }
}
