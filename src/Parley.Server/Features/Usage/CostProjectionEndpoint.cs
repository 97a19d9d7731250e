using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Parley.Data;
using Parley.Data.Tenancy;
using Parley.Engine.Usage;
using Parley.Server.Features.Analytics;
using Parley.Server.Infrastructure.Errors;

namespace Parley.Server.Features.Usage;

/// <summary><c>GET /v1/usage/projection</c>: the month's cost at standard volumes and at the workspace's trend.</summary>
public static class CostProjectionEndpoint
{
    /// <summary>The days the workspace's average conversation and trend are taken from, today included.</summary>
    public const int BasisDays = 30;

    /// <summary>No rate is this high in any currency; a higher one is a typo.</summary>
    private const double MaxRate = 1_000_000;

    /// <summary>More models than any workspace prices; more is a mistake, and each one is a query parameter.</summary>
    public const int MaxModelPrices = 50;

    private const int MaxModelNameLength = 200;

    public static async Task<Ok<CostProjectionResponse>> GetProjection(
        [FromQuery(Name = "per_message")] double? perMessage,
        [FromQuery(Name = "per_conversation")] double? perConversation,
        [FromQuery(Name = "flat_monthly")] double? flatMonthly,
        [FromQuery(Name = "prompt_token_price")] double? promptTokenPrice,
        [FromQuery(Name = "completion_token_price")] double? completionTokenPrice,
        HttpRequest request, ParleyDbContext db, WorkspaceScope workspace, AnalyticsReader analytics, TimeProvider time, CancellationToken cancellationToken)
    {
        var defaults = CostRates.Default;
        var errors = new Dictionary<string, string[]>();
        var rates = new CostRates(
            Rate("per_message", perMessage, defaults.PerMessage, errors),
            Rate("per_conversation", perConversation, defaults.PerConversation, errors),
            Rate("flat_monthly", flatMonthly, defaults.FlatMonthly, errors),
            Rate("prompt_token_price", promptTokenPrice, defaults.PromptTokenPrice, errors),
            Rate("completion_token_price", completionTokenPrice, defaults.CompletionTokenPrice, errors));
        var prices = ModelPrices(request.Query, errors);
        if (errors.Count > 0)
        {
            throw ApiException.Invalid(errors);
        }

        var to = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var from = to.AddDays(1 - BasisDays);
        var rows = await analytics.RowsAsync(db, workspace.WorkspaceId!, from, to, null, cancellationToken);
        var conversations = rows.Sum(r => (long)r.ConversationsStarted);
        var messages = rows.Sum(r => (long)r.VisitorMessages);
        var promptTokens = rows.Sum(r => r.Tokens.Sum(t => t.PromptTokens));
        var completionTokens = rows.Sum(r => r.Tokens.Sum(t => t.CompletionTokens));
        var profile = ConversationProfile.Of(conversations, messages, promptTokens, completionTokens);
        var byModel = rows.SelectMany(r => r.Tokens).GroupBy(t => t.Model, StringComparer.Ordinal)
            .Select(g => new ModelTokens(g.Key, g.Sum(t => t.PromptTokens), g.Sum(t => t.CompletionTokens))).ToList();
        var priced = TokenPricing.Blend(rates, byModel, prices);

        var scenarios = CostProjection.StandardVolumes.Select(volume => Scenario("volume", CostProjection.At(volume, profile, priced)))
            .Append(Scenario("trend", CostProjection.At(conversations, profile, priced)))
            .ToList();
        var basis = new ProjectionBasisResponse(
            from, to, conversations, messages, promptTokens, completionTokens,
            Math.Round(profile.Messages, 2), Math.Round(profile.PromptTokens, 2), Math.Round(profile.CompletionTokens, 2), conversations == 0);
        return TypedResults.Ok(new CostProjectionResponse(
            new CostRatesResponse(rates.PerMessage, rates.PerConversation, rates.FlatMonthly, rates.PromptTokenPrice, rates.CompletionTokenPrice),
            basis, scenarios, ModelPriceRows(rates, byModel, prices)));
    }

    /// <summary>
    /// The <c>price[model]=prompt,completion</c> parameters: a model's own prices per million tokens. The model is named
    /// as usage names it (the analytics' tokens by model), so the same name from two providers has one price.
    /// </summary>
    private static Dictionary<string, ModelTokenPrice> ModelPrices(IQueryCollection query, Dictionary<string, string[]> errors)
    {
        var prices = new Dictionary<string, ModelTokenPrice>(StringComparer.Ordinal);
        foreach (var (name, values) in query)
        {
            if (!name.StartsWith("price[", StringComparison.Ordinal))
            {
                continue;
            }
            var model = name.EndsWith(']') ? name[6..^1] : "";
            string[] parts = values.Count == 1 ? values[0]!.Split(',') : [];
            if (model.Trim().Length == 0 || model.Length > MaxModelNameLength)
            {
                errors[name] = [$"Name the model inside the brackets, up to {MaxModelNameLength} characters: price[gpt-4o]=2.5,10."];
            }
            else if (parts.Length != 2 || !TryRate(parts[0], out var prompt) || !TryRate(parts[1], out var completion))
            {
                errors[name] = [$"{name} must be two prices per million tokens, prompt then completion, each from 0 to {MaxRate:0}: {name}=2.5,10."];
            }
            else
            {
                prices[model] = new ModelTokenPrice(prompt, completion);
            }
        }
        if (prices.Count > MaxModelPrices)
        {
            errors["price"] = [$"At most {MaxModelPrices} models may have their own prices."];
        }
        return prices;
    }

    private static bool TryRate(string text, out double rate) =>
        double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out rate) && double.IsFinite(rate) && rate >= 0 && rate <= MaxRate;

    /// <summary>Each model used in the basis days or given a price, with the prices its tokens are billed at.</summary>
    private static List<ModelPriceResponse> ModelPriceRows(CostRates rates, List<ModelTokens> usage, Dictionary<string, ModelTokenPrice> prices) =>
    [
        .. usage.Select(u => u.Model).Union(prices.Keys).Order(StringComparer.Ordinal).Select(model =>
        {
            var own = prices.GetValueOrDefault(model);
            var used = usage.FirstOrDefault(u => u.Model == model) ?? new ModelTokens(model, 0, 0);
            var (prompt, completion) = own is null ? (rates.PromptTokenPrice, rates.CompletionTokenPrice) : (own.PromptTokenPrice, own.CompletionTokenPrice);
            return new ModelPriceResponse(model, prompt, completion, own is not null, used.PromptTokens, used.CompletionTokens,
                Math.Round((used.PromptTokens * prompt + used.CompletionTokens * completion) / 1_000_000, 2, MidpointRounding.AwayFromZero));
        }),
    ];

    private static double Rate(string name, double? asked, double fallback, Dictionary<string, string[]> errors)
    {
        if (asked is not { } rate)
        {
            return fallback;
        }
        if (!double.IsFinite(rate) || rate < 0 || rate > MaxRate)
        {
            errors[name] = [$"{name} must be a number from 0 to {MaxRate:0}."];
        }
        return rate;
    }

    private static ProjectionScenarioResponse Scenario(string kind, CostScenario month) => new(
        kind, month.Conversations, month.Messages, month.PromptTokens, month.CompletionTokens,
        month.TokenCost, month.PerMessageCost, month.PerConversationCost, month.FlatMonthlyCost);
}
