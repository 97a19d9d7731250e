using System.Net.Http.Json;
using System.Text.Json;
using Parley.Client.Models;

namespace Parley.Client;

public static partial class ParleyClientOperations
{
    extension(ParleyClient client)
    {
        [ApiOperation("GET", "/v1/bots/{id}/flow")]
        public async Task<ETagged<FlowDraftResponse>> GetFlowDraftAsync(string botId, CancellationToken cancellationToken = default)
        {
            using var request = client.Request(HttpMethod.Get, $"/v1/bots/{ParleyClient.Id(botId)}/flow");
            return await client.ReadTaggedAsync(request, OperationsJson.Default.FlowDraftResponse, cancellationToken);
        }

        /// <summary>
        /// Saves the draft flow. With <paramref name="ifMatch"/> (the ETag of the draft the change was made to) the save
        /// applies only if nobody saved since; otherwise it throws a 412 <c>precondition_failed</c> and saves nothing.
        /// </summary>
        [ApiOperation("PUT", "/v1/bots/{id}/flow")]
        public async Task<ETagged<FlowDraftResponse>> SaveFlowDraftAsync(string botId, JsonElement flow, string? ifMatch = null, CancellationToken cancellationToken = default)
        {
            using var request = client.Request(HttpMethod.Put, $"/v1/bots/{ParleyClient.Id(botId)}/flow");
            request.Content = JsonContent.Create(flow, OperationsJson.Default.JsonElement);
            if (ifMatch is not null)
            {
                request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
            }
            return await client.ReadTaggedAsync(request, OperationsJson.Default.FlowDraftResponse, cancellationToken);
        }

        [ApiOperation("POST", "/v1/bots/{id}/flow/publish")]
        public Task<FlowVersionResponse> PublishFlowAsync(string botId, CancellationToken cancellationToken = default) =>
            client.SendAsync(HttpMethod.Post, $"/v1/bots/{ParleyClient.Id(botId)}/flow/publish", null, OperationsJson.Default.FlowVersionResponse, cancellationToken);

        [ApiOperation("GET", "/v1/bots/{id}/flow/versions")]
        public Task<FlowVersionList> ListFlowVersionsAsync(string botId, CancellationToken cancellationToken = default) =>
            client.GetAsync($"/v1/bots/{ParleyClient.Id(botId)}/flow/versions", OperationsJson.Default.FlowVersionList, cancellationToken);

        [ApiOperation("GET", "/v1/bots/{id}/flow/versions/{version}")]
        public Task<FlowVersionResponse> GetFlowVersionAsync(string botId, int version, CancellationToken cancellationToken = default) =>
            client.GetAsync($"/v1/bots/{ParleyClient.Id(botId)}/flow/versions/{version}", OperationsJson.Default.FlowVersionResponse, cancellationToken);

        /// <summary>Runs one step of a test run of a flow that is not published (see <see cref="FlowTestRunRequest"/>).</summary>
        [ApiOperation("POST", "/v1/bots/{id}/flow/test-run")]
        public Task<FlowTestRunResponse> TestRunFlowAsync(string botId, FlowTestRunRequest request, CancellationToken cancellationToken = default) =>
            client.SendAsync(HttpMethod.Post, $"/v1/bots/{ParleyClient.Id(botId)}/flow/test-run", JsonContent.Create(request, OperationsJson.Default.FlowTestRunRequest),
                OperationsJson.Default.FlowTestRunResponse, cancellationToken);

        [ApiOperation("GET", "/v1/flow-templates")]
        public Task<FlowTemplateList> ListFlowTemplatesAsync(CancellationToken cancellationToken = default) =>
            client.GetAsync("/v1/flow-templates", OperationsJson.Default.FlowTemplateList, cancellationToken);

        [ApiOperation("GET", "/v1/flow-templates/{id}")]
        public Task<FlowTemplateResponse> GetFlowTemplateAsync(string templateId, CancellationToken cancellationToken = default) =>
            client.GetAsync($"/v1/flow-templates/{ParleyClient.Id(templateId)}", OperationsJson.Default.FlowTemplateResponse, cancellationToken);
    }
}
