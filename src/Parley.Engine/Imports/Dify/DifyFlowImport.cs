using System.Text.Json.Nodes;

namespace Parley.Engine.Imports.Dify;

/// <summary>
/// Maps a Dify app exported as DSL (YAML, as Dify 0.6 to 0.7 writes it): a chatflow or workflow graph is mapped node by
/// node (answer, LLM, knowledge retrieval, if/else, question classifier, HTTP request, variable assigner, end) with
/// every node in the report; a basic chat app becomes one AI-answer block. The models the app used come back in
/// <see cref="FlowImport.Models"/>, never with a key: the export carries none.
/// </summary>
public static class DifyFlowImport
{
    /// <summary>Maps the export; throws <see cref="ImportFileException"/> with the reasons when it cannot.</summary>
    public static FlowImport Map(ReadOnlyMemory<byte> yaml)
    {
        var root = SafeYaml.Parse(yaml) as JsonObject
            ?? throw new ImportFileException("The file is not a Dify DSL export: it should be a YAML mapping with \"app\" and \"workflow\".");
        var app = ImportJson.Object(root, "app")
            ?? throw new ImportFileException("\"app\" is missing: this is not a Dify DSL export.");
        if (ImportJson.Text(root, "kind") is { } kind && kind != "app")
        {
            throw new ImportFileException($"The DSL kind '{kind}' is not supported; export an app from Dify's studio.");
        }
        var mode = ImportJson.Text(app, "mode") ?? "";
        var graph = ImportJson.Object(ImportJson.Object(root, "workflow"), "graph");
        if (mode is "advanced-chat" or "workflow")
        {
            if (graph is null || graph["nodes"] is not JsonArray)
            {
                throw new ImportFileException("\"workflow.graph.nodes\" must be a list: a Dify chatflow or workflow export has one.");
            }
            return new DifyFlowMapper(root, app, graph, chat: mode == "advanced-chat").Map();
        }
        if (mode is "chat" or "agent-chat" or "completion")
        {
            return DifyFlowMapper.MapBasicApp(root, app, mode);
        }
        throw new ImportFileException($"The app mode '{mode}' is not one Dify exports (advanced-chat, workflow, chat, agent-chat, completion).");
    }
}
