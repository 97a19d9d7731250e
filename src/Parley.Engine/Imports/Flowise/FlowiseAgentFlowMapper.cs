using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Parley.Engine.Flows;

namespace Parley.Engine.Imports.Flowise;

/// <summary>
/// Maps the nodes of a Flowise AgentFlow v2 through an <see cref="ImportedFlowBuilder"/>. An edge leaves a node by a
/// handle <c>{node}-output-{n}</c> (a condition's last output is its else); Flowise's placeholders become Parley's:
/// <c>{{ question }}</c> is <c>{{query}}</c>, <c>{{ $flow.state.x }}</c> and <c>{{ $form.x }}</c> are <c>{{x}}</c>.
/// </summary>
internal sealed partial class FlowiseAgentFlowMapper(JsonObject root)
{
    private const string Platform = "Flowise";
    private const double Row = 140;
    private readonly ImportedFlowBuilder _flow = new();
    private readonly HashSet<string> _answers = new(StringComparer.Ordinal);

    private static readonly string[] ScopePrefixes = ["$flow.state.", "$form.", "$vars."];

    [GeneratedRegex(@"\{\{\s*([^{}\s]+)\s*\}\}")]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"</p>\s*<p[^>]*>|<br\s*/?>", RegexOptions.IgnoreCase)]
    private static partial Regex Break();

    [GeneratedRegex(@"<[^>]*>")]
    private static partial Regex Tag();

    public FlowImport Map()
    {
        var nodes = ImportJson.Array(root, "nodes").OfType<JsonObject>()
            .Where(n => ImportJson.Text(n, "id") is not null && ImportJson.Object(n, "data") is not null && Name(n) != "stickyNoteAgentflow")
            .ToList();
        _answers.UnionWith(nodes.Where(n => Name(n) is "llmAgentflow" or "agentAgentflow").Select(n => ImportJson.Text(n, "id")!));
        var needsQuery = nodes.Any(n => Name(n) is not ("llmAgentflow" or "agentAgentflow" or "retrieverAgentflow")
            && Regex.IsMatch(ImportJson.Object(n, "data")!["inputs"]?.ToJsonString() ?? "", @"\{\{\s*question\s*\}\}"));
        foreach (var node in nodes)
        {
            MapNode(node, needsQuery);
        }
        foreach (var edge in ImportJson.Array(root, "edges"))
        {
            if (ImportJson.Text(edge, "source") is { } source && ImportJson.Text(edge, "target") is { } target)
            {
                _flow.Link(source, ImportJson.Text(edge, "sourceHandle") ?? "", target);
            }
        }
        var start = nodes.FirstOrDefault(n => Name(n) == "startAgentflow")
            ?? throw new ImportFileException("The agentflow has no Start node, so there is nothing to import.");
        _flow.Note("Flowise runs an agentflow again for each message; the Parley flow runs once per conversation, and the bot's own answers take over when it ends.");
        _flow.Note("Imported from a Flowise AgentFlow v2 export.");
        return _flow.Build(ImportJson.Text(root, "name") ?? "Flowise agentflow", _flow.Resolve(ImportJson.Text(start, "id")!), Platform);
    }

    private static string Name(JsonObject node) => ImportJson.Text(ImportJson.Object(node, "data"), "name") ?? "";

    private static JsonObject? Inputs(JsonObject node) => ImportJson.Object(ImportJson.Object(node, "data"), "inputs");

    private static string Output(string id, int index) => $"{id}-output-{index}";

    /// <summary>Flowise's rich text (HTML from its editor) as plain text with Parley placeholders.</summary>
    private string Text(string? html)
    {
        var text = WebUtility.HtmlDecode(Tag().Replace(Break().Replace(html ?? "", "\n"), ""));
        return Placeholder().Replace(text, m =>
        {
            var name = m.Groups[1].Value;
            if (name == "question")
            {
                return "{{query}}";
            }
            foreach (var prefix in ScopePrefixes)
            {
                if (name.StartsWith(prefix, StringComparison.Ordinal))
                {
                    return "{{" + ImportJson.VariableName(name[prefix.Length..]) + "}}";
                }
            }
            return _answers.Contains(name) ? "" : "{{" + ImportJson.VariableName(name) + "}}";
        }).Trim();
    }

    private void MapNode(JsonObject node, bool needsQuery)
    {
        var id = ImportJson.Text(node, "id")!;
        var data = ImportJson.Object(node, "data")!;
        var name = Name(node);
        var label = ImportJson.Text(data, "label") ?? name;
        var inputs = Inputs(node);
        var position = ImportJson.Object(node, "position");
        var (x, y) = (ImportJson.Number(position, "x"), ImportJson.Number(position, "y"));
        void Pass(string outcome, string note)
        {
            _flow.Report(label, id, name, outcome, note);
            _flow.Entry(id, null);
        }
        void Single(string type, JsonObject settings, string outcome, string? note, params (int Output, string Port)[] exits)
        {
            var made = _flow.Add(id, type, x, y, settings);
            _flow.Report(label, id, name, outcome, note, made);
            _flow.Entry(id, made);
            foreach (var (output, port) in exits)
            {
                _flow.Exit(id, output < 0 ? ImportedFlowBuilder.AnyHandle : Output(id, output), made, port);
            }
        }

        switch (name)
        {
            case "startAgentflow":
                MapStart(id, label, inputs, x, y, needsQuery);
                break;
            case "directReplyAgentflow":
                var reply = Text(ImportJson.Text(inputs, "directReplyMessage"));
                if (reply.Length == 0)
                {
                    Pass(ImportOutcome.Created, "It only repeats the model's reply, which the AI-answer block already sends.");
                    break;
                }
                Single(FlowBlocks.Message, new JsonObject { ["text"] = ImportJson.Clip(reply) }, ImportOutcome.Created, null, (-1, "next"));
                break;
            case "llmAgentflow" or "agentAgentflow":
                var model = ImportJson.Text(inputs, name == "llmAgentflow" ? "llmModel" : "agentModel");
                if (model is not null)
                {
                    _flow.Note($"The {label} node used the model provider {model}: configure it for the bot in Parley; the export holds no API key, so none was carried over.");
                }
                var tools = ImportJson.Array(inputs, "agentTools").Any();
                Single(FlowBlocks.AiAnswer, new JsonObject { ["max_turns"] = 1 }, ImportOutcome.Approximate,
                    "Becomes an AI answer to the visitor's next message with the bot's model and knowledge; the node's messages and model settings are not carried over"
                    + (tools ? ", nor its tools." : "."), (-1, "done"));
                break;
            case "retrieverAgentflow":
                Pass(ImportOutcome.Approximate, "Parley's AI answer searches the bot's knowledge by itself; add the document store's documents to the bot as knowledge sources.");
                break;
            case "conditionAgentflow":
                MapCondition(id, label, inputs, x, y);
                break;
            case "conditionAgentAgentflow":
                var scenarios = ImportJson.Array(inputs, "conditionAgentScenarios").Select(s => ImportJson.Text(s, "scenario")).Where(s => !string.IsNullOrWhiteSpace(s)).Take(10).ToList();
                if (scenarios.Count == 0)
                {
                    Pass(ImportOutcome.NotCarried, "The condition agent has no scenarios.");
                    break;
                }
                Single(FlowBlocks.Choice, new JsonObject
                {
                    ["text"] = "Which of these is your question about?",
                    ["options"] = new JsonArray([.. scenarios.Select((s, i) => (JsonNode)new JsonObject { ["id"] = $"scenario_{i + 1}", ["label"] = ImportJson.Clip(s!.Trim(), 100) })]),
                }, ImportOutcome.Approximate, "Flowise's model picks the scenario; Parley asks the visitor to pick it instead.",
                    [.. scenarios.Select((_, i) => (i, $"scenario_{i + 1}"))]);
                break;
            case "httpAgentflow":
                MapHttp(id, label, inputs, Single, Pass);
                break;
            case "humanInputAgentflow":
                var question = Text(ImportJson.Text(inputs, "humanInputDescription"));
                Single(FlowBlocks.Choice, new JsonObject
                {
                    ["text"] = ImportJson.Clip(question.Length > 0 ? question : "Shall I go on?"),
                    ["options"] = new JsonArray(
                        new JsonObject { ["id"] = "proceed", ["label"] = "Proceed" },
                        new JsonObject { ["id"] = "reject", ["label"] = "Reject" }),
                }, ImportOutcome.Approximate, "The approval is asked of the visitor in the chat, with Proceed and Reject buttons; a written feedback is not collected.",
                    (0, "proceed"), (1, "reject"));
                break;
            case "customFunctionAgentflow" or "toolAgentflow" or "loopAgentflow" or "iterationAgentflow" or "executeFlowAgentflow":
                Pass(ImportOutcome.NotCarried, $"The Flowise node '{label}' ({name}) runs code or tools Parley's flow does not have; the flow goes straight on.");
                break;
            default:
                Pass(ImportOutcome.NotCarried, $"The node type '{name}' has no Parley equivalent; the flow goes straight on.");
                break;
        }
    }

    private void MapStart(string id, string label, JsonObject? inputs, double x, double y, bool needsQuery)
    {
        var chain = new List<(string Node, IReadOnlyList<string> Ports)>();
        foreach (var state in ImportJson.Array(inputs, "startState"))
        {
            if (ImportJson.Text(state, "key") is { Length: > 0 } key)
            {
                _flow.Variable(ImportJson.VariableName(key), ImportJson.Text(state, "value") ?? "");
            }
        }
        if (ImportJson.Text(inputs, "startInputType") == "formInput")
        {
            foreach (var field in ImportJson.Array(inputs, "formInputTypes"))
            {
                if (ImportJson.Text(field, "name") is not { Length: > 0 } fieldName)
                {
                    continue;
                }
                var text = ImportJson.Clip(ImportJson.Text(field, "label") is { Length: > 0 } l ? l : fieldName);
                var variable = ImportJson.VariableName(fieldName);
                var options = ImportJson.Array(field, "addOptions").Select(o => ImportJson.Text(o, "option")).OfType<string>()
                    .Where(o => o.Length is > 0 and <= 100).Take(10).ToList();
                var type = ImportJson.Text(field, "type");
                if (type == "boolean")
                {
                    options = ["Yes", "No"];
                }
                var at = y + chain.Count * Row;
                if (options.Count > 0)
                {
                    chain.Add((_flow.Add($"{id}_{fieldName}", FlowBlocks.Choice, x, at, new JsonObject
                    {
                        ["text"] = text,
                        ["variable"] = variable,
                        ["options"] = new JsonArray([.. options.Select((o, i) => (JsonNode)new JsonObject { ["id"] = $"option_{i + 1}", ["label"] = o })]),
                    }), [.. options.Select((_, i) => $"option_{i + 1}")]));
                }
                else
                {
                    chain.Add((_flow.Add($"{id}_{fieldName}", FlowBlocks.Ask, x, at,
                        new JsonObject { ["text"] = text, ["variable"] = variable, ["input"] = type == "number" ? "number" : "text" }), ["next"]));
                }
            }
        }
        if (needsQuery)
        {
            chain.Add((_flow.Add(id + "_question", FlowBlocks.Ask, x, y + chain.Count * Row,
                new JsonObject { ["text"] = "What would you like to ask?", ["variable"] = "query" }), ["next"]));
        }
        for (var i = 0; i + 1 < chain.Count; i++)
        {
            foreach (var port in chain[i].Ports)
            {
                _flow.Wire(chain[i].Node, port, chain[i + 1].Node);
            }
        }
        if (chain.Count == 0)
        {
            _flow.Report(label, id, "startAgentflow", ImportOutcome.Created, null);
            _flow.Entry(id, null);
            return;
        }
        foreach (var port in chain[^1].Ports)
        {
            _flow.Exit(id, ImportedFlowBuilder.AnyHandle, chain[^1].Node, port);
        }
        _flow.Report(label, id, "startAgentflow", ImportOutcome.Approximate,
            "Flowise collects the start form (and the visitor's question) before the flow runs; Parley asks for them one by one.", [.. chain.Select(c => c.Node)]);
        _flow.Entry(id, chain[0].Node);
    }

    private static readonly Dictionary<string, (string Operator, bool Exact)> Operations = new(StringComparer.Ordinal)
    {
        ["equal"] = ("equals", true), ["notEqual"] = ("not_equals", true), ["contains"] = ("contains", true),
        ["startsWith"] = ("starts_with", true), ["isEmpty"] = ("not_exists", true), ["notEmpty"] = ("exists", true),
        ["larger"] = ("greater_than", true), ["smaller"] = ("less_than", true), ["largerEqual"] = ("greater_than", false),
        ["smallerEqual"] = ("less_than", false), ["notContains"] = ("not_equals", false), ["endsWith"] = ("contains", false),
    };

    private void MapCondition(string id, string label, JsonObject? inputs, double x, double y)
    {
        var conditions = ImportJson.Array(inputs, "conditions").ToList();
        var made = new List<string>();
        var approximations = new List<string>();
        for (var i = 0; i < conditions.Count; i++)
        {
            var condition = conditions[i];
            var value1 = Text(ImportJson.Text(condition, "value1"));
            var operation = ImportJson.Text(condition, "operation") ?? "";
            // Parley compares a variable: value1 must be one placeholder.
            var key = Regex.Match(value1, @"^\{\{([A-Za-z][A-Za-z0-9_]*)\}\}$") is { Success: true } m ? m.Groups[1].Value : null;
            if (key is null || !Operations.TryGetValue(operation, out var mapped))
            {
                approximations.Add($"condition {i + 1} ('{value1}' {operation}) cannot be checked in Parley and is never taken");
                continue;
            }
            if (!mapped.Exact)
            {
                approximations.Add($"'{operation}' is read as {mapped.Operator.Replace('_', ' ')}");
            }
            var rule = new JsonObject { ["source"] = "variable", ["key"] = key, ["operator"] = mapped.Operator };
            if (mapped.Operator is not ("exists" or "not_exists"))
            {
                rule["value"] = Text(ImportJson.Text(condition, "value2"));
            }
            var block = _flow.Add(made.Count == 0 ? id : $"{id}_{i + 1}", FlowBlocks.Condition, x + made.Count * 260, y, new JsonObject { ["rules"] = new JsonArray(rule) });
            if (made.Count > 0)
            {
                _flow.Wire(made[^1], "false", block);
            }
            made.Add(block);
            _flow.Exit(id, Output(id, i), block, "true");
        }
        if (made.Count == 0)
        {
            _flow.Report(label, id, "conditionAgentflow", ImportOutcome.NotCarried, "None of its conditions can be checked in Parley; the flow takes its else branch.");
            _flow.Entry(id, null, Output(id, conditions.Count));
            return;
        }
        _flow.Exit(id, Output(id, conditions.Count), made[^1], "false");
        _flow.Report(label, id, "conditionAgentflow", approximations.Count == 0 ? ImportOutcome.Created : ImportOutcome.Approximate,
            approximations.Count == 0 ? (made.Count > 1 ? "Each condition became a condition block, tried in order." : null)
                : char.ToUpperInvariant(approximations[0][0]) + string.Join("; ", approximations)[1..] + ".",
            [.. made]);
        _flow.Entry(id, made[0]);
    }

    private void MapHttp(string id, string label, JsonObject? inputs, Action<string, JsonObject, string, string?, (int, string)[]> single, Action<string, string> pass)
    {
        var method = (ImportJson.Text(inputs, "method") ?? "GET").ToUpperInvariant();
        var url = Text(ImportJson.Text(inputs, "url"));
        var query = ImportJson.Array(inputs, "queryParams").Select(p => (Key: ImportJson.Text(p, "key"), Value: Text(ImportJson.Text(p, "value")))).Where(p => p.Key is { Length: > 0 }).ToList();
        if (query.Count > 0)
        {
            url += (url.Contains('?', StringComparison.Ordinal) ? "&" : "?") + string.Join("&", query.Select(p => $"{p.Key}={p.Value}"));
        }
        if (!FlowValidator.HttpMethods.Contains(method) || url.Length == 0 || (!url.Contains("{{", StringComparison.Ordinal) && !Uri.TryCreate(url, UriKind.Absolute, out _)))
        {
            pass(ImportOutcome.NotCarried, $"The request ({method} '{url}') is not one Parley's HTTP block can send.");
            return;
        }
        var settings = new JsonObject { ["method"] = method, ["url"] = url, ["response_mapping"] = new JsonObject { [ImportJson.VariableName(id)] = "$" } };
        var headers = ImportJson.Array(inputs, "headers").Select(h => (Key: ImportJson.Text(h, "key"), Value: Text(ImportJson.Text(h, "value")))).Where(h => h.Key is { Length: > 0 }).ToList();
        if (headers.Count > 0)
        {
            settings["headers"] = new JsonObject(headers.Select(h => KeyValuePair.Create(h.Key!, (JsonNode?)JsonValue.Create(h.Value))));
        }
        string? note = null;
        if (ImportJson.Text(inputs, "body") is { Length: > 0 } body)
        {
            try
            {
                settings["body"] = ImportJson.Text(inputs, "bodyType") == "json" ? JsonNode.Parse(Text(body)) : JsonValue.Create(Text(body));
            }
            catch (JsonException)
            {
                settings["body"] = Text(body);
                note = "Its JSON body did not parse and is sent as text.";
            }
        }
        if (ImportJson.Text(inputs, "httpCredential") is { Length: > 0 })
        {
            note = (note is null ? "" : note + " ") + "Its credential is not carried over (the export holds no secret): add the header by hand.";
        }
        single(FlowBlocks.Http, settings, note is null ? ImportOutcome.Created : ImportOutcome.Approximate, note, [(-1, "ok"), (-1, "error")]);
    }
}
