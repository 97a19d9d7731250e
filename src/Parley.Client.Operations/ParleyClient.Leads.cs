using System.Globalization;
using System.Net.Http.Json;
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

public static partial class ParleyClientOperations
{
    extension(ParleyClient client)
    {
        /// <summary>Leads, newest first, that pass <paramref name="filter"/>.</summary>
        [ApiOperation("GET", "/v1/leads")]
        public Task<Page<LeadResponse>> ListLeadsAsync(LeadFilter? filter = null, int? limit = null, string? after = null, CancellationToken cancellationToken = default) =>
            client.GetAsync(ParleyClient.Paged(ParleyClient.Query("/v1/leads", (filter ?? new LeadFilter()).Parameters()), limit, after),
                OperationsJson.Default.PageLeadResponse, cancellationToken);

        /// <summary>Moves a lead along the pipeline or edits its fields; a move the pipeline forbids fails with 422 <c>invalid_state_transition</c>.</summary>
        [ApiOperation("PATCH", "/v1/leads/{id}")]
        public Task<LeadResponse> UpdateLeadAsync(string id, UpdateLeadRequest request, CancellationToken cancellationToken = default) =>
            client.SendAsync(HttpMethod.Patch, $"/v1/leads/{ParleyClient.Id(id)}", JsonContent.Create(request, OperationsJson.Default.UpdateLeadRequest),
                OperationsJson.Default.LeadResponse, cancellationToken);

        [ApiOperation("GET", "/v1/leads/{id}/score")]
        public Task<LeadScoreResponse> GetLeadScoreAsync(string id, CancellationToken cancellationToken = default) =>
            client.GetAsync($"/v1/leads/{ParleyClient.Id(id)}/score", OperationsJson.Default.LeadScoreResponse, cancellationToken);
    }

    extension(ParleyClient)
    {
        /// <summary>The address of the CSV of every lead that passes <paramref name="filter"/>, for a download link.</summary>
        [ApiOperation("GET", "/v1/leads/export.csv")]
        public static string LeadsCsvPath(LeadFilter? filter = null) => ParleyClient.Query("/v1/leads/export.csv", (filter ?? new LeadFilter()).Parameters());
    }
}
