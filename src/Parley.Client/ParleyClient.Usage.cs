using System.Globalization;
using Parley.Client.Models;

namespace Parley.Client;

/// <summary>
/// Rates for a cost projection, sent as query parameters; a rate left null takes the server's default. Token prices are
/// per million tokens.
/// </summary>
public sealed record CostRatesRequest(
    double? PerMessage = null, double? PerConversation = null, double? FlatMonthly = null,
    double? PromptTokenPrice = null, double? CompletionTokenPrice = null);

public sealed partial class ParleyClient
{
    /// <summary>Each metric's value in a month (<c>YYYY-MM</c>, the current one when null) against the plan's limits.</summary>
    [ApiOperation("GET", "/v1/usage")]
    public Task<UsageResponse> GetUsageAsync(string? period = null, CancellationToken cancellationToken = default) =>
        GetAsync<UsageResponse>(period is null ? "/v1/usage" : "/v1/usage?period=" + Uri.EscapeDataString(period), cancellationToken);

    /// <summary>The month's cost at 500, 5,000 and 50,000 conversations and at the workspace's trend, at <paramref name="rates"/>.</summary>
    [ApiOperation("GET", "/v1/usage/projection")]
    public Task<CostProjectionResponse> GetCostProjectionAsync(CostRatesRequest? rates = null, CancellationToken cancellationToken = default)
    {
        var query = new List<string>();
        void Add(string name, double? value)
        {
            if (value is { } v)
            {
                query.Add(name + "=" + v.ToString("R", CultureInfo.InvariantCulture));
            }
        }
        Add("per_message", rates?.PerMessage);
        Add("per_conversation", rates?.PerConversation);
        Add("flat_monthly", rates?.FlatMonthly);
        Add("prompt_token_price", rates?.PromptTokenPrice);
        Add("completion_token_price", rates?.CompletionTokenPrice);
        var path = query.Count == 0 ? "/v1/usage/projection" : "/v1/usage/projection?" + string.Join('&', query);
        return GetAsync<CostProjectionResponse>(path, cancellationToken);
    }
}
