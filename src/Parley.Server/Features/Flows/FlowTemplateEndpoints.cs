using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Parley.Server.Infrastructure.Auth;
using Parley.Server.Infrastructure.Errors;

namespace Parley.Server.Features.Flows;

/// <summary>The templates gallery: the flows a bot can start from, to read before choosing one.</summary>
public static class FlowTemplateEndpoints
{
    public static IEndpointRouteBuilder MapFlowTemplates(this IEndpointRouteBuilder api)
    {
        var templates = api.MapGroup("/flow-templates").WithTags("Flows");
        templates.MapGet("/", List).RequireScope(Scopes.BotsRead)
            .WithName("ListFlowTemplates").WithSummary("List the flow templates")
            .WithDescription("Every template with its name, description, block count and a preview: its blocks in order with their positions, "
                + "and its connections, enough to draw it small. Start a flow from one with `GET /v1/flow-templates/{id}` and `PUT /v1/bots/{id}/flow`, "
                + "or create a bot with `\"template\"`.");
        templates.MapGet("/{id}", Get).RequireScope(Scopes.BotsRead)
            .WithName("GetFlowTemplate").WithSummary("Get a flow template")
            .WithDescription("One template with its whole graph, in the form `PUT /v1/bots/{id}/flow` takes.");
        return api;
    }

    public static Ok<FlowTemplateList> List() =>
        TypedResults.Ok(new FlowTemplateList([.. FlowTemplates.Names.Select(name => Summary(name, Graph(name)))]));

    public static Ok<FlowTemplateResponse> Get(string id)
    {
        if (!FlowTemplates.Names.Contains(id))
        {
            throw ApiException.NotFound("flow template", id);
        }
        var graph = Graph(id);
        var (name, description) = FlowTemplates.Descriptions[id];
        return TypedResults.Ok(new FlowTemplateResponse(id, name, description, graph.GetProperty("nodes").GetArrayLength(), graph));
    }

    private static JsonElement Graph(string id) => FlowJson.Parse(FlowTemplates.Load(id)!);

    private static FlowTemplateSummary Summary(string id, JsonElement graph)
    {
        var (name, description) = FlowTemplates.Descriptions[id];
        var nodes = graph.GetProperty("nodes").EnumerateArray().Select(n => new FlowTemplatePreviewBlock(
            n.GetProperty("id").GetString()!, n.GetProperty("type").GetString()!,
            n.TryGetProperty("position", out var p) ? p.GetProperty("x").GetDouble() : 0,
            n.TryGetProperty("position", out var q) ? q.GetProperty("y").GetDouble() : 0)).ToList();
        var edges = graph.TryGetProperty("edges", out var e)
            ? e.EnumerateArray().Select(edge => new FlowTemplatePreviewEdge(
                edge.GetProperty("from").GetProperty("node").GetString()!, edge.GetProperty("to").GetProperty("node").GetString()!)).ToList()
            : [];
        return new FlowTemplateSummary(id, name, description, nodes.Count, new FlowTemplatePreview(nodes, edges));
    }
}
