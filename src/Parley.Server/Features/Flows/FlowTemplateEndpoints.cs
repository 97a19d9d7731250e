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

    // The templates ship inside the build, so the gallery is the same for every request.
    private static readonly Lazy<FlowTemplateList> Gallery =
        new(() => new FlowTemplateList([.. FlowTemplates.Names.Select(name => Summary(FlowTemplates.Find(name)!))]));

    public static Ok<FlowTemplateList> List() => TypedResults.Ok(Gallery.Value);

    public static Ok<FlowTemplateResponse> Get(string id)
    {
        var template = FlowTemplates.Find(id) ?? throw ApiException.NotFound("flow template", id);
        var (name, description) = FlowTemplates.Descriptions[id];
        return TypedResults.Ok(new FlowTemplateResponse(id, name, description, template.Graph.Nodes.Count, FlowJson.Parse(template.Json)));
    }

    private static FlowTemplateSummary Summary(FlowTemplate template)
    {
        var (name, description) = FlowTemplates.Descriptions[template.Id];
        var graph = template.Graph;
        var preview = new FlowTemplatePreview(
            [.. graph.Nodes.Select(n => new FlowTemplatePreviewBlock(n.Id, n.Type, n.X, n.Y))],
            [.. graph.Edges.Select(e => new FlowTemplatePreviewEdge(e.FromNode, e.ToNode))]);
        return new FlowTemplateSummary(template.Id, name, description, graph.Nodes.Count, preview);
    }
}
