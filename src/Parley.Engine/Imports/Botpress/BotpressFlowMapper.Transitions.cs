using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Parley.Engine.Flows;

namespace Parley.Engine.Imports.Botpress;

internal sealed partial class BotpressFlowMapper
{
    /// <summary>A transition's condition read: always taken, a Parley condition rule, or never taken (and why).</summary>
    internal sealed record Condition(JsonObject? Rule, string? Outcome, string? Note)
    {
        public static readonly Condition Always = new(null, null, null);

        public bool IsAlways => Rule is null && Outcome is null;

        public bool IsNever => Rule is null && Outcome is not null;
    }

    private const string VariablePattern = @"(?:event\.payload\.text|event\.preview|(?:user|session|temp|bot)(?:\.slots)?(?:\.[A-Za-z_$][\w$]*|\[\s*'[^']+'\s*\]|\[\s*""[^""]+""\s*\])(?:\.value)?)";

    [GeneratedRegex(@"^(?<not>!)?\s*(?<lhs>" + VariablePattern + @")$")]
    private static partial Regex Truthy();

    [GeneratedRegex(@"^(?<lhs>" + VariablePattern + @")\s*(?<op>===|==|!==|!=|>=|<=|>|<)\s*(?<rhs>'[^']*'|""[^""]*""|-?\d+(?:\.\d+)?|true|false|undefined|null)$")]
    private static partial Regex Comparison();

    [GeneratedRegex(@"^event\.nlu\.intent\.name\s*={2,3}\s*['""]")]
    private static partial Regex Intent();

    /// <summary>
    /// A Botpress transition condition (JavaScript) as a Parley rule when it is a simple one: <c>true</c>, a variable
    /// compared with a text or number, or a variable alone (set) or negated (not set). An intent or any other
    /// expression is never taken.
    /// </summary>
    internal static Condition Read(string? condition)
    {
        var text = (condition ?? "").Trim();
        if (text is "" or "true" or "always")
        {
            return Condition.Always;
        }
        if (Truthy().Match(text) is { Success: true } truthy)
        {
            return Rule(truthy.Groups["lhs"].Value, truthy.Groups["not"].Success ? "not_exists" : "exists", null, null);
        }
        if (Comparison().Match(text) is { Success: true } comparison)
        {
            var (lhs, op, rhs) = (comparison.Groups["lhs"].Value, comparison.Groups["op"].Value, comparison.Groups["rhs"].Value);
            if (rhs is "undefined" or "null")
            {
                return op.StartsWith('!') ? Rule(lhs, "exists", null, null) : Rule(lhs, "not_exists", null, null);
            }
            var value = rhs[0] is '\'' or '"' ? rhs[1..^1] : rhs;
            return op switch
            {
                "==" or "===" => Rule(lhs, "equals", value, null),
                "!=" or "!==" => Rule(lhs, "not_equals", value, null),
                ">" => Rule(lhs, "greater_than", value, null),
                "<" => Rule(lhs, "less_than", value, null),
                ">=" => Rule(lhs, "greater_than", value, $"'{text}' is read as greater than {value} (Parley has no 'or equal')."),
                _ => Rule(lhs, "less_than", value, $"'{text}' is read as less than {value} (Parley has no 'or equal')."),
            };
        }
        if (Intent().IsMatch(text))
        {
            return new Condition(null, ImportOutcome.Approximate,
                $"The transition on an NLU intent ({text}) is never taken: Parley does not carry over Botpress's intents.");
        }
        return new Condition(null, ImportOutcome.Approximate,
            $"The transition condition '{ImportJson.Clip(text, 200)}' is JavaScript Parley cannot run, so it is never taken.");
    }

    private static Condition Rule(string lhs, string op, string? value, string? note)
    {
        var rule = new JsonObject { ["source"] = "variable", ["key"] = Variable(lhs)!, ["operator"] = op };
        if (value is not null)
        {
            rule["value"] = value;
        }
        return new Condition(rule, note is null ? null : ImportOutcome.Approximate, note);
    }

    /// <summary>
    /// The node's transitions after <paramref name="exit"/> (its last block's port, or null when it made none): one
    /// condition block per conditional transition, tried in order, the first one always taken wired from the last
    /// <c>false</c>. Returns the condition blocks.
    /// </summary>
    private List<string> Transitions(Place place, List<JsonNode> next, (string Block, string Port)? exit, double y, Outcome outcome)
    {
        var conditions = new List<string>();
        var from = exit;
        for (var i = 0; i < next.Count; i++)
        {
            var handle = $"t{i}";
            var target = ImportJson.Text(next[i], "node") ?? "";
            var condition = Read(ImportJson.Text(next[i], "condition"));
            if (condition.IsNever)
            {
                _usedIntents |= condition.Note!.Contains("intent", StringComparison.Ordinal);
                outcome.Add(condition.Outcome!, condition.Note!);
                continue;
            }
            if (condition.IsAlways)
            {
                if (from is { } always)
                {
                    _flow.Exit(place.Key, handle, always.Block, always.Port);
                }
                Connect(place, handle, target, outcome);
                break;
            }
            if (condition.Note is not null)
            {
                outcome.Add(condition.Outcome!, condition.Note);
            }
            var block = _flow.Add(place.BlockId + "_if", FlowBlocks.Condition, place.X + 280, y + (conditions.Count * Row), new JsonObject { ["rules"] = new JsonArray(condition.Rule) });
            if (from is { } previous)
            {
                _flow.Wire(previous.Block, previous.Port, block);
            }
            _flow.Exit(place.Key, handle, block, "true");
            Connect(place, handle, target, outcome);
            from = (block, "false");
            conditions.Add(block);
        }
        return conditions;
    }

    /// <summary>Leads the transition <paramref name="handle"/> to its target: a node of the same flow, another flow (a jump), or the end.</summary>
    private void Connect(Place place, string handle, string target, Outcome outcome)
    {
        if (target.Length == 0 || target.Equals("END", StringComparison.OrdinalIgnoreCase))
        {
            return;
        }
        if (target.StartsWith('#'))
        {
            outcome.Add(ImportOutcome.Approximate,
                "A transition back to the calling flow ends the Parley flow there: Parley flows do not call one another, so there is no caller to return to.");
            return;
        }
        var hash = target.IndexOf(".flow.json", StringComparison.Ordinal);
        if (hash < 0)
        {
            _flow.Link(place.Key, handle, Key(place.Flow, target));
            return;
        }
        var flow = target[..(hash + ".flow.json".Length)];
        var node = target.Length > flow.Length + 1 && target[flow.Length] == '#' ? target[(flow.Length + 1)..] : null;
        if (!archive.Flows.TryGetValue(flow, out var linked) || (node ??= ImportJson.Text(linked, "startNode")) is null)
        {
            outcome.Add(ImportOutcome.Approximate, $"The link to the flow {flow} leads nowhere: the archive has no such flow, so the Parley flow ends there.");
            return;
        }
        _flow.Link(place.Key, handle, $"{place.Key}:{handle}");
        _flowLinks.Add((place.Key, handle, flow, node!, place.X + 280, place.Y + ((_flowLinks.Count % 4) * Row)));
    }

    private void MapSkill(Place place, JsonObject node)
    {
        var skill = ImportJson.Text(node, "skill") ?? "";
        var data = ImportJson.Text(node, "flow") is { } flow && archive.Flows.TryGetValue(flow, out var document) ? ImportJson.Object(document, "skillData") : null;
        var next = ImportJson.Array(node, "next").ToList();
        var outcome = new Outcome();
        var block = data is null ? null : skill.ToLowerInvariant() switch
        {
            "choice" => MapChoice(place, data, next, outcome),
            "slot" => MapSlot(place, data, next, outcome),
            _ => null,
        };
        if (block is null)
        {
            _flow.Entry(place.Key, null);
            var first = next.Select((t, i) => (Target: ImportJson.Text(t, "node") ?? "", Caption: ImportJson.Text(t, "caption"), Index: i)).FirstOrDefault(t => t.Target.Length > 0);
            if (first.Target is { Length: > 0 })
            {
                Connect(place, $"t{first.Index}", first.Target, outcome);
            }
            outcome.Add(ImportOutcome.NotCarried, data is null && skill.ToLowerInvariant() is "choice" or "slot"
                ? $"The {skill} skill's own flow ({ImportJson.Text(node, "flow")}) is not in the archive, so its question is unknown."
                : $"The '{skill}' skill has no Parley block" + (first.Target is { Length: > 0 } ? $"; the flow goes on along its first transition ({first.Caption ?? first.Target})." : "."));
        }
        else
        {
            _flow.Entry(place.Key, block);
        }
        _flow.Report(place.Group, place.Id, $"skill:{skill}", outcome.Value, outcome.Note, block is null ? [] : [block]);
    }

    [GeneratedRegex(@"skill-choice-ret-[^'""\]]+['""]\s*\]\s*={2,3}\s*['""](?<value>[^'""]*)['""]")]
    private static partial Regex ChoiceReturn();

    private string? MapChoice(Place place, JsonObject data, List<JsonNode> next, Outcome outcome)
    {
        var formData = Element(ImportJson.Text(data, "contentId"));
        var text = Rewrite(ImportJson.Text(formData is null ? null : Localised(formData, "choiceText") ?? Localised(formData, "text"))).Trim();
        var choices = (formData is null ? null : Localised(formData, "choices") as JsonArray ?? [])?.OfType<JsonObject>()
            .Select(c => (Title: ImportJson.Text(c, "title")?.Trim() ?? "", Value: ImportJson.Text(c, "value") ?? ImportJson.Text(c, "title") ?? ""))
            .Where(c => c.Title.Length > 0).DistinctBy(c => c.Value).ToList() ?? [];
        if (text.Length == 0 || choices.Count == 0)
        {
            return null;
        }
        var kept = choices.Take(10).Select((c, i) => (c.Title, c.Value, Id: OptionId(c.Value, i))).ToList();
        var settings = new JsonObject
        {
            ["text"] = ImportJson.Clip(text),
            ["options"] = new JsonArray([.. kept.Select(c => (JsonNode)new JsonObject { ["id"] = c.Id, ["label"] = ImportJson.Clip(c.Title, 100) })]),
        };
        if (ImportJson.Text(ImportJson.Object(data, "config"), "variableName") is { Length: > 0 } variable)
        {
            settings["variable"] = ImportJson.VariableName(variable);
        }
        if (Element(ImportJson.Text(data, "invalidContentId")) is { } invalid && ImportJson.Text(Localised(invalid, "text")) is { Length: > 0 } retry)
        {
            settings["retry_text"] = ImportJson.Clip(Rewrite(retry));
        }
        var block = _flow.Add(place.BlockId, FlowBlocks.Choice, place.X, place.Y, settings);
        if (choices.Count > kept.Count)
        {
            outcome.Add(ImportOutcome.Approximate, $"Only the first 10 of its {choices.Count} choices are kept (a Parley choice has at most 10).");
        }
        var keywords = ImportJson.Object(data, "keywords");
        if (kept.Any(c => ImportJson.Array(keywords, c.Value).Select(ImportJson.Text).OfType<string>()
            .Any(k => !k.Equals(c.Value, StringComparison.OrdinalIgnoreCase) && !k.Equals(c.Title, StringComparison.OrdinalIgnoreCase))))
        {
            outcome.Add(ImportOutcome.Approximate, "The other words Botpress accepted for a choice (its keywords) are not carried over: Parley matches a choice by its label.");
        }
        for (var i = 0; i < next.Count; i++)
        {
            var condition = ImportJson.Text(next[i], "condition") ?? "";
            var target = ImportJson.Text(next[i], "node") ?? "";
            if (ChoiceReturn().Match(condition) is { Success: true } picked)
            {
                if (kept.FirstOrDefault(c => c.Value == picked.Groups["value"].Value) is { Id: { } port })
                {
                    _flow.Exit(place.Key, $"t{i}", block, port);
                    Connect(place, $"t{i}", target, outcome);
                }
            }
            else if (target.Length > 0)
            {
                outcome.Add(ImportOutcome.Approximate, "Parley shows the choices again until one is picked, so the skill's way out after too many invalid answers is not carried over.");
            }
        }
        return block;
    }

    private static string OptionId(string value, int index)
    {
        var id = new string([.. value.Select(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' ? c : '_')]).Trim('_');
        return id.Length is > 0 and <= 50 ? id : $"option_{index + 1}";
    }

    private string? MapSlot(Place place, JsonObject data, List<JsonNode> next, Outcome outcome)
    {
        var question = Element(ImportJson.Text(data, "contentElement")) is { } element ? Rewrite(ImportJson.Text(Localised(element, "text"))).Trim() : "";
        if (ImportJson.Text(data, "slotName") is not { Length: > 0 } slot || question.Length == 0)
        {
            return null;
        }
        var entity = ImportJson.Array(data, "entities").Select(ImportJson.Text).OfType<string>().FirstOrDefault() ?? ImportJson.Text(data, "entity") ?? "any";
        var input = entity.Replace("@system.", "", StringComparison.Ordinal).ToLowerInvariant() switch
        {
            "email" => "email",
            "number" or "amountofmoney" or "ordinal" => "number",
            "phonenumber" or "phone" => "phone",
            "url" => "url",
            "time" or "date" => "date",
            "any" => "text",
            _ => null,
        };
        if (input is null)
        {
            outcome.Add(ImportOutcome.Approximate, $"The slot's entity '{entity}' is one of the bot's own NLU entities; Parley takes any text as the answer.");
        }
        var attempts = int.TryParse(ImportJson.Text(data, "retryAttempts") ?? ImportJson.Text(data, "maxRetryAttempts"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? Math.Clamp(n, 1, 10) : 3;
        var settings = new JsonObject { ["text"] = ImportJson.Clip(question), ["variable"] = ImportJson.VariableName(slot), ["input"] = input ?? "text", ["max_attempts"] = attempts };
        if (Element(ImportJson.Text(data, "notFoundElement")) is { } notFound && ImportJson.Text(Localised(notFound, "text")) is { Length: > 0 } retry)
        {
            settings["retry_text"] = ImportJson.Clip(Rewrite(retry));
        }
        var block = _flow.Add(place.BlockId, FlowBlocks.Ask, place.X, place.Y, settings);
        for (var i = 0; i < next.Count; i++)
        {
            var condition = ImportJson.Text(next[i], "condition") ?? "";
            var port = condition.Contains("alreadyExtracted", StringComparison.Ordinal) ? null
                : condition.Contains("notExtracted", StringComparison.Ordinal) ? "gave_up"
                : condition.Contains("extracted", StringComparison.Ordinal) ? "next" : null;
            if (port is null)
            {
                outcome.Add(ImportOutcome.Approximate, "Parley asks even when the slot was already filled earlier in the conversation, so the 'already extracted' way out is not carried over.");
                continue;
            }
            _flow.Exit(place.Key, $"t{i}", block, port);
            Connect(place, $"t{i}", ImportJson.Text(next[i], "node") ?? "", outcome);
        }
        return block;
    }

    private JsonObject? Element(string? id) =>
        id is not null && archive.ContentElements.TryGetValue(id, out var element) ? ImportJson.Object(element.Element, "formData") : null;
}
