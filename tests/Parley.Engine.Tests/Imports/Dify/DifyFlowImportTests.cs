using System.Text;
using System.Text.Json;
using Parley.Engine.Flows;
using Parley.Engine.Imports;
using Parley.Engine.Imports.Dify;

namespace Parley.Engine.Tests.Imports.Dify;

public sealed class DifyFlowImportTests
{
    internal static byte[] Fixture(string name) =>
        File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Imports", "Dify", "Fixtures", name));

    private static (FlowImport Import, FlowGraph Graph) Map(byte[] file)
    {
        var import = DifyFlowImport.Map(file);
        return (import, FlowGraph.Parse(import.FlowJson));
    }

    private static JsonElement Settings(FlowGraph graph, string node) => Assert.IsType<FlowNode>(graph.Node(node)).Settings;

    private static string? Text(FlowGraph graph, string node, string name) => Settings(graph, node).TryGetProperty(name, out var v) ? v.ToString() : null;

    private static ImportedBlock Block(FlowImport import, string id) => Assert.Single(import.Blocks, b => b.BlockId == id);

    [Fact]
    public void Map_SupportChatflow_NodesMappedWiredAndPlaced()
    {
        var (import, graph) = Map(Fixture("support-chatflow-0.1.2.yml"));

        Assert.Equal("Acme support", import.Name);
        Assert.Equal("1711528914102_opening", graph.Start);
        Assert.Equal("Hi! I'm Acme's assistant.", Text(graph, graph.Start, "text"));
        Assert.Equal("1711528914102_name", graph.Target(graph.Start, "next"));
        Assert.Equal(("name", "Your name"), (Text(graph, "1711528914102_name", "variable"), Text(graph, "1711528914102_name", "text")));
        Assert.Equal(FlowBlocks.Choice, graph.Node("1711528914102_plan")!.Type);
        Assert.Equal("1711528917000", graph.Target("1711528914102_plan", "option_2"));
        Assert.Equal((80d, 282d), (graph.Node(graph.Start)!.X, graph.Node(graph.Start)!.Y));

        // if/else: the case "pro" is the true port, the else the false port.
        Assert.Contains("\"key\":\"plan\"", Settings(graph, "1711528917000").GetRawText(), StringComparison.Ordinal);
        Assert.Equal("1711528918000", graph.Target("1711528917000", "true"));
        Assert.Equal("Thanks {{name}}, a Pro specialist will answer you within the hour.", Text(graph, "1711528918000", "text"));
        Assert.Equal("1711528919000", graph.Target("1711528917000", "false"));

        // The classifier asks; each class keeps its branch.
        Assert.Equal(FlowBlocks.Choice, graph.Node("1711528919000")!.Type);
        Assert.Equal("1711528920000", graph.Target("1711528919000", "1"));
        Assert.Equal(ImportOutcome.Approximate, Block(import, "1711528919000").Outcome);
        Assert.Equal("https://billing.acme.example/api/status?customer={{name}}", Text(graph, "1711528920000", "url"));
        Assert.Equal(("1711528921000", "1711528921000"), (graph.Target("1711528920000", "ok"), graph.Target("1711528920000", "error")));
        Assert.Equal(("topic", "billing"), (Text(graph, "1711528921000", "variable"), Text(graph, "1711528921000", "value")));
        Assert.Equal("Your billing question is noted ({{topic}}). Our billing team will reply by email.", Text(graph, "1711528922000", "text"));

        // The code node is dropped and the knowledge retrieval passed through to the AI answer; its echo is merged.
        Assert.Equal("1711528925000", graph.Target("1711528919000", "2"));
        Assert.Equal(FlowBlocks.AiAnswer, graph.Node("1711528925000")!.Type);
        Assert.Equal("1711528927000", graph.Target("1711528925000", "done"));
        Assert.Equal(ImportOutcome.NotCarried, Block(import, "1711528923000").Outcome);
        Assert.Equal(ImportOutcome.Approximate, Block(import, "1711528924000").Outcome);
        Assert.Empty(Block(import, "1711528926000").Nodes);

        // Every node is in the report, the unused one as unreachable; the LLM's model comes with its settings.
        Assert.Equal(13, import.Blocks.Count);
        Assert.Equal(ImportOutcome.NotCarried, Block(import, "1711528928000").Outcome);
        // So does the question classifier's, marked as one that did not answer.
        Assert.Equal(2, import.Models.Count);
        var model = import.Models.Single(m => m.BlockId == "1711528925000.model");
        Assert.Equal(("openai", "gpt-4o", 0.7, (int?)null, true), (model.SourceProvider, model.Name, model.Temperature, model.MaxTokens, model.Answers));
        Assert.Equal(new ImportedModelConnection("openai", null, false, "OpenAI gpt-4o (from Dify)"), model.Connection);
        var classifier = import.Models.Single(m => m.BlockId == "1711528919000.model");
        Assert.Equal(("Question classifier", "gpt-4o-mini", 0.2, false), (classifier.Group, classifier.Name, classifier.Temperature, classifier.Answers));
        Assert.Contains(import.Notes, n => n.Contains("environment variables", StringComparison.Ordinal));
        Assert.Equal("", graph.Variables["topic"]);
    }

    [Fact]
    public void Map_LegacyIfElseAndSysQuery_AsksForTheQuestionFirst()
    {
        var yaml = """
            app: { mode: advanced-chat, name: Legacy }
            kind: app
            version: 0.1.0
            workflow:
              graph:
                nodes:
                - id: start
                  position: { x: 0, y: 0 }
                  data: { type: start, title: Start, variables: [] }
                - id: check
                  position: { x: 300, y: 0 }
                  data:
                    type: if-else
                    title: Refund?
                    logical_operator: or
                    conditions:
                    - { comparison_operator: contains, value: refund, variable_selector: [sys, query] }
                    - { comparison_operator: end with, value: money back, variable_selector: [sys, query] }
                - id: yes
                  position: { x: 600, y: -100 }
                  data: { type: answer, title: Refunds, answer: "Refunds take 5 days: {{#sys.query#}}" }
                - id: no
                  position: { x: 600, y: 100 }
                  data: { type: answer, title: Other, answer: Ask me anything else. }
                edges:
                - { source: start, sourceHandle: source, target: check }
                - { source: check, sourceHandle: "true", target: yes }
                - { source: check, sourceHandle: "false", target: no }
            """;

        var (import, graph) = Map(Encoding.UTF8.GetBytes(yaml));

        Assert.Equal("start_query", graph.Start);
        Assert.Equal("query", Text(graph, "start_query", "variable"));
        Assert.Equal("check", graph.Target("start_query", "next"));
        Assert.Equal("any", Text(graph, "check", "match"));
        Assert.Equal("Refunds take 5 days: {{query}}", Text(graph, "yes", "text"));
        Assert.Equal("no", graph.Target("check", "false"));
        Assert.Equal(ImportOutcome.Approximate, Block(import, "check").Outcome);
        Assert.Contains("end with", Block(import, "check").Note, StringComparison.Ordinal);
    }

    [Fact]
    public void Map_BasicChatApp_OneAiAnswerWithTheOpeningStatement()
    {
        var yaml = """
            app: { mode: chat, name: Plain bot }
            kind: app
            version: 0.1.2
            model_config:
              opening_statement: Ask me about our opening hours.
              model: { provider: anthropic, name: claude-3-5-haiku, mode: chat }
            """;

        var (import, graph) = Map(Encoding.UTF8.GetBytes(yaml));

        Assert.Equal(FlowBlocks.AiAnswer, graph.Node(graph.Start)!.Type);
        Assert.Equal("Ask me about our opening hours.", Text(graph, graph.Start, "text"));
        Assert.Equal(ImportOutcome.Approximate, Assert.Single(import.Blocks).Outcome);
        var model = Assert.Single(import.Models);
        Assert.Equal(("app", "model_config.model", "claude-3-5-haiku"), (model.Group, model.BlockId, model.Name));
        Assert.Equal(new ImportedModelConnection("anthropic", null, false, "Anthropic claude-3-5-haiku (from Dify)"), model.Connection);
    }

    [Theory]
    [InlineData("ollama", "openai", null, true, "Ollama llama3.1 (from Dify)")]
    [InlineData("openai_api_compatible", "openai", null, true, "OpenAI-compatible API llama3.1 (from Dify)")]
    [InlineData("deepseek", "openai", "https://api.deepseek.com/v1", false, "DeepSeek llama3.1 (from Dify)")]
    [InlineData("langgenius/anthropic/anthropic", "anthropic", null, false, "Anthropic llama3.1 (from Dify)")]
    public void Map_ModelOfAProviderParleyReaches_ConnectionWithItsKindAndBaseUrl(string provider, string kind, string? baseUrl, bool needsBaseUrl, string name)
    {
        var yaml = $$"""
            app: { mode: chat, name: Plain bot }
            model_config:
              model: { provider: "{{provider}}", name: llama3.1, mode: chat, completion_params: { temperature: 0.3, max_tokens: 512 } }
            """;

        var model = Assert.Single(DifyFlowImport.Map(Encoding.UTF8.GetBytes(yaml)).Models);

        Assert.Equal(new ImportedModelConnection(kind, baseUrl, needsBaseUrl, name), model.Connection);
        Assert.Equal((0.3, 512), (model.Temperature, model.MaxTokens));
    }

    [Theory]
    [InlineData("tongyi")]
    [InlineData("zhipuai")]
    [InlineData("wenxin")]
    public void Map_ModelOfAProviderParleyCannotReach_NoConnection(string provider)
    {
        var yaml = $"app: {{ mode: chat, name: Plain bot }}\nmodel_config:\n  model: {{ provider: {provider}, name: some-model, mode: chat }}\n";

        var model = Assert.Single(DifyFlowImport.Map(Encoding.UTF8.GetBytes(yaml)).Models);

        Assert.Equal((provider, "some-model"), (model.SourceProvider, model.Name));
        Assert.Null(model.Connection);
    }

    [Theory]
    [InlineData("app: [1, 2", "not valid YAML")]
    [InlineData("name: just a document", "\"app\" is missing")]
    [InlineData("app: { mode: advanced-chat, name: X }\nkind: app\nworkflow: { graph: { nodes: 3 } }", "workflow.graph.nodes")]
    [InlineData("app: { mode: advanced-chat, name: X }\nkind: app\nworkflow: { graph: { nodes: [], edges: [] } }", "no start node")]
    [InlineData("app: { mode: assistant, name: X }", "not one Dify exports")]
    public void Map_BadFile_RefusedWithTheReason(string yaml, string reason)
    {
        var problem = Assert.Throws<ImportFileException>(() => DifyFlowImport.Map(Encoding.UTF8.GetBytes(yaml)));

        Assert.Contains(reason, problem.Message, StringComparison.Ordinal);
    }
}
