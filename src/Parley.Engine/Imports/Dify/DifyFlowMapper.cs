using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Parley.Engine.Flows;

namespace Parley.Engine.Imports.Dify;

/// <summary>
/// Maps the nodes of one Dify graph through an <see cref="ImportedFlowBuilder"/>. Dify's references
/// (<c>{{#node.variable#}}</c>) become Parley placeholders: the visitor's message (<c>sys.query</c>) is <c>{{query}}</c>,
/// start inputs and conversation variables keep their names, other nodes' outputs become <c>{{node_variable}}</c>.
/// </summary>
internal sealed partial class DifyFlowMapper(JsonObject root, JsonObject app, JsonObject graph, bool chat)
{
    private const string Platform = "Dify";
    private readonly ImportedFlowBuilder _flow = new();
    private readonly Dictionary<string, JsonObject> _nodes = new(StringComparer.Ordinal);
    private readonly HashSet<string> _llms = new(StringComparer.Ordinal);
    private readonly HashSet<string> _startIds = new(StringComparer.Ordinal);

    [GeneratedRegex(@"\{\{#([A-Za-z0-9_\-]+)\.([A-Za-z0-9_\-.]+)#\}\}")]
    private static partial Regex Reference();

    public static FlowImport MapBasicApp(JsonObject root, JsonObject app, string mode)
    {
        var flow = new ImportedFlowBuilder();
        var config = ImportJson.Object(root, "model_config");
        var opening = ImportJson.Text(config, "opening_statement") ?? "";
        var node = flow.Add("assistant", FlowBlocks.AiAnswer, 0, 0, new JsonObject { ["text"] = ImportJson.Clip(opening), ["max_turns"] = 50 });
        flow.Report("app", "app", mode, ImportOutcome.Approximate,
            "A Dify chat app becomes one AI-answer block: Parley answers with the bot's model and knowledge; the app's prompt is not carried over (put it in the bot's instructions).", node);
        var model = DifyModels.Read("app", "model_config.model", ImportJson.Object(config, "model"));
        return flow.Build(ImportJson.Text(app, "name") ?? "", node, Platform) with { Models = model is null ? [] : [model] };
    }

    public FlowImport Map()
    {
        foreach (var node in ImportJson.Array(graph, "nodes").OfType<JsonObject>())
        {
            if (ImportJson.Text(node, "id") is { } id && ImportJson.Object(node, "data") is not null && ImportJson.Text(node, "type") != "custom-note")
            {
                _nodes[id] = node;
            }
        }
        _llms.UnionWith(_nodes.Where(n => Type(n.Value) == "llm").Select(n => n.Key));
        _startIds.UnionWith(_nodes.Where(n => Type(n.Value) == "start").Select(n => n.Key));
        var needsQuery = chat && _nodes.Values.Any(n => Type(n) is not ("llm" or "knowledge-retrieval" or "question-classifier")
            && n.ToJsonString().Contains("sys.query", StringComparison.Ordinal));

        foreach (var (id, node) in _nodes)
        {
            MapNode(id, node, needsQuery);
        }
        foreach (var edge in ImportJson.Array(graph, "edges"))
        {
            if (ImportJson.Text(edge, "source") is { } source && ImportJson.Text(edge, "target") is { } target)
            {
                _flow.Link(source, ImportJson.Text(edge, "sourceHandle") ?? "source", target);
            }
        }
        if (_startIds.Count == 0)
        {
            throw new ImportFileException("The graph has no start node, so there is nothing to import.");
        }
        var start = _flow.Resolve(_startIds.First());

        foreach (var variable in ImportJson.Array(ImportJson.Object(root, "workflow"), "conversation_variables"))
        {
            if (ImportJson.Text(variable, "name") is { } name)
            {
                _flow.Variable(ImportJson.VariableName(name), ImportJson.Text(variable, "value") ?? "");
            }
        }
        if (ImportJson.Array(ImportJson.Object(root, "workflow"), "environment_variables").Any())
        {
            _flow.Note("Dify's environment variables are not carried over (secret ones are exported empty); put the values in the blocks that use them.");
        }
        if (chat)
        {
            _flow.Note("Dify runs a chatflow again for each message; the Parley flow runs once per conversation, and the bot's own answers take over when it ends.");
        }
        _flow.Note($"Imported from a Dify {(chat ? "chatflow" : "workflow")} (DSL version {ImportJson.Text(root, "version") ?? "unknown"}).");
        var models = _nodes.Where(n => _llms.Contains(n.Key) || Type(n.Value) is "question-classifier" or "parameter-extractor")
            .Select(n => DifyModels.Read(Title(n.Value), n.Key + ".model", ImportJson.Object(Data(n.Value), "model"), answers: _llms.Contains(n.Key)));
        return _flow.Build(ImportJson.Text(app, "name") ?? "", start, Platform) with { Models = [.. models.OfType<ImportedModel>()] };
    }

    private static string Type(JsonObject node) => ImportJson.Text(Data(node), "type") ?? "";

    private static JsonObject Data(JsonObject node) => ImportJson.Object(node, "data")!;

    private static string Title(JsonObject node) => ImportJson.Text(Data(node), "title") ?? Type(node);

    /// <summary>Dify's references rewritten as Parley placeholders; the output of an LLM is dropped (the AI-answer block already said it).</summary>
    private string Rewrite(string? text) => Reference().Replace(text ?? "", m => Placeholder(m.Groups[1].Value, m.Groups[2].Value));

    private string Placeholder(string node, string variable)
    {
        if (_llms.Contains(node))
        {
            return "";
        }
        return "{{" + VariableOf(node, variable) + "}}";
    }

    private string VariableOf(string node, string variable) => node switch
    {
        "sys" when variable == "query" => "query",
        "sys" => ImportJson.VariableName("sys_" + variable),
        "conversation" or "env" => ImportJson.VariableName(variable),
        _ when _startIds.Contains(node) => ImportJson.VariableName(variable),
        _ => ImportJson.VariableName($"{node}_{variable}"),
    };

    private string? Selector(JsonNode? selector) =>
        selector is JsonArray { Count: >= 2 } parts && ImportJson.Text(parts[0]) is { } node && ImportJson.Text(parts[1]) is { } variable
            ? VariableOf(node, variable)
            : null;

    private string? MapNode(string id, JsonObject node, bool needsQuery)
    {
        var data = Data(node);
        var (x, y) = (ImportJson.Number(ImportJson.Object(node, "position"), "x"), ImportJson.Number(ImportJson.Object(node, "position"), "y"));
        var title = Title(node);
        var type = Type(node);
        void Report(string outcome, string? note, params string[] made) => _flow.Report(title, id, type, outcome, note, made);
        string? Pass(string outcome, string note)
        {
            Report(outcome, note);
            _flow.Entry(id, null);
            return null;
        }
        string Single(string blockType, JsonObject settings, string outcome, string? note, params string[] ports)
        {
            var made = _flow.Add(id, blockType, x, y, settings);
            Report(outcome, note, made);
            _flow.Entry(id, made);
            foreach (var port in ports)
            {
                _flow.Exit(id, ImportedFlowBuilder.AnyHandle, made, port);
            }
            return made;
        }

        switch (type)
        {
            case "start":
                return MapStart(id, data, x, y, needsQuery, Report);
            case "answer":
                var answer = Rewrite(ImportJson.Text(data, "answer")).Trim();
                if (answer.Length == 0)
                {
                    return Pass(ImportOutcome.Created, "It only repeats the LLM's reply, which the AI-answer block already sends.");
                }
                var cut = answer.Length > FlowValidator.MaxTextLength;
                return Single(FlowBlocks.Message, new JsonObject { ["text"] = ImportJson.Clip(answer) },
                    cut ? ImportOutcome.Approximate : ImportOutcome.Created, cut ? "The text is cut at 4000 characters." : null, "next");
            case "llm":
                return Single(FlowBlocks.AiAnswer, new JsonObject { ["max_turns"] = 1 }, ImportOutcome.Approximate,
                    "Becomes an AI answer to the visitor's next message with the bot's model and knowledge; the node's prompt is not carried over, and its model is reported on its own line.",
                    "done");
            case "knowledge-retrieval":
                return Pass(ImportOutcome.Approximate,
                    "Parley's AI answer searches the bot's knowledge by itself; add this knowledge base's documents to the bot as knowledge sources.");
            case "if-else":
                return MapIfElse(id, data, x, y, Report);
            case "question-classifier":
                return MapClassifier(id, data, x, y, Report);
            case "http-request":
                return MapHttp(id, data, x, y, Single);
            case "assigner":
                return MapAssigner(id, data, x, y, Report);
            case "end":
                var outputs = ImportJson.Array(data, "outputs").Select(o => ImportJson.Text(o, "variable")).OfType<string>().ToList();
                return Single(FlowBlocks.End, new JsonObject(), outputs.Count == 0 ? ImportOutcome.Created : ImportOutcome.Approximate,
                    outputs.Count == 0 ? null : $"The flow ends here; the workflow's outputs ({string.Join(", ", outputs)}) are not returned to a caller.");
            case "code" or "template-transform" or "tool" or "parameter-extractor" or "iteration" or "iteration-start" or "loop"
                or "variable-aggregator" or "variable-assigner" or "document-extractor" or "list-operator" or "agent":
                return Pass(ImportOutcome.NotCarried, $"A Dify '{type}' node has no Parley block; the flow goes straight on.");
            default:
                return Pass(ImportOutcome.NotCarried, $"The node type '{type}' has no Parley equivalent; the flow goes straight on.");
        }
    }
}
