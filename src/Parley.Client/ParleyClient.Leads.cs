using System.Globalization;
using Parley.Client.Models;

namespace Parley.Client;

/// <summary>The filters of the lead list and its CSV download; null leaves a filter out.</summary>
public sealed record LeadFilter(
    string? BotId = null, string? Status = null, int? MinScore = null, DateTimeOffset? CreatedAfter = null, DateTimeOffset? CreatedBefore = null,
    string? Email = null)
{
    internal string Query()
    {
        var query = new List<string>();
        void Add(string name, string? value)
        {
            if (!string.IsNullOrEmpty(value))
            {
                query.Add(name + "=" + Uri.EscapeDataString(value));
            }
        }
        Add("bot_id", BotId);
        Add("status", Status);
        Add("min_score", MinScore?.ToString(CultureInfo.InvariantCulture));
        Add("created_after", CreatedAfter?.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
        Add("created_before", CreatedBefore?.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
        Add("email", Email);
        return string.Join('&', query);
    }
}

public sealed partial class ParleyClient
{
    /// <summary>Leads, newest first, that pass <paramref name="filter"/>.</summary>
    [ApiOperation("GET", "/v1/leads")]
    public Task<Page<LeadResponse>> ListLeadsAsync(LeadFilter? filter = null, int? limit = null, string? after = null, CancellationToken cancellationToken = default)
    {
        var query = (filter ?? new LeadFilter()).Query();
        return GetAsync<Page<LeadResponse>>(Paged(query.Length == 0 ? "/v1/leads" : "/v1/leads?" + query, limit, after), cancellationToken);
    }

    [ApiOperation("GET", "/v1/leads/{id}")]
    public Task<LeadResponse> GetLeadAsync(string id, CancellationToken cancellationToken = default) =>
        GetAsync<LeadResponse>($"/v1/leads/{Id(id)}", cancellationToken);

    /// <summary>Moves a lead along the pipeline or edits its fields; a move the pipeline forbids fails with 422 <c>invalid_state_transition</c>.</summary>
    [ApiOperation("PATCH", "/v1/leads/{id}")]
    public Task<LeadResponse> UpdateLeadAsync(string id, UpdateLeadRequest request, CancellationToken cancellationToken = default) =>
        SendAsync<UpdateLeadRequest, LeadResponse>(HttpMethod.Patch, $"/v1/leads/{Id(id)}", request, cancellationToken);

    [ApiOperation("GET", "/v1/leads/{id}/score")]
    public Task<LeadScoreResponse> GetLeadScoreAsync(string id, CancellationToken cancellationToken = default) =>
        GetAsync<LeadScoreResponse>($"/v1/leads/{Id(id)}/score", cancellationToken);

    /// <summary>The address of the CSV of every lead that passes <paramref name="filter"/>, for a download link.</summary>
    [ApiOperation("GET", "/v1/leads/export.csv")]
    public static string LeadsCsvPath(LeadFilter? filter = null)
    {
        var query = (filter ?? new LeadFilter()).Query();
        return query.Length == 0 ? "/v1/leads/export.csv" : "/v1/leads/export.csv?" + query;
    }
}
