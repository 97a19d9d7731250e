using System.Globalization;
using Parley.Client.Models;

namespace Parley.Client;

/// <summary>
/// Rates for a cost projection, sent as query parameters; a rate left null takes the server's default. Token prices are
/// per million tokens; <paramref name="ModelPrices"/> gives models their own, by the model's name as usage names it.
/// </summary>
public sealed record CostRatesRequest(
    double? PerMessage = null, double? PerConversation = null, double? FlatMonthly = null,
    double? PromptTokenPrice = null, double? CompletionTokenPrice = null,
    IReadOnlyDictionary<string, ModelTokenPriceRequest>? ModelPrices = null);

/// <summary>A model's own prices per million prompt and completion tokens.</summary>
public sealed record ModelTokenPriceRequest(double PromptTokenPrice, double CompletionTokenPrice);

public sealed partial class ParleyClient
{
    /// <summary>Each metric's value in a month (<c>YYYY-MM</c>, the current one when null) against the plan's limits.</summary>
    [ApiOperation("GET", "/v1/usage")]
    public Task<UsageResponse> GetUsageAsync(string? period = null, CancellationToken cancellationToken = default) =>
        GetAsync<UsageResponse>(Query("/v1/usage", ("period", period)), cancellationToken);

    /// <summary>The month's cost at 500, 5,000 and 50,000 conversations and at the workspace's trend, at <paramref name="rates"/>.</summary>
    [ApiOperation("GET", "/v1/usage/projection")]
    public Task<CostProjectionResponse> GetCostProjectionAsync(CostRatesRequest? rates = null, CancellationToken cancellationToken = default) =>
        GetAsync<CostProjectionResponse>(Query("/v1/usage/projection",
            [("per_message", Rate(rates?.PerMessage)),
            ("per_conversation", Rate(rates?.PerConversation)),
            ("flat_monthly", Rate(rates?.FlatMonthly)),
            ("prompt_token_price", Rate(rates?.PromptTokenPrice)),
            ("completion_token_price", Rate(rates?.CompletionTokenPrice)),
            .. ModelPriceParameters(rates?.ModelPrices)]), cancellationToken);

    /// <summary><c>price[model]=prompt,completion</c> for each model, its name escaped inside the brackets.</summary>
    private static IEnumerable<(string Name, string? Value)> ModelPriceParameters(IReadOnlyDictionary<string, ModelTokenPriceRequest>? prices) =>
        (prices ?? new Dictionary<string, ModelTokenPriceRequest>()).OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => ($"price[{Uri.EscapeDataString(p.Key)}]", (string?)$"{Rate(p.Value.PromptTokenPrice)},{Rate(p.Value.CompletionTokenPrice)}"));

    private static string? Rate(double? value) => value?.ToString("R", CultureInfo.InvariantCulture);
}
