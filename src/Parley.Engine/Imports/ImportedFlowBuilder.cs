using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Parley.Engine.Flows;

namespace Parley.Engine.Imports;

/// <summary>
/// Assembles a Parley flow from another platform's graph: the mappers add blocks where the source drew them, wires
/// between their ports and one report line per source block; <see cref="Build"/> drops what the start cannot reach
/// (marking those source blocks as not carried over), validates the result like any saved flow, and returns it with
/// its report. Shared by the graph-shaped sources (Dify, Flowise), so each mapper says only what a block becomes.
/// </summary>
public sealed class ImportedFlowBuilder
{
    private readonly Dictionary<string, JsonObject> _nodes = new(StringComparer.Ordinal);
    private readonly List<(string From, string Port, string To)> _wires = [];
    private readonly List<Line> _lines = [];
    private readonly List<string> _notes = [];
    private readonly Dictionary<string, string> _variables = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string?> _entries = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _throughHandles = new(StringComparer.Ordinal);
    private readonly List<(string Source, string Handle, string Node, string Port)> _exits = [];
    private readonly List<(string Source, string Handle, string Target)> _links = [];

    /// <summary>The handle of <see cref="Exit"/> that any of the source block's outgoing edges leaves by.</summary>
    public const string AnyHandle = "*";

    private sealed class Line(string group, string blockId, string sourceType, string outcome, string? note)
    {
        public string Group { get; } = group;
        public string BlockId { get; } = blockId;
        public string SourceType { get; } = sourceType;
        public string Outcome { get; set; } = outcome;
        public string? Note { get; set; } = note;
        public List<string> Nodes { get; } = [];
    }

    /// <summary>A block id Parley accepts (letters, digits, <c>_</c> and <c>-</c>; at most 100 characters) and no block has yet.</summary>
    public string FreeId(string wanted)
    {
        var text = new StringBuilder();
        foreach (var c in wanted)
        {
            text.Append(char.IsAsciiLetterOrDigit(c) || c is '_' or '-' ? c : '_');
        }
        var id = text.Length == 0 ? "block" : text.ToString();
        id = id.Length > 90 ? id[^90..] : id;
        var candidate = id;
        for (var n = 2; _nodes.ContainsKey(candidate); n++)
        {
            candidate = $"{id}_{n}";
        }
        return candidate;
    }

    /// <summary>Adds a Parley block at (<paramref name="x"/>, <paramref name="y"/>) and returns its id.</summary>
    public string Add(string wantedId, string type, double x, double y, JsonObject settings)
    {
        var id = FreeId(wantedId);
        _nodes[id] = new JsonObject
        {
            ["id"] = id,
            ["type"] = type,
            ["position"] = new JsonObject { ["x"] = Math.Round(x, 1), ["y"] = Math.Round(y, 1) },
            ["settings"] = settings,
        };
        return id;
    }

    /// <summary>Wires <paramref name="port"/> of <paramref name="from"/> to <paramref name="to"/>; a port already wired keeps its first wire.</summary>
    public void Wire(string from, string port, string to)
    {
        if (!_wires.Any(w => w.From == from && w.Port == port))
        {
            _wires.Add((from, port, to));
        }
    }

    /// <summary>
    /// Says where the flow enters the source block <paramref name="sourceId"/>: the Parley block made for it, or null
    /// when it made none and the flow goes straight through it along its outgoing edge (the one from
    /// <paramref name="throughHandle"/> when the block has several, such as a condition that always takes its else).
    /// </summary>
    public void Entry(string sourceId, string? node, string? throughHandle = null)
    {
        _entries[sourceId] = node;
        if (throughHandle is not null)
        {
            _throughHandles[sourceId] = throughHandle;
        }
    }

    /// <summary>Says that the source block's edges from <paramref name="handle"/> leave from <paramref name="port"/> of <paramref name="node"/>.</summary>
    public void Exit(string sourceId, string handle, string node, string port) => _exits.Add((sourceId, handle, node, port));

    /// <summary>An edge of the source graph, wired in <see cref="Build"/> from the exits to the entries.</summary>
    public void Link(string sourceId, string handle, string targetId) => _links.Add((sourceId, handle, targetId));

    /// <summary>The Parley block the flow reaches when it enters the source block <paramref name="sourceId"/>, or null when it ends there.</summary>
    public string? Resolve(string sourceId) => Resolve(sourceId, []);

    private string? Resolve(string sourceId, HashSet<string> visiting)
    {
        if (!_entries.TryGetValue(sourceId, out var entry))
        {
            return null;
        }
        if (entry is not null)
        {
            return entry;
        }
        // A block that made nothing passes the flow on; a circle made only of them leads nowhere.
        var handle = _throughHandles.GetValueOrDefault(sourceId);
        return visiting.Add(sourceId) && _links.FirstOrDefault(l => l.Source == sourceId && (handle is null || l.Handle == handle)) is { Target: not null } link
            ? Resolve(link.Target, visiting)
            : null;
    }

    /// <summary>Reports what became of one source block: the Parley blocks made for it (none when dropped or merged) and why, unless exact.</summary>
    public void Report(string group, string blockId, string sourceType, string outcome, string? note, params string[] nodes)
    {
        var line = new Line(group, blockId, sourceType, outcome, note);
        line.Nodes.AddRange(nodes);
        _lines.Add(line);
    }

    /// <summary>A note about the flow as a whole.</summary>
    public void Note(string note) => _notes.Add(note);

    /// <summary>A variable every conversation starts with.</summary>
    public void Variable(string name, string value) => _variables[name] = value;

    /// <summary>
    /// The flow starting at <paramref name="start"/>; throws <see cref="ImportFileException"/> when there is no start or
    /// the mapped flow does not validate (a mapper's mistake, reported rather than saved).
    /// </summary>
    public FlowImport Build(string name, string? start, string platform)
    {
        if (start is null || !_nodes.ContainsKey(start))
        {
            throw new ImportFileException($"The start of this {platform} flow is not connected to any block that Parley can run, so there is nothing to import.");
        }
        foreach (var (source, handle, target) in _links)
        {
            if (Resolve(target) is not { } to)
            {
                continue;
            }
            foreach (var exit in _exits.Where(e => e.Source == source && (e.Handle == handle || e.Handle == AnyHandle)))
            {
                Wire(exit.Node, exit.Port, to);
            }
        }
        var wires = _wires.Where(w => _nodes.ContainsKey(w.From) && _nodes.ContainsKey(w.To)).ToList();
        var reached = Reach(start, [.. wires, .. Jumps()]);
        wires.RemoveAll(w => !reached.Contains(w.From));
        foreach (var id in _nodes.Keys.Where(id => !reached.Contains(id)).ToList())
        {
            _nodes.Remove(id);
        }
        foreach (var line in _lines.Where(l => l.Nodes.Count > 0))
        {
            if (line.Nodes.All(n => !reached.Contains(n)))
            {
                line.Outcome = ImportOutcome.NotCarried;
                line.Note = "No path from the start reaches it, so it could never run.";
            }
            line.Nodes.RemoveAll(n => !reached.Contains(n));
        }

        var json = ValidFlowJson(
            start,
            new JsonObject(_variables.Select(v => KeyValuePair.Create(v.Key, (JsonNode?)JsonValue.Create(v.Value)))),
            _nodes.Values,
            wires);
        var trimmed = name.Trim();
        return new FlowImport(
            trimmed.Length == 0 ? $"Imported from {platform}" : trimmed.Length > 100 ? trimmed[..100] : trimmed,
            json,
            [.. _lines.Select(l => new ImportedBlock(l.Group, l.BlockId, l.SourceType, l.Outcome, l.Nodes, l.Note))],
            _notes);
    }

    private IEnumerable<(string From, string Port, string To)> Jumps() =>
        _nodes.Values.Where(n => (string?)n["type"] == FlowBlocks.Jump && n["settings"]?["target"] is JsonValue)
            .Select(n => ((string)n["id"]!, "", (string)n["settings"]!["target"]!));

    /// <summary>The blocks a path of <paramref name="wires"/> from <paramref name="start"/> reaches, the start among them.</summary>
    internal static HashSet<string> Reach(string start, IReadOnlyList<(string From, string Port, string To)> wires)
    {
        var reached = new HashSet<string>(StringComparer.Ordinal) { start };
        var queue = new Queue<string>([start]);
        while (queue.TryDequeue(out var id))
        {
            foreach (var wire in wires.Where(w => w.From == id && reached.Add(w.To)))
            {
                queue.Enqueue(wire.To);
            }
        }
        return reached;
    }

    /// <summary>
    /// The JSON of a mapped flow from its start, variables, blocks and wires, refused with the validator's first errors
    /// when Parley could not run it.
    /// </summary>
    internal static string ValidFlowJson(
        string start, JsonObject variables, IEnumerable<JsonObject> nodes, IEnumerable<(string From, string Port, string To)> wires)
    {
        var flow = new JsonObject
        {
            ["start"] = start,
            ["variables"] = variables,
            ["nodes"] = new JsonArray([.. nodes]),
            ["edges"] = new JsonArray([.. wires.Select((w, i) => (JsonNode)new JsonObject
            {
                ["id"] = $"e{i + 1}",
                ["from"] = new JsonObject { ["node"] = w.From, ["port"] = w.Port },
                ["to"] = new JsonObject { ["node"] = w.To },
            })]),
        };
        var json = flow.ToJsonString();
        using var parsed = JsonDocument.Parse(json);
        var validation = FlowValidator.Validate(parsed.RootElement);
        if (!validation.IsValid)
        {
            throw new ImportFileException([.. validation.Errors.Take(10).Select(e =>
                $"The mapped flow does not run in Parley at '{e.Key}': {string.Join(" ", e.Value)}")]);
        }
        return json;
    }
}
