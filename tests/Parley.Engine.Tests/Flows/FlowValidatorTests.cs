using System.Text.Json;
using Parley.Engine.Flows;

namespace Parley.Engine.Tests.Flows;

public sealed class FlowValidatorTests
{
    private static FlowValidation Validate(string json)
    {
        using var document = JsonDocument.Parse(json);
        return FlowValidator.Validate(document.RootElement);
    }

    private static string Node(string id, string type, string settings = "{}") =>
        $$"""{"id": "{{id}}", "type": "{{type}}", "position": {"x": 0, "y": 0}, "settings": {{settings}}}""";

    private static string Edge(string id, string from, string port, string to) =>
        $$$"""{"id": "{{{id}}}", "from": {"node": "{{{from}}}", "port": "{{{port}}}"}, "to": {"node": "{{{to}}}"}}""";

    private static string Flow(string start, string[] nodes, string[] edges) =>
        $$"""{"start": "{{start}}", "nodes": [{{string.Join(",", nodes)}}], "edges": [{{string.Join(",", edges)}}]}""";

    [Fact]
    public void Validate_WellFormedFlow_ReturnsGraphWithWiredPorts()
    {
        var result = Validate(Flow("hi",
            [Node("hi", "message", """{"text": "Hello"}"""), Node("pick", "choice", """{"text": "Which?", "options": [{"id": "a", "label": "A"}, {"id": "b", "label": "B"}]}"""), Node("bye", "end")],
            [Edge("e1", "hi", "next", "pick"), Edge("e2", "pick", "a", "bye"), Edge("e3", "pick", "b", "bye")]));

        Assert.True(result.IsValid, string.Join("; ", result.Errors.SelectMany(e => e.Value)));
        Assert.Equal("pick", result.Graph!.Target("hi", "next"));
        Assert.Equal("bye", result.Graph.Target("pick", "b"));
        Assert.Null(result.Graph.Target("bye", "next"));
    }

    [Fact]
    public void Validate_UnknownType_ErrorUnderThatBlock()
    {
        var result = Validate(Flow("a", [Node("a", "teleport")], []));

        Assert.False(result.IsValid);
        Assert.Contains("Unknown block type 'teleport'", Assert.Single(result.Errors["a"]), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_DuplicateIds_ErrorUnderTheId()
    {
        var result = Validate(Flow("a", [Node("a", "end"), Node("a", "end")], []));

        Assert.Contains(result.Errors["a"], m => m.Contains("more than one block", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_DanglingEdgeAndUnknownPort_ErrorsUnderTheSourceBlock()
    {
        var result = Validate(Flow("a", [Node("a", "message", """{"text": "x"}"""), Node("b", "end")],
            [Edge("e1", "a", "next", "ghost"), Edge("e2", "a", "sideways", "b"), Edge("e3", "nobody", "next", "b")]));

        Assert.Contains(result.Errors["a"], m => m.Contains("'ghost', which is not a block", StringComparison.Ordinal));
        Assert.Contains(result.Errors["a"], m => m.Contains("port 'sideways'", StringComparison.Ordinal));
        Assert.Contains(result.Errors["edges[2]"], m => m.Contains("'nobody'", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_UnreachableBlock_ErrorUnderIt()
    {
        var result = Validate(Flow("a", [Node("a", "end"), Node("island", "end")], []));

        Assert.Equal(["This block cannot be reached from the start block."], result.Errors["island"]);
        Assert.False(result.Errors.ContainsKey("a"));
    }

    [Fact]
    public void Validate_MissingRequiredSettings_ErrorsPerBlock()
    {
        var result = Validate(Flow("ask",
            [Node("ask", "ask", """{"variable": "1bad"}"""), Node("call", "http", """{"method": "BREW"}"""), Node("go", "jump", """{"target": "nowhere"}""")],
            [Edge("e1", "ask", "next", "call"), Edge("e2", "call", "ok", "go")]));

        Assert.Contains(result.Errors["ask"], m => m.Contains("settings.text is required", StringComparison.Ordinal));
        Assert.Contains(result.Errors["ask"], m => m.Contains("not a valid variable name", StringComparison.Ordinal));
        Assert.Contains(result.Errors["call"], m => m.Contains("settings.method", StringComparison.Ordinal));
        Assert.Contains(result.Errors["call"], m => m.Contains("settings.url is required", StringComparison.Ordinal));
        Assert.Contains(result.Errors["go"], m => m.Contains("jump target 'nowhere'", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_LoopWithoutInput_ErrorOnEveryBlockOfTheLoop()
    {
        var result = Validate(Flow("a",
            [Node("a", "message", """{"text": "again"}"""), Node("b", "set_variable", """{"variable": "n", "value": "1"}"""), Node("c", "jump", """{"target": "a"}""")],
            [Edge("e1", "a", "next", "b"), Edge("e2", "b", "next", "c")]));

        foreach (var id in new[] { "a", "b", "c" })
        {
            Assert.Contains(result.Errors[id], m => m.Contains("never waits for the visitor", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Validate_LoopThroughAnAsk_IsValid()
    {
        var result = Validate(Flow("q",
            [Node("q", "ask", """{"text": "Age?", "variable": "age", "input": "number"}"""), Node("again", "jump", """{"target": "q"}""")],
            [Edge("e1", "q", "next", "again")]));

        Assert.True(result.IsValid, string.Join("; ", result.Errors.SelectMany(e => e.Value)));
    }

    [Fact]
    public void Validate_NotAnObjectOrMissingStart_ErrorsUnderFlow()
    {
        Assert.Contains("flow", Validate("[]").Errors.Keys);
        var result = Validate("""{"nodes": [], "edges": []}""");
        Assert.Contains(result.Errors["flow"], m => m.Contains("\"start\"", StringComparison.Ordinal));
    }
}
