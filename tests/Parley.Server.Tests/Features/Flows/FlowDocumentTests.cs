using System.Text.Json;
using System.Text.Json.Nodes;
using Parley.Dashboard.Flows.Features.Flows;
using Parley.Engine.Flows;
using Parley.Server.Features.Flows;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Features.Flows;

/// <summary>
/// The flow builder's document (<c>src/Parley.Dashboard.Flows</c>) against the server's own: it reads and writes the
/// API's graph without loss, and its copy of the block types and ports is the engine's.
/// </summary>
[Trait(Storage.Trait, Storage.Independent)]
public sealed class FlowDocumentTests
{
    public static TheoryData<string> Templates() => [.. FlowTemplates.Names];

    [Fact]
    public void ParseThenToJson_FlowWithNotes_KeepsThemAndTheEngineReadsThem()
    {
        const string Json = """
            {"start": "hi", "variables": {}, "nodes": [{"id": "hi", "type": "end", "position": {"x": 0, "y": 0}, "settings": {}}], "edges": [],
             "notes": [{"id": "note_1", "text": "ask Sam before changing prices", "x": 120, "y": -40}]}
            """;
        using var original = JsonDocument.Parse(Json);
        var document = FlowDocument.Parse(original.RootElement);

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(Json), document.ToJson()), document.ToJson().ToJsonString());
        Assert.Equal("note_2", document.NewNoteId());
        Assert.Equal("ask Sam before changing prices", Assert.Single(FlowValidator.Validate(document.ToElement()).Graph!.Notes).Text);
        document.Remove("note_1");
        Assert.Null(document.ToJson()["notes"]);
    }

    [Fact]
    public void Between_NotesAddedRemovedAndEdited_ListedButMovingIsNoChange()
    {
        var before = new FlowDocument();
        before.Notes.AddRange([new FlowStickyNote("kept", "same", 0, 0), new FlowStickyNote("edited", "old", 0, 0), new FlowStickyNote("gone", "bye", 0, 0)]);
        var after = new FlowDocument();
        after.Notes.AddRange([new FlowStickyNote("kept", "same", 300, 300), new FlowStickyNote("edited", "new", 0, 0), new FlowStickyNote("fresh", "hi", 0, 0)]);

        var diff = FlowDiff.Between(before, after);

        Assert.Equal([new("edited", "text changed"), new("fresh", "added"), new("gone", "removed")], diff.Notes);
        Assert.True(FlowDiff.Between(after, after).IsEmpty);
    }

    [Theory]
    [MemberData(nameof(Templates))]
    public void ParseThenToJson_Template_SameGraph(string template)
    {
        var json = FlowTemplates.Load(template)!;
        using var original = JsonDocument.Parse(json);

        var written = FlowDocument.Parse(original.RootElement).ToJson();

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(json), written), written.ToJsonString());
        Assert.True(FlowValidator.Validate(FlowDocument.Parse(original.RootElement).ToElement()).IsValid);
    }

    [Theory]
    [MemberData(nameof(Templates))]
    public void Ports_EveryTemplateBlock_SameAsTheEngine(string template)
    {
        var graph = FlowGraph.Parse(FlowTemplates.Load(template)!);
        var document = FlowDocument.Parse(JsonDocument.Parse(FlowTemplates.Load(template)!).RootElement);
        foreach (var node in graph.Nodes)
        {
            Assert.Equal(FlowBlocks.Ports(node.Type, node.Settings), FlowBlockTypes.Ports(document.Block(node.Id)!));
            Assert.Equal(FlowBlocks.WaitsForInput(node.Type), FlowBlockTypes.WaitsForInput(node.Type));
        }
    }

    [Fact]
    public void NewBlocks_EveryPaletteType_IsAnEngineTypeWithTheEnginesPortsAndValidSettings()
    {
        Assert.Equal(FlowBlocks.All, FlowBlockTypes.All.Select(t => t.Type));
        var document = new FlowDocument();
        foreach (var type in FlowBlockTypes.All)
        {
            var block = new FlowBlock(document.NewBlockId(type.Type), type.Type, 0, 0, type.NewSettings());
            document.Blocks.Add(block);
            using var settings = JsonDocument.Parse(block.Settings.ToJsonString());
            Assert.Equal(FlowBlocks.Ports(type.Type, settings.RootElement), FlowBlockTypes.Ports(block));
        }
        // Wired in a chain through their first ports, every new block is valid apart from the jump's missing target.
        document.Start = document.Blocks[0].Id;
        for (var i = 0; i < document.Blocks.Count - 1; i++)
        {
            if (FlowBlockTypes.Ports(document.Blocks[i]) is [var port, ..])
            {
                document.Connect(document.Blocks[i].Id, port, document.Blocks[i + 1].Id);
            }
        }
        var errors = FlowValidator.Validate(document.ToElement()).Errors;
        Assert.Equal(["jump_1", "end_1"], errors.Keys.Order().Reverse());
        Assert.Contains(errors["jump_1"], e => e.Contains("settings.target is required", StringComparison.Ordinal));
    }

    [Fact]
    public void Connect_PortAlreadyWired_ReplacesItsWire_RemoveDropsWiresAndMovesStart()
    {
        var document = FlowDocument.Parse(JsonDocument.Parse(FlowTemplates.Load(FlowTemplates.AppointmentBooking)!).RootElement);

        document.Connect("welcome", "book", "faq");
        Assert.Single(document.Wires, w => w.From == "welcome" && w.Port == "book");
        Assert.Equal("faq", document.Wires.Single(w => w.From == "welcome" && w.Port == "book").To);

        document.Remove("welcome");
        Assert.DoesNotContain(document.Wires, w => w.From == "welcome" || w.To == "welcome");
        Assert.Equal("ask_name", document.Start);
        Assert.Contains("email", document.VariableNames());
        Assert.Contains("booking_id", document.VariableNames());
    }
}
