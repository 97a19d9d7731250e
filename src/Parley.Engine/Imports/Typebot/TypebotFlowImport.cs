using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Parley.Engine.Flows;

namespace Parley.Engine.Imports.Typebot;

/// <summary>
/// Maps a Typebot flow export (schema versions 3 to 6.1) to a Parley flow: each group is unrolled into a chain of
/// Parley blocks placed where the group was drawn, wires follow Typebot's edges (and its rule that a block without
/// an edge goes on to the next block of its group), and every block gets a line in the report saying whether it was
/// carried over exactly, approximately or not at all, and why. The result is validated like any saved flow.
/// </summary>
public static class TypebotFlowImport
{
    /// <summary>The Typebot schema versions read.</summary>
    public static IReadOnlyList<string> Versions => TypebotDocument.Versions;

    /// <summary>Maps the export; throws <see cref="ImportFileException"/> with the reasons when it cannot.</summary>
    public static FlowImport Map(ReadOnlyMemory<byte> json) => new TypebotFlowMapper(TypebotDocument.Parse(json)).Map();
}

internal sealed class TypebotFlowMapper(TypebotDocument document)
{
    private const double RowHeight = 110;
    private const double ColumnWidth = 280;
    private const int MaxOptions = 10;
    private const int MaxLabel = 100;
    private const int AskAttempts = 10;

    private static readonly string[] InputTypes =
        ["text input", "number input", "email input", "url input", "date input", "time input", "phone number input", "rating input", "choice input", "picture choice input"];

    private static readonly string[] HttpTypes = ["Webhook", "Zapier", "Make.com", "Pabbly"];

    private static readonly string[] ModelTypes = ["OpenAI", "openai", "anthropic", "mistral", "groq", "deepseek", "open-router", "perplexity", "together-ai"];

    private readonly TypebotVariables _variables = new(document.Variables);
    private readonly Dictionary<string, TypebotBlock> _blocks = document.Groups.SelectMany(g => g.Blocks).ToDictionary(b => b.Id, StringComparer.Ordinal);
    private readonly Dictionary<string, TypebotGroup> _groups = document.Groups.GroupBy(g => g.Id).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
    private readonly Dictionary<(string Block, string? Item), TypebotEdge> _edgesFrom = document.Edges.Values
        .Where(e => e.FromBlock is not null).GroupBy(e => (e.FromBlock!, e.FromItem)).ToDictionary(g => g.Key, g => g.First());

    private readonly Dictionary<string, Unit> _units = new(StringComparer.Ordinal);
    private readonly Dictionary<string, JsonObject> _nodes = new(StringComparer.Ordinal);
    private readonly List<(string Node, string Port, Continuation To)> _wires = [];
    private readonly List<BlockReport> _reports = [];
    private readonly Dictionary<string, string> _questions = new(StringComparer.Ordinal);
    private readonly List<string> _notes = [];
    private readonly string? _emailVariable = AnswerVariable(document, "email input");
    private readonly string? _phoneVariable = AnswerVariable(document, "phone number input");

    /// <summary>Where the flow goes from a port or from a block that made no Parley block of its own.</summary>
    private abstract record Continuation;

    /// <summary>After the block: along its own edge, else to the next block of its group, else the flow ends.</summary>
    private sealed record AfterBlock(TypebotBlock Block) : Continuation;

    private sealed record AlongEdge(TypebotEdge Edge) : Continuation;

    private sealed record IntoGroup(string GroupId, string? BlockId) : Continuation;

    private sealed record ToNode(string NodeId) : Continuation;

    private sealed record FlowEnds : Continuation;

    /// <summary>The Parley block a Typebot block starts with, or (when it made none) where the flow goes through it.</summary>
    private sealed record Unit(string? Entry, Continuation? Through);

    private sealed class BlockReport(TypebotBlock block, string outcome, string? note)
    {
        public TypebotBlock Block { get; } = block;
        public string Outcome { get; set; } = outcome;
        public string? Note { get; set; } = note;
        public List<string> Nodes { get; } = [];
    }

    public FlowImport Map()
    {
        foreach (var group in document.Groups)
        {
            foreach (var block in group.Blocks)
            {
                _units[block.Id] = MapBlock(block);
            }
        }

        var start = document.StartEdge is { } startEdge ? Resolve(new AlongEdge(startEdge), []) : null;
        if (start is null)
        {
            throw new ImportFileException("The start of this Typebot flow is not connected to any block that Parley can run, so there is nothing to import.");
        }

        var edges = new List<(string From, string Port, string To)>();
        foreach (var (node, port, to) in _wires)
        {
            if (Resolve(to, []) is { } target)
            {
                edges.Add((node, port, target));
            }
        }
        Prune(start, edges);

        var flow = new JsonObject
        {
            ["start"] = start,
            ["variables"] = new JsonObject(document.Variables
                .Where(v => v.Value is not null && _variables.ById(v.Id) is not null)
                .GroupBy(v => _variables.ById(v.Id)!)
                .Select(g => KeyValuePair.Create(g.Key, (JsonNode?)JsonValue.Create(g.First().Value)))),
            ["nodes"] = new JsonArray([.. _nodes.Values]),
            ["edges"] = new JsonArray([.. edges.Select((e, i) => (JsonNode)new JsonObject
            {
                ["id"] = $"e{i + 1}",
                ["from"] = new JsonObject { ["node"] = e.From, ["port"] = e.Port },
                ["to"] = new JsonObject { ["node"] = e.To },
            })]),
        };
        var json = flow.ToJsonString();
        using (var parsed = JsonDocument.Parse(json))
        {
            var validation = FlowValidator.Validate(parsed.RootElement);
            if (!validation.IsValid)
            {
                throw new ImportFileException([.. validation.Errors.Take(10).Select(e =>
                    $"The mapped flow does not run in Parley at '{e.Key}': {string.Join(" ", e.Value)}")]);
            }
        }

        _notes.Add("Typebot's theme and settings (typing emulation, remember user, metadata) are not part of a Parley flow and are not carried over.");
        _notes.Add($"Imported from Typebot schema version {document.Version}.");
        return new FlowImport(
            document.Name.Length > 100 ? document.Name[..100] : document.Name,
            json,
            [.. _reports.Select(r => new ImportedBlock(r.Block.Group.Title, r.Block.Id, r.Block.Type, r.Outcome, r.Nodes, r.Note))],
            _notes);
    }

    private Unit MapBlock(TypebotBlock b)
    {
        switch (b.Type)
        {
            case "start":
                return new Unit(null, null);
            case "text":
                return MapText(b);
            case "image":
                return MapImage(b);
            case "video" or "audio" or "embed":
                var media = Content(b) is { ValueKind: JsonValueKind.Object } c ? TypebotDocument.Text(c, "url") : null;
                if (string.IsNullOrWhiteSpace(media))
                {
                    return Drop(b, $"The {b.Type} bubble has no address to show.");
                }
                var label = CultureInfo.InvariantCulture.TextInfo.ToTitleCase(b.Type);
                return Single(b, ImportOutcome.Approximate, $"Parley's chat shows a link to the {b.Type} instead of playing it inline.",
                    FlowBlocks.Message, new JsonObject { ["text"] = $"[{label}]({_variables.Rewrite(media)})" });
            case var input when InputTypes.Contains(input):
                return MapInput(b);
            case "Condition":
                return MapCondition(b);
            case "Set variable":
                return MapSetVariable(b);
            case "Jump":
                return b.Option("groupId") is { } jumpGroup && _groups.TryGetValue(jumpGroup, out var jumpTarget)
                    ? Through(b, ImportOutcome.Created, $"Becomes a wire to the group '{jumpTarget.Title}'.", new IntoGroup(jumpGroup, b.Option("blockId")))
                    : Drop(b, "The jump names no group of this flow.");
            case "Typebot link":
                return MapTypebotLink(b);
            case "AB test":
                var pathA = b.Items.FirstOrDefault(i => TypebotDocument.Text(i, "path") == "a");
                return Through(b, ImportOutcome.Approximate, "Parley has no random split: every visitor takes path A; path B is kept only if reached elsewhere.",
                    pathA.ValueKind == JsonValueKind.Object ? ItemContinuation(b, pathA) : new AfterBlock(b));
            case "Return":
                return Through(b, ImportOutcome.Approximate, "Return goes back to a linking Typebot; in Parley the flow ends here.", new FlowEnds());
            case "Redirect":
                var url = b.Option("url");
                return string.IsNullOrWhiteSpace(url)
                    ? Drop(b, "The redirect has no address.")
                    : Single(b, ImportOutcome.Approximate, "Parley does not move the visitor's browser; it shows the link instead.",
                        FlowBlocks.Message, new JsonObject { ["text"] = $"[{_variables.Rewrite(url)}]({_variables.Rewrite(url)})" });
            case "Wait":
                return Drop(b, "Parley does not pause between messages; the flow goes straight on.");
            case "Code":
                return Drop(b, "Custom JavaScript does not run in Parley (it would run in the visitor's browser or a sandbox Parley does not have).");
            case "webhook":
                return Drop(b, "Waiting for an incoming webhook has no Parley block; the flow goes straight on.");
            case var http when HttpTypes.Contains(http):
                return MapHttp(b);
            case var model when ModelTypes.Contains(model):
                return MapModel(b);
            case "cal-com":
                return MapCalCom(b);
            case "Chatwoot":
                if (b.Option("task") == "Close widget")
                {
                    return Drop(b, "Closing the Chatwoot widget has no meaning in Parley's own chat.");
                }
                return Single(b, ImportOutcome.Approximate,
                    "Chatwoot's widget is replaced by Parley's handoff: the conversation goes to your agents in Parley's inbox, and the flow stops here.",
                    FlowBlocks.Handoff, new JsonObject { ["text"] = "Let me connect you with someone from the team.", ["reason"] = "chatwoot" });
            case "Google Sheets":
                return Drop(b, "Google Sheets has no Parley block; send the data with an HTTP block or a webhook on lead.captured instead.");
            case "Email":
                return Drop(b, "Sending email from the flow has no Parley block; Parley's notifications email new leads and handoffs.");
            case "Google Analytics" or "Pixel":
                return Drop(b, "Tracking scripts do not run in Parley's flow; Parley's own analytics count conversations and leads.");
            case "file input" or "payment input" or "cards":
                return Drop(b, $"A {b.Type} has no Parley block, so the visitor is not asked for it.");
            default:
                return Drop(b, $"The block type '{b.Type}' has no Parley equivalent.");
        }
    }

    private Unit MapText(TypebotBlock b)
    {
        var text = _variables.Rewrite(TypebotRichText.ToMarkdown(Content(b)));
        if (text.Length == 0)
        {
            return Drop(b, "The text bubble is empty.");
        }
        // Typebot shows a bubble and then waits for the input below it; Parley's question blocks say their question
        // themselves, so the bubble right above an input becomes that input's question.
        if (b.OutgoingEdgeId is null && b.Index + 1 < b.Group.Blocks.Count && AsksQuestion(b.Group.Blocks[b.Index + 1]) is { } input)
        {
            _questions[input.Id] = text;
            return Through(b, ImportOutcome.Created, $"Becomes the question of the block '{input.Id}'.", new AfterBlock(b));
        }
        var (clipped, cut) = Clip(text);
        return Single(b, cut ? ImportOutcome.Approximate : ImportOutcome.Created, cut ? ClipNote : null, FlowBlocks.Message, new JsonObject { ["text"] = clipped });
    }

    private Unit MapImage(TypebotBlock b)
    {
        var content = Content(b);
        var url = TypebotDocument.Text(content, "url");
        if (string.IsNullOrWhiteSpace(url))
        {
            return Drop(b, "The image bubble has no address.");
        }
        var alt = content.ValueKind == JsonValueKind.Object && content.TryGetProperty("clickLink", out var link) ? TypebotDocument.Text(link, "alt") : null;
        if (FlowValidator.IsHttpUrl(url))
        {
            var image = new JsonObject { ["url"] = url };
            if (alt is { Length: > 0 })
            {
                image["alt"] = alt;
            }
            return Single(b, ImportOutcome.Created, null, FlowBlocks.Message, new JsonObject { ["image"] = image });
        }
        if (url.Contains("{{", StringComparison.Ordinal))
        {
            return Single(b, ImportOutcome.Created, "The image address comes from a variable, so it is shown through the message's Markdown.",
                FlowBlocks.Message, new JsonObject { ["text"] = $"![{alt ?? "image"}]({_variables.Rewrite(url)})" });
        }
        return Drop(b, $"The image address '{url}' is not an http(s) URL.");
    }

    /// <summary>The input when it becomes a Parley question block (ask or choice); null when it is dropped.</summary>
    private static TypebotBlock? AsksQuestion(TypebotBlock block) => block.Type switch
    {
        "choice input" or "picture choice input" => block.Option("dynamicVariableId") is null && block.Items.Any() ? block : null,
        var type when InputTypes.Contains(type) => block,
        _ => null,
    };

    private Unit MapInput(TypebotBlock b)
    {
        if (AsksQuestion(b) is null)
        {
            return Drop(b, "The buttons come from a variable at run time (dynamic items); Parley's choice needs its options written in the flow.");
        }
        if (b.Type is "choice input" or "picture choice input")
        {
            return MapChoice(b);
        }
        var question = _questions.GetValueOrDefault(b.Id) ?? Placeholder(b) ?? "Your answer?";
        var variable = _variables.ById(b.Option("variableId")) ?? _variables.Fresh(b.Type.Replace(" input", "", StringComparison.Ordinal) + "_answer");
        var settings = new JsonObject { ["text"] = Clip(question).Text, ["variable"] = variable, ["max_attempts"] = AskAttempts };
        var approximations = new List<string>();
        switch (b.Type)
        {
            case "text input":
                settings["input"] = "text";
                break;
            case "number input":
                settings["input"] = "number";
                foreach (var bound in new[] { "min", "max" })
                {
                    if (Number(b.Options, bound) is { } value)
                    {
                        settings[bound] = value;
                    }
                    else if (b.Options.ValueKind == JsonValueKind.Object && b.Options.TryGetProperty(bound, out _))
                    {
                        approximations.Add($"its {bound} comes from a variable, which Parley's number check does not read");
                    }
                }
                break;
            case "email input":
                settings["input"] = "email";
                break;
            case "url input":
                settings["input"] = "url";
                break;
            case "phone number input":
                settings["input"] = "phone";
                if (b.Option("defaultCountryCode") is { Length: 2 } region)
                {
                    settings["default_region"] = region.ToUpperInvariant();
                }
                break;
            case "date input":
                settings["input"] = "date";
                if (b.Options.ValueKind == JsonValueKind.Object && (IsTrue(b.Options, "isRange") || IsTrue(b.Options, "hasTime")))
                {
                    approximations.Add("Parley asks for one date, without a range or a time of day");
                }
                break;
            case "time input":
                settings["input"] = "text";
                approximations.Add("Parley has no time check, so the time is taken as text");
                break;
            case "rating input":
                settings["input"] = "number";
                var from = Number(b.Options, "startsAt") ?? 0;
                settings["min"] = from;
                settings["max"] = from + (Number(b.Options, "length") ?? 10) - (from > 0 ? 1 : 0);
                approximations.Add("the rating is asked as a number in its range, without stars or buttons");
                break;
        }
        if (b.Option("retryMessageContent") is { Length: > 0 } retry)
        {
            settings["retry_text"] = Clip(_variables.Rewrite(retry)).Text;
        }
        if (b.Options.ValueKind == JsonValueKind.Object && b.Options.TryGetProperty("attachments", out var attachments) && IsTrue(attachments, "isEnabled"))
        {
            approximations.Add("attachments are not taken");
        }
        if (b.Option("variableId") is null)
        {
            approximations.Add($"Typebot did not save the answer; Parley saves it in '{variable}'");
        }
        var outcome = approximations.Count > 0 ? ImportOutcome.Approximate : ImportOutcome.Created;
        var note = approximations.Count > 0 ? Sentence(approximations) : null;
        var id = Node(b, 0, FlowBlocks.Ask, settings);
        var report = Report(b, outcome, note, id);
        var after = (Continuation)new AfterBlock(b);
        _wires.Add((id, "gave_up", after));
        if (b.Type is "email input" or "phone number input")
        {
            // Typebot keeps contact details only in its results; in Parley a lead is captured by a block, so one is
            // added after each email and phone question, with what the flow has collected by then (the lead is
            // updated as more comes in).
            var fields = new JsonObject();
            foreach (var (field, name) in new[] { ("email", b.Type == "email input" ? variable : _emailVariable), ("phone", b.Type == "email input" ? _phoneVariable : variable), ("name", _variables.Named("name")) })
            {
                if (name is not null)
                {
                    fields[field] = "{{" + name + "}}";
                }
            }
            var lead = Node(b, 1, FlowBlocks.CaptureLead, new JsonObject { ["fields"] = fields });
            report.Nodes.Add(lead);
            report.Note = (report.Note is null ? "" : report.Note + " ") + "A capture-lead block is added after it, so the answer is kept as a lead (Typebot kept it only in its results).";
            _wires.Add((id, "next", new ToNode(lead)));
            _wires.Add((lead, "next", after));
            _wires.Add((lead, "failed", after));
        }
        else
        {
            _wires.Add((id, "next", after));
        }
        return new Unit(id, null);
    }

    private Unit MapChoice(TypebotBlock b)
    {
        var approximations = new List<string>();
        var items = b.Items.ToList();
        if (items.Count > MaxOptions)
        {
            approximations.Add($"Parley shows at most {MaxOptions} buttons; the last {items.Count - MaxOptions} are not carried over");
            items = items[..MaxOptions];
        }
        var options = new JsonArray();
        var ports = new List<(string Port, Continuation To)>();
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            var label = TypebotDocument.Text(item, b.Type == "choice input" ? "content" : "title")
                ?? (b.Type == "choice input" ? null : TypebotDocument.Text(item, "pictureSrc"))
                ?? $"Option {i + 1}";
            label = _variables.Rewrite(label.Trim());
            if (label.Length is 0 or > MaxLabel)
            {
                label = label.Length == 0 ? $"Option {i + 1}" : label[..MaxLabel];
            }
            var port = $"option_{i + 1}";
            options.Add(new JsonObject { ["id"] = port, ["label"] = label });
            ports.Add((port, ItemContinuation(b, item)));
            if (item.TryGetProperty("displayCondition", out var condition) && IsTrue(condition, "isEnabled"))
            {
                approximations.Add($"the button '{label}' is always shown (Parley has no display conditions)");
            }
        }
        if (b.Type == "picture choice input")
        {
            approximations.Add("the pictures are not shown; the buttons carry their titles");
        }
        if (IsTrue(b.Options, "isMultipleChoice"))
        {
            approximations.Add("Parley takes one choice, not several");
        }
        var settings = new JsonObject
        {
            ["text"] = Clip(_questions.GetValueOrDefault(b.Id) ?? "Please choose:").Text,
            ["options"] = options,
        };
        if (_variables.ById(b.Option("variableId")) is { } variable)
        {
            settings["variable"] = variable;
        }
        var id = Node(b, 0, FlowBlocks.Choice, settings);
        Report(b, approximations.Count > 0 ? ImportOutcome.Approximate : ImportOutcome.Created, approximations.Count > 0 ? Sentence(approximations) : null, id);
        foreach (var (port, to) in ports)
        {
            _wires.Add((id, port, to));
        }
        return new Unit(id, null);
    }

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
        if (target is "current" || (target is not null && target == document.Id))
        {
            if (b.Option("groupId") is { } group && _groups.TryGetValue(group, out var linked))
            {
                return Through(b, ImportOutcome.Created, $"Links within this bot: becomes a wire to the group '{linked.Title}'.", new IntoGroup(group, null));
            }
            return document.StartEdge is { } start
                ? Through(b, ImportOutcome.Created, "Links back to this bot's start: becomes a wire to it.", new AlongEdge(start))
                : Drop(b, "The link leads nowhere.");
        }
        return Drop(b, $"It links to another Typebot ('{target}'): import that bot too and join them by hand; here the flow goes straight on.");
    }

    private Unit MapHttp(TypebotBlock b)
    {
        var request = b.Options.ValueKind == JsonValueKind.Object && b.Options.TryGetProperty("webhook", out var w) && w.ValueKind == JsonValueKind.Object ? w : default;
        var url = TypebotDocument.Text(request, "url");
        if (request.ValueKind != JsonValueKind.Object || string.IsNullOrWhiteSpace(url))
        {
            return Drop(b, b.Json.TryGetProperty("webhookId", out _)
                ? "The request is stored apart from the flow in schema version 3, so the export does not hold it; open and save the bot in Typebot, then export again."
                : "The request has no URL.");
        }
        var approximations = new List<string>();
        url = _variables.Rewrite(url.Trim());
        var query = KeyValues(request, "queryParams").Select(p => Uri.EscapeDataString(p.Key) + "=" + _variables.Rewrite(p.Value)).ToList();
        if (query.Count > 0)
        {
            url += (url.Contains('?', StringComparison.Ordinal) ? "&" : "?") + string.Join("&", query);
        }
        if (!url.Contains("{{", StringComparison.Ordinal) && !FlowValidator.IsHttpUrl(url))
        {
            return Drop(b, $"'{url}' is not an absolute http(s) URL.");
        }
        var method = (TypebotDocument.Text(request, "method") ?? "POST").ToUpperInvariant();
        if (!FlowValidator.HttpMethods.Contains(method))
        {
            approximations.Add($"Parley has no {method} request; it sends GET");
            method = "GET";
        }
        var settings = new JsonObject { ["method"] = method, ["url"] = url };
        var headers = KeyValues(request, "headers").ToList();
        if (headers.Count > 0)
        {
            var headerObject = new JsonObject();
            foreach (var (key, value) in headers)
            {
                headerObject[key] = _variables.Rewrite(value);
            }
            settings["headers"] = headerObject;
        }
        if (method != "GET")
        {
            var body = TypebotDocument.Text(request, "body");
            if (IsTrue(b.Options, "isCustomBody") && !string.IsNullOrWhiteSpace(body))
            {
                try
                {
                    settings["body"] = JsonNode.Parse(_variables.Rewrite(body));
                }
                catch (JsonException)
                {
                    settings["body"] = _variables.Rewrite(body);
                    approximations.Add("the body is not JSON before variables are filled in, so it is sent as one JSON string");
                }
            }
            else
            {
                // Without a custom body Typebot sends every variable by name.
                settings["body"] = new JsonObject(document.Variables.Where(v => _variables.ById(v.Id) is not null).GroupBy(v => v.Name)
                    .Select(g => KeyValuePair.Create(g.Key, (JsonNode?)JsonValue.Create("{{" + _variables.ById(g.First().Id) + "}}"))));
            }
        }
        if (Number(b.Options, "timeout") is { } timeout)
        {
            var clamped = Math.Clamp(timeout, 1, 30);
            if (Math.Abs(clamped - timeout) > 0.001)
            {
                approximations.Add($"Parley waits at most 30 seconds, not {timeout}");
            }
            settings["timeout_seconds"] = clamped;
        }
        var mapping = new JsonObject();
        if (b.Options.TryGetProperty("responseVariableMapping", out var responseMapping) && responseMapping.ValueKind == JsonValueKind.Array)
        {
            foreach (var m in responseMapping.EnumerateArray())
            {
                var variable = _variables.ById(TypebotDocument.Text(m, "variableId"));
                var path = TypebotDocument.Text(m, "bodyPath") ?? "data";
                // Typebot's paths start at { statusCode, data }; Parley's at the response body.
                var parleyPath = path == "data" ? "$" : path.StartsWith("data.", StringComparison.Ordinal) || path.StartsWith("data[", StringComparison.Ordinal) ? "$" + path[4..] : null;
                if (variable is null)
                {
                    continue;
                }
                if (parleyPath is null || !JsonPath.IsValid(parleyPath))
                {
                    approximations.Add($"the response path '{path}' for {variable} is not carried over (Parley reads paths like data.items[0].name; the status is in {{{{http_status}}}})");
                    continue;
                }
                mapping[variable] = parleyPath;
            }
        }
        if (mapping.Count > 0)
        {
            settings["response_mapping"] = mapping;
        }
        if (IsTrue(b.Options, "isExecutedOnClient"))
        {
            approximations.Add("the request is sent by the server, not the visitor's browser");
        }
        var id = Node(b, 0, FlowBlocks.Http, settings);
        Report(b, approximations.Count > 0 ? ImportOutcome.Approximate : ImportOutcome.Created,
            Sentence(approximations.Prepend("Like Typebot, the flow goes on whether the request succeeds or fails")), id);
        _wires.Add((id, "ok", new AfterBlock(b)));
        _wires.Add((id, "error", new AfterBlock(b)));
        return new Unit(id, null);
    }

    private Unit MapModel(TypebotBlock b)
    {
        var action = b.Option("action") ?? b.Option("task");
        if (action is not null && !action.Contains("chat", StringComparison.OrdinalIgnoreCase) && !action.Contains("Ask", StringComparison.OrdinalIgnoreCase)
            && !action.Contains("message", StringComparison.OrdinalIgnoreCase))
        {
            return Drop(b, $"The {b.Type} action '{action}' has no Parley block.");
        }
        var system = b.Option("systemMessage") ?? (b.Options.ValueKind == JsonValueKind.Object && b.Options.TryGetProperty("messages", out var messages) && messages.ValueKind == JsonValueKind.Array
            ? messages.EnumerateArray().Where(m => TypebotDocument.Text(m, "role") == "system").Select(m => TypebotDocument.Text(m, "content")).FirstOrDefault(t => t is not null)
            : null);
        var model = b.Option("model");
        var note = "Becomes an AI answer block: it answers the visitor's next messages with the bot's own model and knowledge, then goes on. "
            + "Typebot's prompt messages, response variables and credentials are not carried over"
            + (model is null ? "" : $" (the model was {model})")
            + (system is null ? "." : $"; put its system message into the bot's instructions: \"{Short(system, 300)}\".");
        return Single(b, ImportOutcome.Approximate, note, FlowBlocks.AiAnswer, new JsonObject { ["max_turns"] = 10 }, ports: ["done"]);
    }

    private Unit MapCalCom(TypebotBlock b)
    {
        var settings = new JsonObject { ["text"] = "Here are the next free times. Which suits you?", ["slots"] = 3, ["days_ahead"] = 14 };
        foreach (var (from, to) in new[] { ("name", "name"), ("email", "email"), ("phone", "phone"), ("additionalNotes", "notes") })
        {
            if (b.Option(from) is { Length: > 0 } value)
            {
                settings[to] = _variables.Rewrite(value);
            }
        }
        var id = Node(b, 0, FlowBlocks.BookAppointment, settings);
        var report = Report(b, ImportOutcome.Approximate,
            "Books against this bot's own booking calendar (set it up: docs/bookings.md) instead of the Cal.com event"
            + (b.Option("link") is { } link ? $" '{link}'" : "") + "; the visitor picks from offered times instead of Cal.com's calendar.", id);
        var after = (Continuation)new AfterBlock(b);
        if (_variables.ById(b.Option("saveBookedDateInVariableId")) is { } saved)
        {
            var save = Node(b, 1, FlowBlocks.SetVariable, new JsonObject { ["variable"] = saved, ["value"] = "{{booking_start}}" });
            report.Nodes.Add(save);
            _wires.Add((id, "booked", new ToNode(save)));
            _wires.Add((save, "next", after));
        }
        else
        {
            _wires.Add((id, "booked", after));
        }
        _wires.Add((id, "failed", after));
        return new Unit(id, null);
    }

    private static string? AnswerVariable(TypebotDocument document, string inputType)
    {
        var id = document.Groups.SelectMany(g => g.Blocks).Where(b => b.Type == inputType).Select(b => b.Option("variableId")).FirstOrDefault(v => v is not null);
        return new TypebotVariables(document.Variables).ById(id);
    }

    private Continuation ItemContinuation(TypebotBlock block, JsonElement item)
    {
        var itemId = TypebotDocument.Text(item, "id");
        var edge = TypebotDocument.Text(item, "outgoingEdgeId") is { } edgeId && document.Edges.TryGetValue(edgeId, out var e) ? e
            : itemId is not null && _edgesFrom.TryGetValue((block.Id, itemId), out var byItem) ? byItem : null;
        return edge is null ? new AfterBlock(block) : new AlongEdge(edge);
    }

    /// <summary>The Parley block the flow reaches along <paramref name="to"/>, or null when the flow ends there.</summary>
    private string? Resolve(Continuation to, HashSet<string> visiting)
    {
        switch (to)
        {
            case ToNode node:
                return node.NodeId;
            case FlowEnds:
                return null;
            case AlongEdge along:
                return Resolve(new IntoGroup(along.Edge.ToGroup, along.Edge.ToBlock), visiting);
            case IntoGroup into:
                if (!_groups.TryGetValue(into.GroupId, out var group))
                {
                    return null;
                }
                var index = into.BlockId is null ? 0 : group.Blocks.FindIndex(b => b.Id == into.BlockId);
                return Entry(group, Math.Max(index, 0), visiting);
            case AfterBlock after:
                var edge = after.Block.OutgoingEdgeId is { } id && document.Edges.TryGetValue(id, out var e) ? e
                    : _edgesFrom.GetValueOrDefault((after.Block.Id, null));
                return edge is not null ? Resolve(new AlongEdge(edge), visiting) : Entry(after.Block.Group, after.Block.Index + 1, visiting);
            default:
                return null;
        }
    }

    private string? Entry(TypebotGroup group, int index, HashSet<string> visiting)
    {
        if (index >= group.Blocks.Count)
        {
            return null;
        }
        var block = group.Blocks[index];
        var unit = _units[block.Id];
        if (unit.Entry is not null)
        {
            return unit.Entry;
        }
        // Blocks that made nothing pass the flow on; a loop made only of them (jumps in a circle) leads nowhere.
        return visiting.Add(block.Id) ? Resolve(unit.Through ?? new AfterBlock(block), visiting) : null;
    }

    /// <summary>Removes blocks the start cannot reach (Parley refuses them; Typebot leaves them lying on the canvas).</summary>
    private void Prune(string start, List<(string From, string Port, string To)> edges)
    {
        var reached = new HashSet<string>(StringComparer.Ordinal) { start };
        var queue = new Queue<string>([start]);
        while (queue.TryDequeue(out var id))
        {
            foreach (var edge in edges.Where(e => e.From == id && reached.Add(e.To)))
            {
                queue.Enqueue(edge.To);
            }
        }
        edges.RemoveAll(e => !reached.Contains(e.From));
        foreach (var id in _nodes.Keys.Where(id => !reached.Contains(id)).ToList())
        {
            _nodes.Remove(id);
        }
        foreach (var report in _reports.Where(r => r.Nodes.Count > 0))
        {
            if (report.Nodes.All(n => !reached.Contains(n)))
            {
                report.Outcome = ImportOutcome.NotCarried;
                report.Note = "No path from the start reaches it, so it could never run.";
            }
            report.Nodes.RemoveAll(n => !reached.Contains(n));
        }
    }

    private Unit Single(TypebotBlock b, string outcome, string? note, string type, JsonObject settings, IReadOnlyList<string>? ports = null)
    {
        var id = Node(b, 0, type, settings);
        Report(b, outcome, note, id);
        foreach (var port in ports ?? FlowBlocks.Ports(type, default))
        {
            _wires.Add((id, port, new AfterBlock(b)));
        }
        return new Unit(id, null);
    }

    private Unit Through(TypebotBlock b, string outcome, string? note, Continuation through)
    {
        Report(b, outcome, note);
        return new Unit(null, through);
    }

    private Unit Drop(TypebotBlock b, string why)
    {
        Report(b, ImportOutcome.NotCarried, why);
        return new Unit(null, new AfterBlock(b));
    }

    private BlockReport Report(TypebotBlock b, string outcome, string? note, params string[] nodes)
    {
        var report = new BlockReport(b, outcome, note);
        report.Nodes.AddRange(nodes);
        _reports.Add(report);
        return report;
    }

    /// <summary>Adds a Parley block where the Typebot block was drawn: its group's place, one row per block, one column per extra block.</summary>
    private string Node(TypebotBlock b, int column, string type, JsonObject settings)
    {
        var id = column == 0 ? b.Id : $"{b.Id}_{column + 1}";
        if (id.Length > 100)
        {
            id = id[^100..];
        }
        _nodes[id] = new JsonObject
        {
            ["id"] = id,
            ["type"] = type,
            ["position"] = new JsonObject { ["x"] = b.Group.X + column * ColumnWidth, ["y"] = b.Group.Y + b.Index * RowHeight },
            ["settings"] = settings,
        };
        return id;
    }

    private const string ClipNote = "The text is longer than a Parley message may be and is cut at 4000 characters.";

    private static (string Text, bool Cut) Clip(string text) =>
        text.Length > FlowValidator.MaxTextLength ? (text[..FlowValidator.MaxTextLength], true) : (text, false);

    private static JsonElement Content(TypebotBlock b) => b.Json.TryGetProperty("content", out var c) ? c : default;

    private string? Placeholder(TypebotBlock b) =>
        b.Options.ValueKind == JsonValueKind.Object && b.Options.TryGetProperty("labels", out var labels) && TypebotDocument.Text(labels, "placeholder") is { Length: > 0 } p
            ? _variables.Rewrite(p)
            : null;

    private static bool IsTrue(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.True;

    private static double? Number(JsonElement element, string name)
    {
        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out var v))
        {
            return null;
        }
        return v.ValueKind switch
        {
            JsonValueKind.Number => v.GetDouble(),
            JsonValueKind.String when double.TryParse(v.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
            _ => null,
        };
    }

    private static IEnumerable<KeyValuePair<string, string>> KeyValues(JsonElement request, string name) =>
        request.TryGetProperty(name, out var list) && list.ValueKind == JsonValueKind.Array
            ? list.EnumerateArray()
                .Where(p => TypebotDocument.Text(p, "key") is { Length: > 0 })
                .Select(p => KeyValuePair.Create(TypebotDocument.Text(p, "key")!, TypebotDocument.Text(p, "value") ?? ""))
            : [];

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

    private static string Short(string text, int length = 80) => text.Length <= length ? text : text[..length] + "…";

    private static string Sentence(IEnumerable<string> parts)
    {
        var text = string.Join("; ", parts);
        return text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..] + ".";
    }
}
