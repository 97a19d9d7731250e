using System.Text.Json.Nodes;
using Parley.Engine.Flows;

namespace Parley.Engine.Imports.Flowise;

/// <summary>
/// A classic Flowise chatflow is one LangChain pipeline answering every message, so it becomes one AI-answer block
/// (the bot's model and knowledge answer); each node is reported with what it means for the Parley bot.
/// </summary>
internal static class FlowiseChatflowMapper
{
    public static FlowImport Map(JsonObject root)
    {
        var flow = new ImportedFlowBuilder();
        var nodes = ImportJson.Array(root, "nodes").OfType<JsonObject>().Where(n => ImportJson.Object(n, "data") is not null).ToList();
        var anchor = nodes.FirstOrDefault(n => Category(n) is "Chains" or "Agents" or "Multi Agents") ?? nodes[0];
        var position = ImportJson.Object(anchor, "position");
        var answer = flow.Add("assistant", FlowBlocks.AiAnswer, ImportJson.Number(position, "x"), ImportJson.Number(position, "y"),
            new JsonObject { ["max_turns"] = 50 });
        foreach (var node in nodes)
        {
            var data = ImportJson.Object(node, "data")!;
            var id = ImportJson.Text(node, "id") ?? ImportJson.Text(data, "id") ?? "node";
            var name = ImportJson.Text(data, "name") ?? "unknown";
            var label = ImportJson.Text(data, "label") ?? name;
            var (outcome, note) = Category(node) switch
            {
                "Chains" or "Agents" or "Multi Agents" => (ImportOutcome.Approximate,
                    "The chatflow becomes one AI-answer block: Parley answers every message with the bot's model and knowledge; this chain's prompt and settings are not carried over."),
                "Chat Models" or "LLMs" => (ImportOutcome.Approximate, ModelNote(flow, data)),
                "Document Loaders" or "Vector Stores" or "Retrievers" or "Text Splitters" or "Embeddings" => (ImportOutcome.Approximate,
                    "Parley's AI answer searches the bot's own knowledge: add these documents to the bot as knowledge sources."),
                "Memory" => (ImportOutcome.Approximate, "Parley keeps the conversation's history by itself."),
                "Prompts" => (ImportOutcome.Approximate, "The prompt is not carried over: put its instructions in the bot's settings."),
                _ => (ImportOutcome.NotCarried, $"The {Category(node) ?? "unknown"} node '{label}' has no Parley equivalent."),
            };
            flow.Report(label, id, name, outcome, note, outcome == ImportOutcome.NotCarried ? [] : [answer]);
        }
        flow.Note("Imported from a Flowise chatflow: one AI-answer block answers every message.");
        return flow.Build(ImportJson.Text(root, "name") ?? "Flowise chatflow", answer, "Flowise");
    }

    private static string? Category(JsonObject node) => ImportJson.Text(ImportJson.Object(node, "data"), "category");

    internal static string ModelNote(ImportedFlowBuilder flow, JsonObject data)
    {
        var inputs = ImportJson.Object(data, "inputs");
        var model = ImportJson.Text(inputs, "modelName") ?? ImportJson.Text(inputs, "model");
        var provider = ImportJson.Text(data, "label") ?? ImportJson.Text(data, "name") ?? "a model provider";
        flow.Note($"The chatflow used {provider}{(model is null ? "" : $" ({model})")}: configure that provider for the bot in Parley; the export holds no API key, so none was carried over.");
        return "The model is named in the notes; Parley answers with the model configured for the bot.";
    }
}
