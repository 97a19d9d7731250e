using System.Text.Json;
using System.Text.Json.Nodes;
using Parley.Engine.Flows;

namespace Parley.Engine.Imports.Typebot;

/// <summary>Conditions, set-variable blocks and links within the bot.</summary>
internal sealed partial class TypebotFlowMapper
{
    private Unit MapCondition(TypebotBlock b)
    {
        var approximations = new List<string>();
        var chain = new List<(JsonObject Settings, Continuation Then, bool Inverted)>();
        foreach (var item in b.Items)
        {
            var content = item.TryGetProperty("content", out var c) && c.ValueKind == JsonValueKind.Object ? c : default;
            var comparisons = content.ValueKind == JsonValueKind.Object && content.TryGetProperty("comparisons", out var list) && list.ValueKind == JsonValueKind.Array
                ? list.EnumerateArray().ToList()
                : [];
            var rules = new JsonArray();
            var inverted = false;
            foreach (var comparison in comparisons)
            {
                var variable = _variables.ById(TypebotDocument.Text(comparison, "variableId"));
                var op = TypebotDocument.Text(comparison, "comparisonOperator") ?? "Equal to";
                var value = _variables.Rewrite(TypebotDocument.Text(comparison, "value") ?? "");
                if (variable is null)
                {
                    approximations.Add("a comparison without a variable is left out");
                    continue;
                }
                var mapped = op switch
                {
                    "Equal to" => "equals",
                    "Not equal" => "not_equals",
                    "Contains" => "contains",
                    "Starts with" => "starts_with",
                    "Greater than" => "greater_than",
                    "Less than" => "less_than",
                    "Is set" => "exists",
                    "Is empty" => "not_exists",
                    "Greater or equal to" => "greater_than",
                    "Less or equal to" => "less_than",
                    "Ends with" => "contains",
                    "Does not contain" when comparisons.Count == 1 => "contains",
                    _ => null,
                };
                if (mapped is null)
                {
                    approximations.Add($"the comparison '{op}' on {variable} has no Parley operator and is left out");
                    continue;
                }
                if (op is "Greater or equal to" or "Less or equal to" or "Ends with")
                {
                    approximations.Add($"'{op}' on {variable} is checked as '{mapped.Replace('_', ' ')}'");
                }
                inverted = op == "Does not contain";
                var rule = new JsonObject { ["source"] = "variable", ["key"] = variable, ["operator"] = mapped };
                if (mapped is not ("exists" or "not_exists"))
                {
                    rule["value"] = value;
                }
                rules.Add(rule);
            }
            if (rules.Count == 0)
            {
                approximations.Add("a branch whose comparisons Parley cannot check is never taken");
                continue;
            }
            var settings = new JsonObject { ["rules"] = rules, ["match"] = TypebotDocument.Text(content, "logicalOperator") == "OR" ? "any" : "all" };
            chain.Add((settings, ItemContinuation(b, item), inverted));
        }
        if (chain.Count == 0)
        {
            return Through(b, ImportOutcome.NotCarried, "None of the condition's branches can be checked in Parley; the flow takes the else path.", new AfterBlock(b));
        }
        var ids = chain.Select((_, i) => Node(b, i, FlowBlocks.Condition, chain[i].Settings)).ToList();
        for (var i = 0; i < chain.Count; i++)
        {
            var otherwise = i + 1 < chain.Count ? new ToNode(ids[i + 1]) : (Continuation)new AfterBlock(b);
            var (whenTrue, whenFalse) = chain[i].Inverted ? (otherwise, chain[i].Then) : (chain[i].Then, otherwise);
            _wires.Add((ids[i], "true", whenTrue));
            _wires.Add((ids[i], "false", whenFalse));
        }
        var note = chain.Count > 1 ? $"Its {chain.Count} branches become a chain of condition blocks, checked in order." : null;
        if (approximations.Count > 0)
        {
            note = (note is null ? "" : note + " ") + Sentence(approximations);
        }
        Report(b, approximations.Count > 0 ? ImportOutcome.Approximate : ImportOutcome.Created, note, [.. ids]);
        return new Unit(ids[0], null);
    }

    private Unit MapSetVariable(TypebotBlock b)
    {
        var variable = _variables.ById(b.Option("variableId"));
        if (variable is null)
        {
            return Drop(b, "It names no variable.");
        }
        var type = b.Option("type") ?? "Custom";
        string value;
        string? note = null;
        switch (type)
        {
            case "Empty":
                value = "";
                break;
            case "Custom":
                var expression = b.Option("expressionToEvaluate") ?? "";
                if (IsTrue(b.Options, "isCode") || LooksLikeCode(expression))
                {
                    return Drop(b, $"Its value is JavaScript ({Short(expression)}), which Parley does not run.");
                }
                value = _variables.Rewrite(Unquote(expression.Trim()));
                break;
            default:
                return Drop(b, $"The value type '{type}' is computed by Typebot at run time and has no Parley equivalent.");
        }
        return Single(b, ImportOutcome.Created, note, FlowBlocks.SetVariable, new JsonObject { ["variable"] = variable, ["value"] = value });
    }

    private Unit MapTypebotLink(TypebotBlock b)
    {
        var target = b.Option("typebotId");
        if (target is "current" || (target is not null && target == _document.Id))
        {
            if (b.Option("groupId") is { } group && _groups.TryGetValue(group, out var linked))
            {
                return Through(b, ImportOutcome.Created, $"Links within this bot: becomes a wire to the group '{linked.Title}'.", new IntoGroup(group, null));
            }
            return _document.StartEdge is { } start
                ? Through(b, ImportOutcome.Created, "Links back to this bot's start: becomes a wire to it.", new AlongEdge(start))
                : Drop(b, "The link leads nowhere.");
        }
        return Drop(b, $"It links to another Typebot ('{target}'): import that bot too and join them by hand; here the flow goes straight on.");
    }

    /// <summary>Typebot runs a custom value as JavaScript when it is code; a plain text or a quoted string is just a value.</summary>
    private static bool LooksLikeCode(string expression)
    {
        var trimmed = expression.Trim();
        if (Unquote(trimmed) != trimmed)
        {
            return false;
        }
        return trimmed.Contains("=>", StringComparison.Ordinal) || trimmed.Contains("return", StringComparison.Ordinal)
            || trimmed.IndexOfAny(['(', ')', ';', '`', '+', '[', ']']) >= 0;
    }

    private static string Unquote(string value) =>
        value.Length >= 2 && (value[0] is '"' or '\'') && value[^1] == value[0] && value.IndexOf(value[0], 1) == value.Length - 1 ? value[1..^1] : value;
}
