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

    public static async Task<Ok<CostProjectionResponse>> GetProjection(
        [FromQuery(Name = "per_message")] double? perMessage,
        [FromQuery(Name = "per_conversation")] double? perConversation,
        [FromQuery(Name = "flat_monthly")] double? flatMonthly,
        [FromQuery(Name = "prompt_token_price")] double? promptTokenPrice,
        [FromQuery(Name = "completion_token_price")] double? completionTokenPrice,
        ParleyDbContext db, WorkspaceScope workspace, AnalyticsReader analytics, TimeProvider time, CancellationToken cancellationToken)
    {
        var defaults = CostRates.Default;
        var errors = new Dictionary<string, string[]>();
        var rates = new CostRates(
            Rate("per_message", perMessage, defaults.PerMessage, errors),
            Rate("per_conversation", perConversation, defaults.PerConversation, errors),
            Rate("flat_monthly", flatMonthly, defaults.FlatMonthly, errors),
            Rate("prompt_token_price", promptTokenPrice, defaults.PromptTokenPrice, errors),
            Rate("completion_token_price", completionTokenPrice, defaults.CompletionTokenPrice, errors));
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

        var scenarios = CostProjection.StandardVolumes.Select(volume => Scenario("volume", CostProjection.At(volume, profile, rates)))
            .Append(Scenario("trend", CostProjection.At(conversations, profile, rates)))
            .ToList();
        var basis = new ProjectionBasisResponse(
            from, to, conversations, messages, promptTokens, completionTokens,
            Math.Round(profile.Messages, 2), Math.Round(profile.PromptTokens, 2), Math.Round(profile.CompletionTokens, 2), conversations == 0);
        return TypedResults.Ok(new CostProjectionResponse(
            new CostRatesResponse(rates.PerMessage, rates.PerConversation, rates.FlatMonthly, rates.PromptTokenPrice, rates.CompletionTokenPrice),
            basis, scenarios));
    }

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
