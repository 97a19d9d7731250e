using System.Text.Json.Nodes;
using Parley.Engine.Flows;
using Parley.Engine.Imports;

namespace Parley.Engine.Tests.Imports;

public sealed class ImportedFlowBuilderTests
{
    private static JsonObject Say(string text) => new() { ["text"] = text };

    [Fact]
    public void Build_PassThroughBlocks_WiredToWhatFollowsThem()
    {
        var flow = new ImportedFlowBuilder();
        var hello = flow.Add("a", FlowBlocks.Message, 10, 20, Say("Hello"));
        flow.Entry("a", hello);
        flow.Exit("a", ImportedFlowBuilder.AnyHandle, hello, "next");
        flow.Entry("b", null);
        flow.Entry("c", null, "else");
        var bye = flow.Add("d", FlowBlocks.End, 0, 0, Say("Bye"));
        flow.Entry("d", bye);
        var other = flow.Add("e", FlowBlocks.End, 0, 0, Say("Other"));
        flow.Entry("e", other);
        flow.Link("a", "out", "b");
        flow.Link("b", "out", "c");
        flow.Link("c", "if", "e");
        flow.Link("c", "else", "d");

        var graph = FlowGraph.Parse(flow.Build("Test", hello, "Test").FlowJson);

        Assert.Equal("d", graph.Target("a", "next"));
        Assert.Equal((10d, 20d), (graph.Node("a")!.X, graph.Node("a")!.Y));
        Assert.Null(graph.Node("e"));
    }

    [Fact]
    public void Build_UnreachableBlock_DroppedAndReportedNotCarried()
    {
        var flow = new ImportedFlowBuilder();
        var start = flow.Add("start", FlowBlocks.End, 0, 0, Say("Only this"));
        var lost = flow.Add("lost", FlowBlocks.Message, 0, 100, Say("Never"));
        flow.Report("g", "start", "text", ImportOutcome.Created, null, start);
        flow.Report("g", "lost", "text", ImportOutcome.Created, null, lost);

        var import = flow.Build("", start, "Test");

        Assert.Equal("Imported from Test", import.Name);
        var line = Assert.Single(import.Blocks, b => b.BlockId == "lost");
        Assert.Equal((ImportOutcome.NotCarried, 0), (line.Outcome, line.Nodes.Count));
        Assert.Single(FlowGraph.Parse(import.FlowJson).Nodes);
    }

    [Fact]
    public void FreeId_OddOrRepeatedIds_MadeValidAndUnique()
    {
        var flow = new ImportedFlowBuilder();
        var first = flow.Add("node 1/ä", FlowBlocks.End, 0, 0, Say("x"));
        var second = flow.Add("node 1/ä", FlowBlocks.End, 0, 0, Say("x"));

        Assert.Equal(("node_1__", "node_1___2"), (first, second));
        Assert.True(flow.FreeId(new string('x', 500)).Length <= 100);
    }

    [Fact]
    public void Build_StartMissingOrMappedFlowInvalid_Refused()
    {
        Assert.Contains("not connected", Assert.Throws<ImportFileException>(() => new ImportedFlowBuilder().Build("x", null, "Test")).Message, StringComparison.Ordinal);

        var flow = new ImportedFlowBuilder();
        var spin = flow.Add("spin", FlowBlocks.SetVariable, 0, 0, new JsonObject { ["variable"] = "a", ["value"] = "1" });
        flow.Wire(spin, "next", spin);
        Assert.Contains("does not run in Parley", Assert.Throws<ImportFileException>(() => flow.Build("x", spin, "Test")).Message, StringComparison.Ordinal);
    }
}
