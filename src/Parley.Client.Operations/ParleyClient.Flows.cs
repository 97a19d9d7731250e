using System.Net.Http.Json;
using System.Text.Json;
using Parley.Client.Models;

namespace Parley.Client;

public sealed partial class ParleyClient
{
    [ApiOperation("GET", "/v1/bots/{id}/flow")]
    public async Task<ETagged<FlowDraftResponse>> GetFlowDraftAsync(string botId, CancellationToken cancellationToken = default)
    {
        using var request = Request(HttpMethod.Get, $"/v1/bots/{Id(botId)}/flow");
        return await ReadTaggedAsync<FlowDraftResponse>(request, cancellationToken);
    }

    /// <summary>
    /// Saves the draft flow. With <paramref name="ifMatch"/> (the ETag of the draft the change was made to) the save
    /// applies only if nobody saved since; otherwise it throws a 412 <c>precondition_failed</c> and saves nothing.
    /// </summary>
    [ApiOperation("PUT", "/v1/bots/{id}/flow")]
    public async Task<ETagged<FlowDraftResponse>> SaveFlowDraftAsync(string botId, JsonElement flow, string? ifMatch = null, CancellationToken cancellationToken = default)
    {
        using var request = Request(HttpMethod.Put, $"/v1/bots/{Id(botId)}/flow");
        request.Content = JsonContent.Create(flow, TypeInfo<JsonElement>());
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }
        return await ReadTaggedAsync<FlowDraftResponse>(request, cancellationToken);
    }

    [ApiOperation("POST", "/v1/bots/{id}/flow/publish")]
    public Task<FlowVersionResponse> PublishFlowAsync(string botId, CancellationToken cancellationToken = default) =>
        SendAsync<object, FlowVersionResponse>(HttpMethod.Post, $"/v1/bots/{Id(botId)}/flow/publish", null, cancellationToken);

    [ApiOperation("GET", "/v1/bots/{id}/flow/versions")]
    public Task<FlowVersionList> ListFlowVersionsAsync(string botId, CancellationToken cancellationToken = default) =>
        GetAsync<FlowVersionList>($"/v1/bots/{Id(botId)}/flow/versions", cancellationToken);

    [ApiOperation("GET", "/v1/bots/{id}/flow/versions/{version}")]
    public Task<FlowVersionResponse> GetFlowVersionAsync(string botId, int version, CancellationToken cancellationToken = default) =>
        GetAsync<FlowVersionResponse>($"/v1/bots/{Id(botId)}/flow/versions/{version}", cancellationToken);

    /// <summary>Runs one step of a test run of a flow that is not published (see <see cref="FlowTestRunRequest"/>).</summary>
    [ApiOperation("POST", "/v1/bots/{id}/flow/test-run")]
    public Task<FlowTestRunResponse> TestRunFlowAsync(string botId, FlowTestRunRequest request, CancellationToken cancellationToken = default) =>
        SendAsync<FlowTestRunRequest, FlowTestRunResponse>(HttpMethod.Post, $"/v1/bots/{Id(botId)}/flow/test-run", request, cancellationToken);

    [ApiOperation("GET", "/v1/flow-templates")]
    public Task<FlowTemplateList> ListFlowTemplatesAsync(CancellationToken cancellationToken = default) =>
        GetAsync<FlowTemplateList>("/v1/flow-templates", cancellationToken);

    [ApiOperation("GET", "/v1/flow-templates/{id}")]
    public Task<FlowTemplateResponse> GetFlowTemplateAsync(string templateId, CancellationToken cancellationToken = default) =>
        GetAsync<FlowTemplateResponse>($"/v1/flow-templates/{Id(templateId)}", cancellationToken);

    private async Task<ETagged<TResult>> ReadTaggedAsync<TResult>(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using var response = await http.SendAsync(request, cancellationToken);
        await ThrowIfProblemAsync(response, cancellationToken);
        var value = await response.Content.ReadFromJsonAsync(TypeInfo<TResult>(), cancellationToken)
            ?? throw new ParleyApiException((int)response.StatusCode, "empty_response", "The server answered without a body.", new Dictionary<string, string[]>(), null);
        return new ETagged<TResult>(value, response.Headers.ETag?.ToString());
    }
}
