using System.Globalization;
using Parley.Client.Models;

namespace Parley.Client;

/// <summary>The filters of the lead list and its CSV download; null leaves a filter out.</summary>
public sealed record LeadFilter(
    string? BotId = null, string? Status = null, int? MinScore = null, DateTimeOffset? CreatedAfter = null, DateTimeOffset? CreatedBefore = null,
    string? Email = null)
{
    internal (string Name, string? Value)[] Parameters() =>
    [
        ("bot_id", BotId),
        ("status", Status),
        ("min_score", MinScore?.ToString(CultureInfo.InvariantCulture)),
        ("created_after", ParleyClient.Timestamp(CreatedAfter)),
        ("created_before", ParleyClient.Timestamp(CreatedBefore)),
        ("email", Email),
    ];
}

public sealed partial class ParleyClient
{
    /// <summary>Leads, newest first, that pass <paramref name="filter"/>.</summary>
    [ApiOperation("GET", "/v1/leads")]
    public Task<Page<LeadResponse>> ListLeadsAsync(LeadFilter? filter = null, int? limit = null, string? after = null, CancellationToken cancellationToken = default) =>
        GetAsync<Page<LeadResponse>>(Paged(Query("/v1/leads", (filter ?? new LeadFilter()).Parameters()), limit, after), cancellationToken);

    /// <summary>Moves a lead along the pipeline or edits its fields; a move the pipeline forbids fails with 422 <c>invalid_state_transition</c>.</summary>
    [ApiOperation("PATCH", "/v1/leads/{id}")]
    public Task<LeadResponse> UpdateLeadAsync(string id, UpdateLeadRequest request, CancellationToken cancellationToken = default) =>
        SendAsync<UpdateLeadRequest, LeadResponse>(HttpMethod.Patch, $"/v1/leads/{Id(id)}", request, cancellationToken);

    [ApiOperation("GET", "/v1/leads/{id}/score")]
    public Task<LeadScoreResponse> GetLeadScoreAsync(string id, CancellationToken cancellationToken = default) =>
        GetAsync<LeadScoreResponse>($"/v1/leads/{Id(id)}/score", cancellationToken);

    /// <summary>The address of the CSV of every lead that passes <paramref name="filter"/>, for a download link.</summary>
    [ApiOperation("GET", "/v1/leads/export.csv")]
    public static string LeadsCsvPath(LeadFilter? filter = null) => Query("/v1/leads/export.csv", (filter ?? new LeadFilter()).Parameters());
}
