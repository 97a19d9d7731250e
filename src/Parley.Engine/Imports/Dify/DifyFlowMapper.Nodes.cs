using System.Text.Json;
using System.Text.Json.Nodes;
using Parley.Engine.Flows;

namespace Parley.Engine.Imports.Dify;

/// <summary>The Dify nodes that become more than one Parley block, or a block with more to read.</summary>
internal sealed partial class DifyFlowMapper
{
    private const double Row = 140;

    private string? MapStart(string id, JsonObject data, double x, double y, bool needsQuery, Action<string, string?, string[]> report)
    {
        var chain = new List<(string Node, IReadOnlyList<string> Ports)>();
        var features = ImportJson.Object(ImportJson.Object(root, "workflow"), "features");
        var hasOpening = chat && ImportJson.Text(features, "opening_statement") is { Length: > 0 };
        if (hasOpening)
        {
            var opening = ImportJson.Text(features, "opening_statement");
            chain.Add((_flow.Add(id + "_opening", FlowBlocks.Message, x, y + chain.Count * Row, new JsonObject { ["text"] = ImportJson.Clip(Rewrite(opening)) }), ["next"]));
        }
        foreach (var input in ImportJson.Array(data, "variables"))
        {
            if (ImportJson.Text(input, "variable") is not { } name)
            {
                continue;
            }
            var label = ImportJson.Clip(ImportJson.Text(input, "label") is { Length: > 0 } l ? l : name);
            var variable = ImportJson.VariableName(name);
            var options = ImportJson.Array(input, "options").Select(ImportJson.Text).OfType<string>().Where(o => o.Length is > 0 and <= 100).Take(10).ToList();
            if (ImportJson.Text(input, "type") == "select" && options.Count > 0)
            {
                var choice = new JsonObject
                {
                    ["text"] = label,
                    ["variable"] = variable,
                    ["options"] = new JsonArray([.. options.Select((o, i) => (JsonNode)new JsonObject { ["id"] = $"option_{i + 1}", ["label"] = o })]),
                };
                chain.Add((_flow.Add($"{id}_{name}", FlowBlocks.Choice, x, y + chain.Count * Row, choice), [.. options.Select((_, i) => $"option_{i + 1}")]));
            }
            else
            {
                var ask = new JsonObject { ["text"] = label, ["variable"] = variable, ["input"] = ImportJson.Text(input, "type") == "number" ? "number" : "text" };
                chain.Add((_flow.Add($"{id}_{name}", FlowBlocks.Ask, x, y + chain.Count * Row, ask), ["next"]));
            }
        }
        if (needsQuery)
        {
            chain.Add((_flow.Add(id + "_query", FlowBlocks.Ask, x, y + chain.Count * Row,
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
            report(ImportOutcome.Created, null, []);
            _flow.Entry(id, null);
            return null;
        }
        foreach (var port in chain[^1].Ports)
        {
            _flow.Exit(id, ImportedFlowBuilder.AnyHandle, chain[^1].Node, port);
        }
        var asks = chain.Count - (hasOpening ? 1 : 0);
        report(asks > 0 ? ImportOutcome.Approximate : ImportOutcome.Created,
            asks > 0 ? "Dify collects start inputs (and the visitor's question) before the flow runs; Parley asks for them one by one." : null,
            [.. chain.Select(c => c.Node)]);
        _flow.Entry(id, chain[0].Node);
        return chain[0].Node;
    }

    private static readonly Dictionary<string, (string Operator, bool Exact)> Operators = new(StringComparer.Ordinal)
    {
        ["is"] = ("equals", true), ["="] = ("equals", true), ["is not"] = ("not_equals", true), ["≠"] = ("not_equals", true),
        ["contains"] = ("contains", true), ["start with"] = ("starts_with", true), ["empty"] = ("not_exists", true),
        ["null"] = ("not_exists", true), ["not empty"] = ("exists", true), ["not null"] = ("exists", true),
        [">"] = ("greater_than", true), ["<"] = ("less_than", true), ["≥"] = ("greater_than", false), ["≤"] = ("less_than", false),
        ["not contains"] = ("not_equals", false), ["end with"] = ("contains", false),
    };

    private string? MapIfElse(string id, JsonObject data, double x, double y, Action<string, string?, string[]> report)
    {
        var cases = ImportJson.Array(data, "cases").ToList();
        var legacy = cases.Count == 0;
        if (legacy)
        {
            // Dify 0.6 wrote one case as conditions + logical_operator, leaving by the handles true and false.
            cases = [new JsonObject { ["case_id"] = "true", ["logical_operator"] = ImportJson.Text(data, "logical_operator"), ["conditions"] = data["conditions"]?.DeepClone() }];
        }
        var made = new List<string>();
        var approximations = new List<string>();
        foreach (var (branch, index) in cases.Select((c, i) => (c, i)))
        {
            var rules = new JsonArray();
            foreach (var condition in ImportJson.Array(branch, "conditions"))
            {
                var key = Selector(condition["variable_selector"]);
                var op = ImportJson.Text(condition, "comparison_operator") ?? "";
                if (key is null || !Operators.TryGetValue(op, out var mapped))
                {
                    approximations.Add($"the condition '{op}' on {key ?? "an unknown variable"} is left out");
                    continue;
                }
                if (!mapped.Exact)
                {
                    approximations.Add($"'{op}' is read as {mapped.Operator.Replace('_', ' ')}");
                }
                var rule = new JsonObject { ["source"] = "variable", ["key"] = key, ["operator"] = mapped.Operator };
                if (mapped.Operator is not ("exists" or "not_exists"))
                {
                    rule["value"] = Rewrite(ImportJson.Text(condition, "value"));
                }
                rules.Add(rule);
            }
            if (rules.Count == 0)
            {
                approximations.Add($"case {index + 1} has no condition Parley can check and is never taken");
                continue;
            }
            var settings = new JsonObject { ["rules"] = rules, ["match"] = ImportJson.Text(branch, "logical_operator") == "or" ? "any" : "all" };
            var block = _flow.Add(made.Count == 0 ? id : $"{id}_case{index + 1}", FlowBlocks.Condition, x + made.Count * 260, y, settings);
            if (made.Count > 0)
            {
                _flow.Wire(made[^1], "false", block);
            }
            made.Add(block);
            _flow.Exit(id, ImportJson.Text(branch, "case_id") ?? "true", block, "true");
        }
        if (made.Count == 0)
        {
            report(ImportOutcome.NotCarried, "None of its conditions can be checked in Parley; the flow takes its else branch.", []);
            _flow.Entry(id, null, "false");
            return null;
        }
        _flow.Exit(id, "false", made[^1], "false");
        report(approximations.Count == 0 ? ImportOutcome.Created : ImportOutcome.Approximate,
            approximations.Count == 0 ? (made.Count > 1 ? "Each case became a condition block, tried in order." : null)
                : char.ToUpperInvariant(approximations[0][0]) + string.Join("; ", approximations)[1..] + ".",
            [.. made]);
        _flow.Entry(id, made[0]);
        return made[0];
    }

    private string? MapClassifier(string id, JsonObject data, double x, double y, Action<string, string?, string[]> report)
    {
        var classes = ImportJson.Array(data, "classes")
            .Select(c => (Id: ImportJson.Text(c, "id"), Name: ImportJson.Text(c, "name")))
            .Where(c => c.Id is not null && !string.IsNullOrWhiteSpace(c.Name))
            .DistinctBy(c => c.Id).ToList();
        if (classes.Count == 0)
        {
            report(ImportOutcome.NotCarried, "The classifier has no classes.", []);
            _flow.Entry(id, null);
            return null;
        }
        var kept = classes.Take(10).ToList();
        var settings = new JsonObject
        {
            ["text"] = "Which of these is your question about?",
            ["variable"] = VariableOf(id, "class_name"),
            ["options"] = new JsonArray([.. kept.Select(c => (JsonNode)new JsonObject { ["id"] = c.Id, ["label"] = ImportJson.Clip(c.Name!.Trim(), 100) })]),
        };
        var block = _flow.Add(id, FlowBlocks.Choice, x, y, settings);
        foreach (var (classId, _) in kept)
        {
            _flow.Exit(id, classId!, block, classId!);
        }
        report(ImportOutcome.Approximate,
            "Dify's model sorts the visitor's question into a class; Parley asks the visitor to pick the class instead"
            + (classes.Count > kept.Count ? $"; only the first 10 of its {classes.Count} classes are kept." : "."),
            [block]);
        _flow.Entry(id, block);
        return block;
    }

    private string? MapHttp(string id, JsonObject data, double x, double y, Func<string, JsonObject, string, string?, string[], string> single)
    {
        var method = (ImportJson.Text(data, "method") ?? "get").ToUpperInvariant();
        var url = Rewrite(ImportJson.Text(data, "url"));
        var notes = new List<string>();
        var query = Pairs(ImportJson.Text(data, "params"));
        if (query.Count > 0)
        {
            url += (url.Contains('?', StringComparison.Ordinal) ? "&" : "?") + string.Join("&", query.Select(p => $"{p.Key}={Rewrite(p.Value)}"));
        }
        if (!FlowValidator.HttpMethods.Contains(method) || string.IsNullOrWhiteSpace(url)
            || (!url.Contains("{{", StringComparison.Ordinal) && !Uri.TryCreate(url, UriKind.Absolute, out _)))
        {
            _flow.Report(ImportJson.Text(data, "title") ?? "http-request", id, "http-request", ImportOutcome.NotCarried,
                $"The request ({method} '{url}') is not one Parley's HTTP block can send.");
            _flow.Entry(id, null);
            return null;
        }
        var settings = new JsonObject { ["method"] = method, ["url"] = url, ["response_mapping"] = new JsonObject { [VariableOf(id, "body")] = "$" } };
        var headers = Pairs(ImportJson.Text(data, "headers"));
        if (headers.Count > 0)
        {
            settings["headers"] = new JsonObject(headers.Select(h => KeyValuePair.Create(h.Key, (JsonNode?)JsonValue.Create(Rewrite(h.Value)))));
        }
        var body = ImportJson.Object(data, "body");
        var bodyType = ImportJson.Text(body, "type") ?? "none";
        var bodyText = body?["data"] is JsonValue ? Rewrite(ImportJson.Text(body, "data")) : null;
        if (bodyType != "none" && !string.IsNullOrWhiteSpace(bodyText))
        {
            try
            {
                settings["body"] = bodyType == "json" ? JsonNode.Parse(bodyText) : JsonValue.Create(bodyText);
            }
            catch (JsonException)
            {
                settings["body"] = bodyText;
                notes.Add("its JSON body did not parse and is sent as text");
            }
            if (bodyType is "form-data" or "x-www-form-urlencoded")
            {
                notes.Add("its form body is sent as text");
            }
        }
        if (ImportJson.Object(data, "authorization") is { } auth && ImportJson.Text(auth, "type") is { } authType && authType != "no-auth")
        {
            notes.Add("its authorization is not carried over (the export holds no key): add the header by hand");
        }
        var made = single(FlowBlocks.Http, settings, notes.Count == 0 ? ImportOutcome.Created : ImportOutcome.Approximate,
            notes.Count == 0 ? null : char.ToUpperInvariant(notes[0][0]) + string.Join("; ", notes)[1..] + ".", ["ok", "error"]);
        return made;
    }

    private static List<KeyValuePair<string, string>> Pairs(string? lines) =>
        [.. (lines ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(l => l.Split(':', 2))
            .Where(p => p.Length == 2 && p[0].Trim().Length > 0)
            .Select(p => KeyValuePair.Create(p[0].Trim(), p[1].Trim()))];

    private string? MapAssigner(string id, JsonObject data, double x, double y, Action<string, string?, string[]> report)
    {
        var items = ImportJson.Array(data, "items").ToList();
        if (items.Count == 0)
        {
            // The first assigner wrote one assignment straight into data.
            items = [new JsonObject
            {
                ["variable_selector"] = data["assigned_variable_selector"]?.DeepClone(),
                ["value"] = data["input_variable_selector"]?.DeepClone(),
                ["input_type"] = "variable",
                ["operation"] = ImportJson.Text(data, "write_mode") ?? "over-write",
            }];
        }
        var made = new List<string>();
        var approximations = new List<string>();
        foreach (var item in items)
        {
            var target = Selector(item["variable_selector"]);
            var operation = ImportJson.Text(item, "operation") ?? "over-write";
            if (target is null)
            {
                approximations.Add("an assignment without a variable is left out");
                continue;
            }
            var value = operation == "clear" ? ""
                : ImportJson.Text(item, "input_type") == "constant" ? ImportJson.Text(item, "value") ?? ""
                : Selector(item["value"]) is { } source ? "{{" + source + "}}" : "";
            if (operation is not ("over-write" or "set" or "clear"))
            {
                approximations.Add($"'{operation}' on {target} overwrites the value instead");
            }
            var block = _flow.Add(made.Count == 0 ? id : $"{id}_{made.Count + 1}", FlowBlocks.SetVariable, x + made.Count * 260, y,
                new JsonObject { ["variable"] = target, ["value"] = ImportJson.Clip(value) });
            if (made.Count > 0)
            {
                _flow.Wire(made[^1], "next", block);
            }
            made.Add(block);
        }
        if (made.Count == 0)
        {
            report(ImportOutcome.NotCarried, "It assigns nothing Parley can name.", []);
            _flow.Entry(id, null);
            return null;
        }
        _flow.Exit(id, ImportedFlowBuilder.AnyHandle, made[^1], "next");
        report(approximations.Count == 0 ? ImportOutcome.Created : ImportOutcome.Approximate,
            approximations.Count == 0 ? null : char.ToUpperInvariant(approximations[0][0]) + string.Join("; ", approximations)[1..] + ".", [.. made]);
        _flow.Entry(id, made[0]);
        return made[0];
    }
}
