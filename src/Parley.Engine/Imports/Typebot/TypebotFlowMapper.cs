using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Parley.Engine.Flows;

namespace Parley.Engine.Imports.Typebot;

/// <summary>
/// The mapping of one Typebot export: each block becomes a unit (the Parley block it starts with, or where the flow goes
/// through it), wires are resolved once every block is mapped, and what the start cannot reach is pruned. The block
/// families are mapped in the other parts of this class: bubbles, inputs, logic and integrations.
/// </summary>
internal sealed partial class TypebotFlowMapper(TypebotDocument document)
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

    // The other parts of the class read the document through this field (a primary constructor's parameter is in scope
    // only in the part that declares it).
    private readonly TypebotDocument _document = document;
    private readonly TypebotVariables _variables = new(document.Variables);
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
        foreach (var group in _document.Groups)
        {
            foreach (var block in group.Blocks)
            {
                _units[block.Id] = MapBlock(block);
            }
        }

        var start = _document.StartEdge is { } startEdge ? Resolve(new AlongEdge(startEdge), []) : null;
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

        var json = ImportedFlowBuilder.ValidFlowJson(
            start,
            new JsonObject(_document.Variables
                .Where(v => v.Value is not null && _variables.ById(v.Id) is not null)
                .GroupBy(v => _variables.ById(v.Id)!)
                .Select(g => KeyValuePair.Create(g.Key, (JsonNode?)JsonValue.Create(g.First().Value)))),
            _nodes.Values,
            edges);

        _notes.Add("Typebot's theme and settings (typing emulation, remember user, metadata) are not part of a Parley flow and are not carried over.");
        _notes.Add($"Imported from Typebot schema version {_document.Version}.");
        return new FlowImport(
            _document.Name.Length > 100 ? _document.Name[..100] : _document.Name,
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

    private static string? AnswerVariable(TypebotDocument document, string inputType)
    {
        var id = document.Groups.SelectMany(g => g.Blocks).Where(b => b.Type == inputType).Select(b => b.Option("variableId")).FirstOrDefault(v => v is not null);
        return new TypebotVariables(document.Variables).ById(id);
    }

    private Continuation ItemContinuation(TypebotBlock block, JsonElement item)
    {
        var itemId = TypebotDocument.Text(item, "id");
        var edge = TypebotDocument.Text(item, "outgoingEdgeId") is { } edgeId && _document.Edges.TryGetValue(edgeId, out var e) ? e
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
                var edge = after.Block.OutgoingEdgeId is { } id && _document.Edges.TryGetValue(id, out var e) ? e
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
        var reached = ImportedFlowBuilder.Reach(start, edges);
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

    private static string Short(string text, int length = 80) => text.Length <= length ? text : text[..length] + "…";

    private static string Sentence(IEnumerable<string> parts)
    {
        var text = string.Join("; ", parts);
        return text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..] + ".";
    }
}
