using System.Text;
using System.Text.Json;
using Parley.Engine.Flows;
using Parley.Engine.Imports;
using Parley.Engine.Imports.Typebot;

namespace Parley.Engine.Tests.Imports.Typebot;

/// <summary>A small Typebot 6.1 export built around one group, wired from the start, and what Parley makes of it.</summary>
internal sealed record TypebotExport(FlowImport Import, FlowGraph Graph)
{
    /// <summary>Maps an export whose start leads to the group "main" (drawn at 100, 200) holding <paramref name="blocks"/>.</summary>
    public static TypebotExport Map(string blocks, string variables = "[]", string otherGroups = "", string otherEdges = "", string name = "\"Test bot\"")
    {
        var import = TypebotFlowImport.Map(Bytes(blocks, variables, otherGroups, otherEdges, name));
        return new TypebotExport(import, FlowGraph.Parse(import.FlowJson));
    }

    public static byte[] Bytes(string blocks, string variables = "[]", string otherGroups = "", string otherEdges = "", string name = "\"Test bot\"") =>
        Encoding.UTF8.GetBytes($$"""
            { "version": "6.1", "id": "bot1", "name": {{name}},
              "events": [ { "id": "s", "type": "start", "graphCoordinates": { "x": 0, "y": 0 }, "outgoingEdgeId": "start" } ],
              "groups": [ { "id": "main", "title": "Main", "graphCoordinates": { "x": 100, "y": 200 }, "blocks": [ {{blocks}} ] }{{(otherGroups.Length > 0 ? "," : "")}} {{otherGroups}} ],
              "edges": [ { "id": "start", "from": { "eventId": "s" }, "to": { "groupId": "main" } }{{(otherEdges.Length > 0 ? "," : "")}} {{otherEdges}} ],
              "variables": {{variables}} }
            """);

    /// <summary>A text bubble, handy as the block a wire should reach.</summary>
    public static string Text(string id, string text) => $$"""{ "id": "{{id}}", "type": "text", "content": { "plainText": "{{text}}" } }""";

    public ImportedBlock Block(string id) => Assert.Single(Import.Blocks, b => b.BlockId == id);

    public FlowNode Node(string id) => Assert.IsType<FlowNode>(Graph.Node(id));

    public JsonElement Settings(string id) => Node(id).Settings;

    public string? Setting(string node, string name) => Settings(node).TryGetProperty(name, out var v) ? v.ToString() : null;

    public bool HasSetting(string node, string name) => Settings(node).TryGetProperty(name, out _);
}
