using System.Text;
using System.Text.Json;
using Parley.Engine.Flows;
using Parley.Engine.Imports;
using Parley.Engine.Imports.Flowise;

namespace Parley.Engine.Tests.Imports.Flowise;

public sealed class FlowiseFlowImportTests
{
    internal static byte[] Fixture(string name) =>
        File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Imports", "Flowise", "Fixtures", name));

    private static (FlowImport Import, FlowGraph Graph) Map(byte[] file)
    {
        var import = FlowiseFlowImport.Map(file);
        return (import, FlowGraph.Parse(import.FlowJson));
    }

    private static JsonElement Settings(FlowGraph graph, string node) => Assert.IsType<FlowNode>(graph.Node(node)).Settings;

    private static string? Text(FlowGraph graph, string node, string name) => Settings(graph, node).TryGetProperty(name, out var v) ? v.ToString() : null;

    private static ImportedBlock Block(FlowImport import, string id) => Assert.Single(import.Blocks, b => b.BlockId == id);

    [Fact]
    public void Map_HelpdeskAgentFlow_NodesMappedWiredAndPlaced()
    {
        var (import, graph) = Map(Fixture("helpdesk-agentflow-v2.json"));

        Assert.Equal("Acme helpdesk", import.Name);
        Assert.Equal("startAgentflow_0_email", graph.Start);
        Assert.Equal(("email", "Your email"), (Text(graph, graph.Start, "variable"), Text(graph, graph.Start, "text")));
        Assert.Equal((-240d, 80d), (graph.Node(graph.Start)!.X, graph.Node(graph.Start)!.Y));
        Assert.Equal("startAgentflow_0_topic", graph.Target(graph.Start, "next"));
        Assert.Equal("basic", graph.Variables["tier"]);

        // The condition on the form's topic; its else is the last output.
        Assert.Equal("conditionAgentflow_0", graph.Target("startAgentflow_0_topic", "option_1"));
        Assert.Contains("\"key\":\"topic\",\"operator\":\"equals\",\"value\":\"Sales\"", Settings(graph, "conditionAgentflow_0").GetRawText(), StringComparison.Ordinal);
        Assert.Equal("directReplyAgentflow_0", graph.Target("conditionAgentflow_0", "true"));
        Assert.Equal("Our sales team will email you at {{email}} today.", Text(graph, "directReplyAgentflow_0", "text"));
        Assert.Equal("humanInputAgentflow_0", graph.Target("conditionAgentflow_0", "false"));

        // Human input asks the visitor; proceed calls the helpdesk, skipping the custom function.
        Assert.Equal("httpAgentflow_0", graph.Target("humanInputAgentflow_0", "proceed"));
        Assert.Equal("{\"email\":\"{{email}}\",\"tier\":\"{{tier}}\"}", Settings(graph, "httpAgentflow_0").GetProperty("body").GetRawText());
        Assert.Equal(("directReplyAgentflow_1", "directReplyAgentflow_1"), (graph.Target("httpAgentflow_0", "ok"), graph.Target("httpAgentflow_0", "error")));
        Assert.Equal(ImportOutcome.NotCarried, Block(import, "customFunctionAgentflow_0").Outcome);

        // Reject goes to an AI answer whose echo is merged into it.
        Assert.Equal("llmAgentflow_0", graph.Target("humanInputAgentflow_0", "reject"));
        Assert.Equal(FlowBlocks.AiAnswer, graph.Node("llmAgentflow_0")!.Type);
        Assert.Null(graph.Target("llmAgentflow_0", "done"));
        Assert.Empty(Block(import, "directReplyAgentflow_2").Nodes);

        Assert.Equal(9, import.Blocks.Count);
        Assert.DoesNotContain(import.Blocks, b => b.BlockId == "stickyNoteAgentflow_0");
        Assert.Contains(import.Notes, n => n.Contains("chatOpenAI", StringComparison.Ordinal) && n.Contains("no API key", StringComparison.Ordinal));
    }

    [Fact]
    public void Map_ClassicChatflow_OneAiAnswerAndEveryNodeReported()
    {
        var (import, graph) = Map(Fixture("qa-chatflow.json"));

        Assert.Equal("assistant", graph.Start);
        Assert.Equal(FlowBlocks.AiAnswer, Assert.Single(graph.Nodes).Type);
        Assert.Equal((800d, 200d), (graph.Nodes[0].X, graph.Nodes[0].Y));
        Assert.Equal(6, import.Blocks.Count);
        Assert.Equal(ImportOutcome.NotCarried, Block(import, "customTool_0").Outcome);
        Assert.Contains("knowledge sources", Block(import, "pdfFile_0").Note, StringComparison.Ordinal);
        Assert.Contains(import.Notes, n => n.Contains("gpt-4o-mini", StringComparison.Ordinal));
    }

    [Fact]
    public void Map_ChatflowDownloadedWithFlowData_ReadsTheGraphInside()
    {
        var inner = Encoding.UTF8.GetString(Fixture("qa-chatflow.json"));
        var wrapped = JsonSerializer.SerializeToUtf8Bytes(new { name = "Docs bot", flowData = inner, type = "CHATFLOW" });

        var (import, _) = Map(wrapped);

        Assert.Equal("Docs bot", import.Name);
        Assert.Equal(6, import.Blocks.Count);
    }

    [Theory]
    [InlineData("{ \"nodes\": [", "not valid JSON")]
    [InlineData("[1, 2]", "not a Flowise export")]
    [InlineData("{ \"nodes\": [] }", "non-empty list")]
    [InlineData("{ \"nodes\": [ { \"id\": \"llmAgentflow_0\", \"position\": { \"x\": 0, \"y\": 0 }, \"data\": { \"name\": \"llmAgentflow\" } } ], \"edges\": [] }", "no Start node")]
    public void Map_BadFile_RefusedWithTheReason(string json, string reason)
    {
        var problem = Assert.Throws<ImportFileException>(() => FlowiseFlowImport.Map(Encoding.UTF8.GetBytes(json)));

        Assert.Contains(reason, problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Map_DeepNesting_Refused()
    {
        var deep = "{ \"nodes\": " + new string('[', 10_000) + new string(']', 10_000) + " }";

        Assert.Contains("not valid JSON", Assert.Throws<ImportFileException>(() => FlowiseFlowImport.Map(Encoding.UTF8.GetBytes(deep))).Message, StringComparison.Ordinal);
    }
}
