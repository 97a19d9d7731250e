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

public sealed class FlowiseWorkspaceImportTests
{
    [Fact]
    public void Map_WorkspaceExport_FlowWithTheMostMessagesItsSessionsAndItsDocuments()
    {
        var import = FlowiseFlowImport.Map(FlowiseFlowImportTests.Fixture("ExportData.json"));

        Assert.Equal("Acme helpdesk", import.Name);
        Assert.Equal(FlowGraph.Parse(FlowiseFlowImport.Map(FlowiseFlowImportTests.Fixture("helpdesk-agentflow-v2.json")).FlowJson).Start, FlowGraph.Parse(import.FlowJson).Start);

        // Two sessions of the helpdesk flow, each in time order; the other flow's messages are left out.
        Assert.Equal(2, import.Conversations.Count);
        var login = import.Conversations[0];
        Assert.Equal("5a1d7f0e-2c44-4b1a-8f3e-9d2c6b7a8e01", login.SourceId);
        Assert.Equal(["user", "bot", "user", "bot"], login.Messages.Select(m => m.Role));
        Assert.Equal("Hi, I can't log in to my account", login.Messages[0].Text);
        Assert.Equal(new DateTimeOffset(2026, 9, 21, 8, 2, 11, TimeSpan.Zero), login.Messages[0].At);
        Assert.DoesNotContain(import.Conversations.SelectMany(c => c.Messages), m => m.Text.Contains("Pro plan", StringComparison.Ordinal));

        // The helpdesk's store, one text per document with its chunks in order; the price list is another flow's.
        var article = Assert.Single(import.Knowledge);
        Assert.Equal("Helpdesk articles — accounts.txt", article.Title);
        Assert.True(article.Markdown.IndexOf("click Forgot password", StringComparison.Ordinal) < article.Markdown.IndexOf("expire after 24 hours", StringComparison.Ordinal));
        Assert.Contains(import.Notes, n => n.Contains("'Pricing Q&A'", StringComparison.Ordinal));
        Assert.Contains(import.Notes, n => n.Contains("1 document stores used only by other flows", StringComparison.Ordinal));
        Assert.Contains(import.Notes, n => n.Contains("2 past conversations (6 messages)", StringComparison.Ordinal));
    }

    [Fact]
    public void Map_WorkspaceExportWithoutFlows_RefusedWithTheReason()
    {
        var refused = Assert.Throws<ImportFileException>(() => FlowiseFlowImport.Map("{ \"ChatFlow\": [], \"ChatMessage\": [] }"u8.ToArray()));

        Assert.Contains("no chatflow or agentflow", refused.Message, StringComparison.Ordinal);
    }
}
