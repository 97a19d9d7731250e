using System.Text.Json;
using CsCheck;
using Parley.Engine.Flows;

namespace Parley.Engine.Tests.Flows;

public sealed class FlowValidatorRulesTests
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

    private static string Flow(string start, IEnumerable<string> nodes, IEnumerable<string> edges) =>
        $$"""{"start": "{{start}}", "nodes": [{{string.Join(",", nodes)}}], "edges": [{{string.Join(",", edges)}}]}""";

    private static FlowValidation OneBlock(string type, string settings) => Validate(Flow("b", [Node("b", type, settings)], []));

    private static string Errors(FlowValidation result) => string.Join("; ", result.Errors.SelectMany(e => e.Value));

    // Valid settings for each block type, and the ports it has with them.
    private static readonly (string Type, string Settings, string[] Ports)[] Blocks =
    [
        ("message", """{"text": "Hello"}""", ["next"]),
        ("message", """{"image": {"url": "https://cdn.example/bike.png", "alt": "A bike"}}""", ["next"]),
        ("choice", """{"text": "Which?", "options": [{"id": "a", "label": "A"}, {"id": "b", "label": "B"}]}""", ["a", "b"]),
        ("ask", """{"text": "Your email?", "variable": "email", "input": "email", "max_attempts": 3}""", ["next", "invalid", "gave_up"]),
        ("condition", """{"rules": [{"source": "variable", "key": "email", "operator": "exists"}, {"source": "business_hours"}], "match": "any"}""", ["true", "false"]),
        ("set_variable", """{"variable": "plan", "value": "{{answer}}"}""", ["next"]),
        ("ai_answer", """{"max_turns": 50}""", ["matched", "done"]),
        ("capture_lead", """{"fields": {"phone": "{{phone}}"}}""", ["next", "failed"]),
        ("book_appointment", """{"slots": 10, "days_ahead": 365}""", ["booked", "failed"]),
        ("http", """{"method": "POST", "url": "https://api.example/{{id}}", "timeout_seconds": 30, "response_mapping": {"status": "$.data.items[0].name"}}""", ["ok", "error"]),
        ("handoff", "{}", []),
        ("end", "{}", []),
    ];

    [Fact]
    public void Validate_EveryBlockTypeWithItsSettings_Valid()
    {
        foreach (var (type, settings, _) in Blocks)
        {
            var result = OneBlock(type, settings);
            Assert.True(result.IsValid, $"{type}: {Errors(result)}");
        }
    }

    [Theory]
    [InlineData("ask", """{"text": "Age?", "variable": "age", "input": "number", "min": 18, "max": 18, "max_attempts": 1}""")]
    [InlineData("ask", """{"text": "Site?", "variable": "site", "input": "url", "max_attempts": 10}""")]
    [InlineData("ai_answer", """{"max_turns": 1}""")]
    [InlineData("book_appointment", """{"slots": 1, "days_ahead": 1}""")]
    [InlineData("http", """{"url": "http://api.example/x", "timeout_seconds": 1}""")]
    [InlineData("http", """{"method": "DELETE", "url": "{{endpoint}}"}""")]
    [InlineData("condition", """{"rules": [{"source": "page_url", "operator": "contains", "value": "/pricing"}], "match": "all"}""")]
    [InlineData("choice", """{"text": "Pick", "options": [{"id": "a", "label": "A"}, {"id": "b", "label": "B"}, {"id": "c", "label": "C"}, {"id": "d", "label": "D"}, {"id": "e", "label": "E"}, {"id": "f", "label": "F"}, {"id": "g", "label": "G"}, {"id": "h", "label": "H"}, {"id": "i", "label": "I"}, {"id": "j", "label": "J"}], "variable": "picked"}""")]
    [InlineData("capture_lead", """{"fields": {"email": "{{email}}"}}""")]
    public void Validate_SettingsAtTheirLimits_Valid(string type, string settings)
    {
        var result = OneBlock(type, settings);
        Assert.True(result.IsValid, Errors(result));
    }

    [Theory]
    [InlineData("message", "{}", "settings.text (or settings.image) is required")]
    [InlineData("message", """{"text": "  "}""", "settings.text (or settings.image) is required")]
    [InlineData("message", """{"image": {"url": "ftp://cdn.example/a.png"}}""", "settings.image must be an object")]
    [InlineData("message", """{"image": "https://cdn.example/a.png"}""", "settings.image must be an object")]
    [InlineData("choice", """{"options": [{"id": "a", "label": "A"}]}""", "settings.text is required")]
    [InlineData("choice", """{"text": "Pick", "options": []}""", "settings.options must hold 1 to 10 options")]
    [InlineData("choice", """{"text": "Pick", "options": [{"id": "a", "label": "A"}, {"id": "a", "label": "B"}]}""", "must be unique")]
    [InlineData("choice", """{"text": "Pick", "options": [{"id": "a", "label": ""}]}""", "label must have 1 to 100 characters")]
    [InlineData("choice", """{"text": "Pick", "options": [{"id": "a", "label": "A"}], "variable": "1st"}""", "settings.variable '1st' is not a valid variable name")]
    [InlineData("ask", """{"text": "Name?"}""", "settings.variable is required")]
    [InlineData("ask", """{"text": "Name?", "variable": "name", "input": "colour"}""", "settings.input must be one of text, email, phone, number, date, url")]
    [InlineData("ask", """{"text": "Age?", "variable": "age", "input": "number", "min": 19, "max": 18}""", "settings.min must not be greater than settings.max")]
    [InlineData("ask", """{"text": "Age?", "variable": "age", "max_attempts": 0}""", "settings.max_attempts must be between 1 and 10")]
    [InlineData("ask", """{"text": "Age?", "variable": "age", "max_attempts": 11}""", "settings.max_attempts must be between 1 and 10")]
    [InlineData("condition", "{}", "settings.rules must hold at least one rule")]
    [InlineData("condition", """{"rules": []}""", "settings.rules must hold at least one rule")]
    [InlineData("condition", """{"rules": [{"source": "weather", "operator": "exists"}]}""", "settings.rules[0].source must be one of variable, contact, page_url, utm, business_hours")]
    [InlineData("condition", """{"rules": [{"source": "page_url", "operator": "exists"}, {"source": "page_url", "operator": "matches"}]}""", "settings.rules[1].operator must be one of equals, not_equals, contains, starts_with, exists, not_exists, greater_than, less_than, open, closed")]
    [InlineData("condition", """{"rules": [{"source": "page_url"}]}""", "settings.rules[0].operator must be one of")]
    [InlineData("condition", """{"rules": [{"source": "variable", "operator": "exists"}]}""", "settings.rules[0].key is required for the source 'variable'")]
    [InlineData("condition", """{"rules": [{"source": "contact", "operator": "exists"}]}""", "settings.rules[0].key is required for the source 'contact'")]
    [InlineData("condition", """{"rules": [{"source": "utm", "operator": "exists"}]}""", "settings.rules[0].key is required for the source 'utm'")]
    [InlineData("condition", """{"rules": [{"source": "business_hours"}], "match": "some"}""", "settings.match must be \"all\" or \"any\"")]
    [InlineData("set_variable", """{"variable": "plan"}""", "settings.value is required")]
    [InlineData("set_variable", """{"value": "x"}""", "settings.variable is required")]
    [InlineData("ai_answer", """{"max_turns": 0}""", "settings.max_turns must be between 1 and 50")]
    [InlineData("ai_answer", """{"max_turns": 51}""", "settings.max_turns must be between 1 and 50")]
    [InlineData("capture_lead", """{"fields": {"name": "{{name}}"}}""", "settings.fields needs at least \"email\" or \"phone\"")]
    [InlineData("book_appointment", """{"slots": 0}""", "settings.slots must be between 1 and 10")]
    [InlineData("book_appointment", """{"slots": 11}""", "settings.slots must be between 1 and 10")]
    [InlineData("book_appointment", """{"days_ahead": 0}""", "settings.days_ahead must be between 1 and 365")]
    [InlineData("book_appointment", """{"days_ahead": 366}""", "settings.days_ahead must be between 1 and 365")]
    [InlineData("http", """{"url": "https://api.example", "method": "get"}""", "settings.method must be one of GET, POST, PUT, PATCH, DELETE")]
    [InlineData("http", """{"url": "api.example/x"}""", "settings.url must be an absolute http(s) URL")]
    [InlineData("http", """{"url": "https://api.example", "timeout_seconds": 0}""", "settings.timeout_seconds must be between 1 and 30")]
    [InlineData("http", """{"url": "https://api.example", "timeout_seconds": 31}""", "settings.timeout_seconds must be between 1 and 30")]
    [InlineData("http", """{"url": "https://api.example", "response_mapping": {"2x": "$.a"}}""", "settings.response_mapping: '2x' is not a valid variable name")]
    [InlineData("http", """{"url": "https://api.example", "response_mapping": {"x": "data.a"}}""", "settings.response_mapping.x: 'data.a' is not a supported path")]
    [InlineData("jump", "{}", "settings.target is required")]
    public void Validate_BadSettings_ErrorUnderTheBlockSayingWhichSetting(string type, string settings, string message)
    {
        var result = OneBlock(type, settings);
        Assert.False(result.IsValid);
        Assert.Contains(result.Errors["b"], m => m.Contains(message, StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_TextOverTheLimit_ErrorNamingTheSetting()
    {
        var text = new string('x', FlowValidator.MaxTextLength + 1);
        var result = OneBlock("ask", $$"""{"text": "{{text}}", "variable": "a", "retry_text": "{{text}}"}""");
        Assert.Contains(result.Errors["b"], m => m.Contains("settings.text may be at most 4000 characters", StringComparison.Ordinal));
        Assert.Contains(result.Errors["b"], m => m.Contains("settings.retry_text may be at most 4000 characters", StringComparison.Ordinal));
        Assert.True(OneBlock("message", $$"""{"text": "{{text[1..]}}"}""").IsValid);
    }

    [Theory]
    [InlineData("a", true)]
    [InlineData("plan_2", true)]
    [InlineData("A_b_C", true)]
    [InlineData("", false)]
    [InlineData("_x", false)]
    [InlineData("2x", false)]
    [InlineData("a-b", false)]
    [InlineData("ä", false)]
    public void IsVariableName_LettersDigitsAndUnderscoreStartingWithALetter(string name, bool valid) =>
        Assert.Equal(valid, FlowValidator.IsVariableName(name));

    [Fact]
    public void IsVariableName_AtMost64Characters()
    {
        Assert.True(FlowValidator.IsVariableName(new string('a', 64)));
        Assert.False(FlowValidator.IsVariableName(new string('a', 65)));
    }

    [Theory]
    [InlineData("""{"nodes": [], "edges": [], "start": "a"}""", "The start block 'a' is not a block of this flow.")]
    [InlineData("""{"nodes": {}, "edges": [], "start": "a"}""", "\"nodes\" must be an array of blocks.")]
    [InlineData("""{"nodes": [], "start": "a"}""", "\"edges\" must be an array (empty when no block is wired).")]
    [InlineData("""{"nodes": [], "edges": [], "start": 1}""", "\"start\" must name the block that runs first.")]
    [InlineData("""{"nodes": [], "edges": [], "start": "a", "variables": []}""", "\"variables\" must be an object of names to starting values.")]
    [InlineData("""{"nodes": [], "edges": [], "start": "a", "variables": {"2x": 1}}""", "'2x' is not a valid variable name (letters, digits and _, starting with a letter).")]
    public void Validate_BadDocument_ErrorUnderFlow(string json, string message) =>
        Assert.Contains(message, Validate(json).Errors["flow"]);

    [Fact]
    public void Validate_TooManyBlocksOrEdges_ErrorUnderFlow()
    {
        var nodes = Enumerable.Range(0, FlowValidator.MaxNodes + 1).Select(i => Node($"n{i}", "end"));
        Assert.Contains("A flow may have at most 500 blocks.", Validate(Flow("n0", nodes, [])).Errors["flow"]);
        var edges = Enumerable.Range(0, FlowValidator.MaxEdges + 1).Select(i => Edge($"e{i}", "a", "next", "a"));
        Assert.Contains("A flow may have at most 2000 edges.", Validate(Flow("a", [Node("a", "end")], edges)).Errors["flow"]);
    }

    [Fact]
    public void Validate_AtMostBlocks_NoLimitError()
    {
        var nodes = Enumerable.Range(0, FlowValidator.MaxNodes).Select(i => Node($"n{i}", "end"));
        Assert.DoesNotContain("flow", Validate(Flow("n0", nodes, [])).Errors.Keys);
    }

    [Fact]
    public void Validate_Variables_StartingValuesAsText()
    {
        var result = Validate("""
            {"start": "a", "nodes": [{"id": "a", "type": "end", "position": {"x": 1.5, "y": -2}}], "edges": [],
             "variables": {"name": "Ann", "count": 3, "none": null, "flag": true}}
            """);
        Assert.True(result.IsValid, Errors(result));
        Assert.Equal("Ann", result.Graph!.Variables["name"]);
        Assert.Equal("3", result.Graph.Variables["count"]);
        Assert.Equal("", result.Graph.Variables["none"]);
        Assert.Equal("true", result.Graph.Variables["flag"]);
        var node = Assert.Single(result.Graph.Nodes);
        Assert.Equal((1.5, -2.0), (node.X, node.Y));
    }

    [Theory]
    [InlineData("""[1]""", "nodes[0]", "A block must be a JSON object.")]
    [InlineData("""[{"type": "end"}]""", "nodes[0]", "A block needs an \"id\": a string of 1 to 100 characters.")]
    [InlineData("""[{"id": " ", "type": "end"}]""", "nodes[0]", "A block needs an \"id\"")]
    [InlineData("""[{"id": "a", "type": "end"}]""", "a", "\"position\" must be an object with numeric \"x\" and \"y\".")]
    [InlineData("""[{"id": "a", "type": "end", "position": {"x": 1}}]""", "a", "\"position\" must be an object")]
    [InlineData("""[{"id": "a", "type": "end", "position": {"x": 0, "y": 0}, "settings": []}]""", "a", "\"settings\" must be a JSON object.")]
    [InlineData("""[{"id": "a", "position": {"x": 0, "y": 0}}]""", "a", "Unknown block type ''")]
    public void Validate_BadBlock_ErrorUnderItsIdOrPlace(string nodes, string key, string message)
    {
        var result = Validate($$"""{"start": "a", "nodes": {{nodes}}, "edges": []}""");
        Assert.Contains(result.Errors[key], m => m.StartsWith(message, StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_IdOver100Characters_Error()
    {
        var id = new string('a', 101);
        Assert.Contains("nodes[0]", Validate(Flow(id, [Node(id, "end")], [])).Errors.Keys);
        Assert.True(Validate(Flow(id[1..], [Node(id[1..], "end")], [])).IsValid);
    }

    [Fact]
    public void Validate_EdgeProblems_ErrorsSayWhichEdgeAndWhy()
    {
        var result = Validate(Flow("a",
            [Node("a", "message", """{"text": "x"}"""), Node("b", "message", """{"text": "y"}"""), Node("c", "end"), Node("d", "end")],
            [
                Edge("e1", "a", "next", "b"),
                Edge("e1", "b", "next", "c"),
                """{"id": "e3", "from": {"node": "b"}, "to": {"node": "c"}}""",
                Edge("e4", "a", "next", "c"),
                Edge("e5", "d", "next", "c"),
                "7",
            ]));

        Assert.Contains("The edge id 'e1' is used more than once.", result.Errors["b"]);
        Assert.Contains("edges[2]: an edge needs \"id\", \"from\": {\"node\", \"port\"} and \"to\": {\"node\"}.", result.Errors["b"]);
        Assert.Contains("The port 'next' is wired more than once; a port leads to one block.", result.Errors["a"]);
        Assert.Contains("The edge 'e5' leaves from port 'next', but a end block has no output ports.", result.Errors["d"]);
        Assert.Contains(result.Errors["edges[5]"], m => m.StartsWith("edges[5]: an edge needs", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_UnknownPort_ErrorListsThePortsTheBlockHas()
    {
        var result = Validate(Flow("a", [Node("a", "http", """{"url": "https://api.example"}"""), Node("b", "end")], [Edge("e1", "a", "next", "b")]));
        Assert.Contains("The edge 'e1' leaves from port 'next', which a http block does not have (ports: ok, error).", result.Errors["a"]);
    }

    [Fact]
    public void Validate_BlockReachedOnlyByAJump_Reachable()
    {
        var result = Validate(Flow("a",
            [Node("a", "ask", """{"text": "?", "variable": "v"}"""), Node("j", "jump", """{"target": "z"}"""), Node("z", "end")],
            [Edge("e1", "a", "next", "j")]));
        Assert.True(result.IsValid, Errors(result));
    }

    [Fact]
    public void Validate_SelfLoopWithoutInput_Error()
    {
        var result = Validate(Flow("a", [Node("a", "jump", """{"target": "a"}""")], []));
        Assert.Contains(result.Errors["a"], m => m.Contains("never waits for the visitor", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_SpinningLoopBehindAWaitingBlock_OnlyTheLoopFlagged()
    {
        var result = Validate(Flow("q",
            [Node("q", "choice", """{"text": "?", "options": [{"id": "go", "label": "Go"}]}"""),
             Node("x", "message", """{"text": "x"}"""), Node("y", "jump", """{"target": "x"}""")],
            [Edge("e1", "q", "go", "x"), Edge("e2", "x", "next", "y")]));
        Assert.Equal(["x", "y"], result.Errors.Keys.Order());
    }

    /// <summary>
    /// Any graph the canvas can draw from valid blocks, each block wired from a free port of a block before it (and a
    /// waiting block's spare port looping back), is accepted with every edge as drawn.
    /// </summary>
    [Fact]
    public void Validate_AnyWiredGraphOfValidBlocks_Valid() =>
        Gen.Select(Gen.Int[0, Blocks.Length - 1].Array[1, 9], Gen.Int[0, 1000].Array[10], Gen.Bool).Sample((types, picks, loopBack) =>
        {
            var nodes = new List<string>();
            var edges = new List<string>();
            var free = new List<(string Node, string Port)>();
            for (var i = 0; i < types.Length; i++)
            {
                var (type, settings, ports) = Blocks[types[i]];
                if (i > 0)
                {
                    if (free.Count == 0)
                    {
                        break;
                    }
                    var from = free[picks[i] % free.Count];
                    free.Remove(from);
                    edges.Add(Edge($"e{i}", from.Node, from.Port, $"n{i}"));
                }
                nodes.Add(Node($"n{i}", type, settings));
                free.AddRange(ports.Select(p => ($"n{i}", p)));
            }
            if (loopBack && free.FirstOrDefault(f => f.Port is "a" or "b" or "invalid" or "gave_up") is { Node: not null } back)
            {
                edges.Add(Edge("back", back.Node, back.Port, "n0"));
            }
            var result = Validate(Flow("n0", nodes, edges));
            return result.IsValid && result.Graph!.Edges.Count == edges.Count && result.Graph.Nodes.Count == nodes.Count;
        }, iter: 100);
}
