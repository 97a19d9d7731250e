using Parley.Client.Models;

namespace Parley.Client;

public sealed partial class ParleyClient
{
    [ApiOperation("GET", "/v1/workspace/assignment-rules")]
    public Task<AssignmentRulesResponse> GetAssignmentRulesAsync(CancellationToken cancellationToken = default) =>
        GetAsync<AssignmentRulesResponse>("/v1/workspace/assignment-rules", cancellationToken);

    /// <summary>Replaces the rules (owners and admins); a 400 names the fields out of range.</summary>
    [ApiOperation("PUT", "/v1/workspace/assignment-rules")]
    public Task<AssignmentRulesResponse> UpdateAssignmentRulesAsync(UpdateAssignmentRulesRequest request, CancellationToken cancellationToken = default) =>
        SendAsync<UpdateAssignmentRulesRequest, AssignmentRulesResponse>(HttpMethod.Put, "/v1/workspace/assignment-rules", request, cancellationToken);
}
