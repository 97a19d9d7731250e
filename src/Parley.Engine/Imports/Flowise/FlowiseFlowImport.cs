using System.Text.Json;
using System.Text.Json.Nodes;

namespace Parley.Engine.Imports.Flowise;

/// <summary>
/// Maps a Flowise export: an AgentFlow v2 graph node by node (start, direct reply, condition, LLM, agent, retriever,
/// HTTP, human input), or a classic chatflow (a chain of LangChain nodes) as one AI-answer block, every node in the
/// report either way.
/// </summary>
public static class FlowiseFlowImport
{
    /// <summary>The largest export read; a chatflow is far smaller.</summary>
    public const int MaxBytes = 10 * 1024 * 1024;

    /// <summary>Maps the export; throws <see cref="ImportFileException"/> with the reasons when it cannot.</summary>
    public static FlowImport Map(ReadOnlyMemory<byte> json)
    {
        if (json.Length > MaxBytes)
        {
            throw new ImportFileException($"The file is larger than {MaxBytes / 1024 / 1024} MB.");
        }
        JsonNode? parsed;
        try
        {
            parsed = JsonNode.Parse(json.Span, documentOptions: new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException e)
        {
            throw new ImportFileException($"The file is not valid JSON ({e.Message}).");
        }
        if (parsed is not JsonObject root)
        {
            throw new ImportFileException("The file is not a Flowise export: it should be a JSON object with \"nodes\" and \"edges\".");
        }
        if (FlowiseWorkspaceImport.IsWorkspaceExport(root))
        {
            return FlowiseWorkspaceImport.Map(root);
        }
        // A chatflow downloaded from Flowise's list holds the graph as text in flowData.
        return MapGraph(ImportJson.Text(root, "flowData") is { } flowData ? FlowData(flowData, ImportJson.Text(root, "name")) : root);
    }

    /// <summary>The graph a chatflow record holds as text in <c>flowData</c>, named after the record.</summary>
    internal static JsonObject FlowData(string flowData, string? name)
    {
        JsonObject graph;
        try
        {
            graph = JsonNode.Parse(flowData, documentOptions: new JsonDocumentOptions { MaxDepth = 64 }) as JsonObject
                ?? throw new ImportFileException("\"flowData\" is not a JSON object.");
        }
        catch (JsonException e)
        {
            throw new ImportFileException($"\"flowData\" is not valid JSON ({e.Message}).");
        }
        graph["name"] ??= name;
        return graph;
    }

    /// <summary>Maps one chatflow or agentflow graph (<c>nodes</c> and <c>edges</c>).</summary>
    internal static FlowImport MapGraph(JsonObject root)
    {
        if (root["nodes"] is not JsonArray nodes || nodes.Count == 0)
        {
            throw new ImportFileException("\"nodes\" must be a non-empty list: a Flowise chatflow or agentflow export has one.");
        }
        var isAgentFlow = nodes.OfType<JsonObject>().Any(n => ImportJson.Text(ImportJson.Object(n, "data"), "name") is { } name
            && name.EndsWith("Agentflow", StringComparison.Ordinal));
        return isAgentFlow ? new FlowiseAgentFlowMapper(root).Map() : FlowiseChatflowMapper.Map(root);
    }
}
