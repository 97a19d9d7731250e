using System.Text.Json;

namespace Parley.Engine.Flows;

/// <summary>One block of a flow, where the canvas draws it, and its settings (a JSON object, per <see cref="Type"/>).</summary>
public sealed record FlowNode(string Id, string Type, double X, double Y, JsonElement Settings);

/// <summary>A wire from an output port of one block to another block.</summary>
public sealed record FlowEdge(string Id, string FromNode, string FromPort, string ToNode);

/// <summary>A sticky note on the canvas: free text for the people editing the flow; it never runs.</summary>
public sealed record FlowNote(string Id, string Text, double X, double Y);

/// <summary>
/// A bot's conversation flow: blocks, the wires between their ports, the block that runs first, and the variables'
/// starting values. Build one with <see cref="FlowValidator.Validate"/>, which refuses graphs that cannot run.
/// </summary>
public sealed class FlowGraph
{
    private readonly Dictionary<string, FlowNode> _nodes;
    private readonly Dictionary<(string Node, string Port), string> _wires;

    internal FlowGraph(
        IReadOnlyList<FlowNode> nodes, IReadOnlyList<FlowEdge> edges, string start, IReadOnlyDictionary<string, string> variables, IReadOnlyList<FlowNote> notes)
    {
        Nodes = nodes;
        Notes = notes;
        Edges = edges;
        Start = start;
        Variables = variables;
        _nodes = nodes.ToDictionary(n => n.Id, StringComparer.Ordinal);
        _wires = [];
        foreach (var edge in edges)
        {
            _wires.TryAdd((edge.FromNode, edge.FromPort), edge.ToNode);
        }
    }

    public IReadOnlyList<FlowNode> Nodes { get; }

    public IReadOnlyList<FlowEdge> Edges { get; }

    public string Start { get; }

    /// <summary>Sticky notes beside the blocks; the runner never reads them.</summary>
    public IReadOnlyList<FlowNote> Notes { get; }

    /// <summary>Variables every conversation starts with.</summary>
    public IReadOnlyDictionary<string, string> Variables { get; }

    public FlowNode? Node(string id) => _nodes.GetValueOrDefault(id);

    /// <summary>The block wired to <paramref name="port"/> of <paramref name="node"/>, or null when the port is unwired.</summary>
    public string? Target(string node, string port) => _wires.GetValueOrDefault((node, port));

    /// <summary>Parses and validates a flow document; throws <see cref="FlowInvalidException"/> when it is not valid.</summary>
    public static FlowGraph Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        var result = FlowValidator.Validate(document.RootElement);
        return result.Graph ?? throw new FlowInvalidException(result.Errors);
    }
}

/// <summary>A flow document that does not validate, with its errors by node id (or <c>flow</c>).</summary>
public sealed class FlowInvalidException(IReadOnlyDictionary<string, string[]> errors)
    : Exception("The flow is not valid.")
{
    public IReadOnlyDictionary<string, string[]> Errors { get; } = errors;
}
