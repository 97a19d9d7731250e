using Parley.Engine.Flows;
using Parley.Engine.Imports;

namespace Parley.Engine.Tests.Imports.Typebot;

public sealed class TypebotLogicTests
{
    private const string Variables = """[ { "id": "vb", "name": "Budget" }, { "id": "vs", "name": "Segment" }, { "id": "vn", "name": "Name", "value": "friend" } ]""";

    private const string YesGroup = """{ "id": "yes", "title": "Yes", "graphCoordinates": { "x": 600, "y": 0 }, "blocks": [ { "id": "big", "type": "text", "content": { "plainText": "Big one" } } ] }""";

    private static TypebotExport Condition(string comparisons, string logicalOperator = "AND") => TypebotExport.Map($$"""
        { "id": "c", "type": "Condition", "items": [ { "id": "ci", "outgoingEdgeId": "toyes",
            "content": { "logicalOperator": "{{logicalOperator}}", "comparisons": [ {{comparisons}} ] } } ] },
        """ + TypebotExport.Text("small", "Small one"), Variables, YesGroup,
        """{ "id": "toyes", "from": { "blockId": "c", "itemId": "ci" }, "to": { "groupId": "yes" } }""");

    [Theory]
    [InlineData("Equal to", "equals", true, null)]
    [InlineData("Not equal", "not_equals", true, null)]
    [InlineData("Contains", "contains", true, null)]
    [InlineData("Starts with", "starts_with", true, null)]
    [InlineData("Greater than", "greater_than", true, null)]
    [InlineData("Less than", "less_than", true, null)]
    [InlineData("Is set", "exists", false, null)]
    [InlineData("Is empty", "not_exists", false, null)]
    [InlineData("Greater or equal to", "greater_than", true, "'Greater or equal to' on Budget is checked as 'greater than'.")]
    [InlineData("Less or equal to", "less_than", true, "'Less or equal to' on Budget is checked as 'less than'.")]
    [InlineData("Ends with", "contains", true, "'Ends with' on Budget is checked as 'contains'.")]
    public void Map_ConditionOperator_BecomesParleyOperatorWithTrueAlongTheBranch(string typebot, string parley, bool hasValue, string? note)
    {
        var export = Condition($$"""{ "variableId": "vb", "comparisonOperator": "{{typebot}}", "value": "5000" }""");

        var rule = Assert.Single(export.Settings("c").GetProperty("rules").EnumerateArray());
        Assert.Equal(("variable", "Budget", parley), (rule.GetProperty("source").GetString(), rule.GetProperty("key").GetString(), rule.GetProperty("operator").GetString()));
        Assert.Equal(hasValue, rule.TryGetProperty("value", out var value));
        Assert.Equal(hasValue ? "5000" : null, hasValue ? value.GetString() : null);
        Assert.Equal("all", export.Setting("c", "match"));
        Assert.Equal(("big", "small"), (export.Graph.Target("c", "true"), export.Graph.Target("c", "false")));
        Assert.Equal(note is null ? ImportOutcome.Created : ImportOutcome.Approximate, export.Block("c").Outcome);
        Assert.Equal(note, export.Block("c").Note);
    }

    [Fact]
    public void Map_DoesNotContainAlone_CheckedAsContainsWithTheWiresSwapped()
    {
        var export = Condition("""{ "variableId": "vs", "comparisonOperator": "Does not contain", "value": "spam" }""", "OR");

        Assert.Equal("contains", export.Settings("c").GetProperty("rules")[0].GetProperty("operator").GetString());
        Assert.Equal("any", export.Setting("c", "match"));
        Assert.Equal(("small", "big"), (export.Graph.Target("c", "true"), export.Graph.Target("c", "false")));
        Assert.Equal(ImportOutcome.Created, export.Block("c").Outcome);
    }

    [Fact]
    public void Map_ConditionWithBranchesParleyCannotFullyCheck_ChainOfWhatItCanAndSaysWhatIsLeftOut()
    {
        var export = TypebotExport.Map("""
            { "id": "c", "type": "Condition", "items": [
              { "id": "i1", "content": { "comparisons": [ { "variableId": "vb", "comparisonOperator": "Matches regex", "value": "^9" } ] } },
              { "id": "i2", "outgoingEdgeId": "toyes", "content": { "comparisons": [
                { "variableId": "vb", "value": "100" },
                { "variableId": "vs", "comparisonOperator": "Does not contain", "value": "x" },
                { "comparisonOperator": "Equal to", "value": "x" } ] } },
              { "id": "i3", "content": { "logicalOperator": "OR", "comparisons": [ { "variableId": "vs", "comparisonOperator": "Is set" } ] } },
              { "id": "i4" } ] },
            """ + TypebotExport.Text("small", "Small one"), Variables, YesGroup,
            """{ "id": "toyes", "from": { "blockId": "c", "itemId": "i2" }, "to": { "groupId": "yes" } }""");

        Assert.Equal(["c", "c_2"], export.Block("c").Nodes);
        var first = Assert.Single(export.Settings("c").GetProperty("rules").EnumerateArray());
        Assert.Equal(("equals", "100"), (first.GetProperty("operator").GetString(), first.GetProperty("value").GetString()));
        Assert.Equal(("big", "c_2"), (export.Graph.Target("c", "true"), export.Graph.Target("c", "false")));
        Assert.Equal("any", export.Setting("c_2", "match"));
        Assert.Equal(("small", "small"), (export.Graph.Target("c_2", "true"), export.Graph.Target("c_2", "false")));
        Assert.Equal((100 + 280d, 200d), (export.Node("c_2").X, export.Node("c_2").Y));
        Assert.Equal(ImportOutcome.Approximate, export.Block("c").Outcome);
        Assert.Equal("Its 2 branches become a chain of condition blocks, checked in order. The comparison 'Matches regex' on Budget has no Parley operator and is left out; "
            + "a branch whose comparisons Parley cannot check is never taken; the comparison 'Does not contain' on Segment has no Parley operator and is left out; "
            + "a comparison without a variable is left out; a branch whose comparisons Parley cannot check is never taken.", export.Block("c").Note);
    }

    [Fact]
    public void Map_ConditionWithNothingParleyCanCheck_NotCarriedAndTheFlowTakesTheElsePath()
    {
        var export = Condition("""{ "variableId": "unknown", "comparisonOperator": "Equal to", "value": "1" }""");

        Assert.Null(export.Graph.Node("c"));
        Assert.Equal(ImportOutcome.NotCarried, export.Block("c").Outcome);
        Assert.Contains("else path", export.Block("c").Note);
        Assert.Equal("small", export.Graph.Start);
        Assert.Null(export.Graph.Node("big"));
    }

    [Theory]
    [InlineData("Hello there", "Hello there")]
    [InlineData("  'Hello (friend)'  ", "Hello (friend)")]
    [InlineData("\"a; b\"", "a; b")]
    [InlineData("{{Name}} is here", "{{Name}} is here")]
    [InlineData("'", "'")]
    [InlineData("'it's'", "'it's'")]
    [InlineData("'mixed\"", "'mixed\"")]
    public void Map_SetVariableToAPlainValue_SetsItUnquoted(string expression, string value)
    {
        var export = TypebotExport.Map($$"""{ "id": "set", "type": "Set variable", "options": { "variableId": "vs", "type": "Custom", "expressionToEvaluate": {{System.Text.Json.JsonSerializer.Serialize(expression)}} } }""", Variables);

        Assert.Equal(("Segment", value), (export.Setting("set", "variable"), export.Setting("set", "value")));
        Assert.Equal((ImportOutcome.Created, null), (export.Block("set").Outcome, export.Block("set").Note));
        Assert.Equal("friend", export.Graph.Variables["Name"]);
    }

    [Theory]
    [InlineData("x => x * 2")]
    [InlineData("return 1")]
    [InlineData("Math.random()")]
    [InlineData("{{Budget}} + 1")]
    [InlineData("`t`")]
    [InlineData("list[0]")]
    [InlineData("a; b")]
    public void Map_SetVariableToJavaScript_NotCarriedAndNamesTheCode(string expression)
    {
        var export = TypebotExport.Map($$"""{ "id": "set", "type": "Set variable", "options": { "variableId": "vs", "expressionToEvaluate": "{{expression}}" } }, """
            + TypebotExport.Text("next", "Next"), Variables);

        Assert.Equal(ImportOutcome.NotCarried, export.Block("set").Outcome);
        Assert.Equal($"Its value is JavaScript ({expression}), which Parley does not run.", export.Block("set").Note);
        Assert.Equal("next", export.Graph.Start);
    }

    [Fact]
    public void Map_SetVariableOtherwise_EmptiedOrNotCarriedWithTheReason()
    {
        var longCode = new string('a', 90);
        var export = TypebotExport.Map($$"""
            { "id": "empty", "type": "Set variable", "options": { "variableId": "vs", "type": "Empty" } },
            { "id": "code", "type": "Set variable", "options": { "variableId": "vs", "isCode": true, "expressionToEvaluate": "{{longCode}}" } },
            { "id": "today", "type": "Set variable", "options": { "variableId": "vs", "type": "Today" } },
            { "id": "nameless", "type": "Set variable", "options": { "variableId": "nope", "expressionToEvaluate": "1" } },
            { "id": "noexpr", "type": "Set variable", "options": { "variableId": "vb" } }
            """, Variables);

        Assert.Equal("", export.Setting("empty", "value"));
        Assert.Equal($"Its value is JavaScript ({new string('a', 80)}…), which Parley does not run.", export.Block("code").Note);
        Assert.Equal("The value type 'Today' is computed by Typebot at run time and has no Parley equivalent.", export.Block("today").Note);
        Assert.Equal("It names no variable.", export.Block("nameless").Note);
        Assert.Equal(("Budget", ""), (export.Setting("noexpr", "variable"), export.Setting("noexpr", "value")));
        Assert.Equal("noexpr", export.Graph.Target("empty", "next"));
    }

    [Fact]
    public void Map_JumpsAndLinksWithinTheBot_BecomeWires()
    {
        var export = TypebotExport.Map("""
            { "id": "hello", "type": "text", "content": { "plainText": "Hello" } },
            { "id": "pick", "type": "choice input", "items": [ { "id": "i1", "content": "Jump" }, { "id": "i2", "content": "Link" }, { "id": "i3", "content": "Start" },
              { "id": "i4", "content": "Nowhere" }, { "id": "i5", "content": "Other bot" } ] }
            """, otherGroups: """
            { "id": "g1", "title": "Jumps", "graphCoordinates": { "x": 0, "y": 500 }, "blocks": [ { "id": "jump", "type": "Jump", "options": { "groupId": "target", "blockId": "second" } } ] },
            { "id": "g2", "title": "Links", "graphCoordinates": { "x": 0, "y": 700 }, "blocks": [ { "id": "link", "type": "Typebot link", "options": { "typebotId": "current", "groupId": "target" } } ] },
            { "id": "g3", "title": "Start", "graphCoordinates": { "x": 0, "y": 900 }, "blocks": [ { "id": "restart", "type": "Typebot link", "options": { "typebotId": "bot1", "groupId": "gone" } } ] },
            { "id": "g4", "title": "Nowhere", "graphCoordinates": { "x": 0, "y": 1100 }, "blocks": [ { "id": "lost", "type": "Jump", "options": { "groupId": "gone" } }, { "id": "nogroup", "type": "Jump" }, { "id": "end", "type": "text", "content": { "plainText": "End" } } ] },
            { "id": "g5", "title": "Other", "graphCoordinates": { "x": 0, "y": 1300 }, "blocks": [ { "id": "other", "type": "Typebot link", "options": { "typebotId": "elsewhere" } }, { "id": "after", "type": "text", "content": { "plainText": "After" } } ] },
            { "id": "target", "title": "Target", "graphCoordinates": { "x": 0, "y": 1500 }, "blocks": [ { "id": "first", "type": "text", "content": { "plainText": "First" } }, { "id": "second", "type": "text", "content": { "plainText": "Second" } } ] }
            """, otherEdges: """
            { "id": "x1", "from": { "blockId": "pick", "itemId": "i1" }, "to": { "groupId": "g1" } },
            { "id": "x2", "from": { "blockId": "pick", "itemId": "i2" }, "to": { "groupId": "g2" } },
            { "id": "x3", "from": { "blockId": "pick", "itemId": "i3" }, "to": { "groupId": "g3" } },
            { "id": "x4", "from": { "blockId": "pick", "itemId": "i4" }, "to": { "groupId": "g4" } },
            { "id": "x5", "from": { "blockId": "pick", "itemId": "i5" }, "to": { "groupId": "g5" } }
            """);

        Assert.Equal("second", export.Graph.Target("pick", "option_1"));
        Assert.Equal("first", export.Graph.Target("pick", "option_2"));
        // A link to the bot itself without a group starts over: the question the start leads to.
        Assert.Equal("pick", export.Graph.Target("pick", "option_3"));
        Assert.Equal("end", export.Graph.Target("pick", "option_4"));
        Assert.Equal("after", export.Graph.Target("pick", "option_5"));
        Assert.Equal((ImportOutcome.Created, "Becomes a wire to the group 'Target'."), (export.Block("jump").Outcome, export.Block("jump").Note));
        Assert.Equal("Links within this bot: becomes a wire to the group 'Target'.", export.Block("link").Note);
        Assert.Equal("Links back to this bot's start: becomes a wire to it.", export.Block("restart").Note);
        Assert.Equal((ImportOutcome.NotCarried, "The jump names no group of this flow."), (export.Block("lost").Outcome, export.Block("lost").Note));
        Assert.Equal(ImportOutcome.NotCarried, export.Block("nogroup").Outcome);
        Assert.Equal("It links to another Typebot ('elsewhere'): import that bot too and join them by hand; here the flow goes straight on.", export.Block("other").Note);
        Assert.All(new[] { "jump", "link", "restart", "lost", "other" }, id => Assert.Empty(export.Block(id).Nodes));
    }

    [Fact]
    public void Map_AbTestAndReturn_PathATakenAndTheFlowEndsAtTheReturn()
    {
        var export = TypebotExport.Map("""
            { "id": "split", "type": "AB test", "items": [ { "id": "pb", "path": "b", "outgoingEdgeId": "tob" }, { "id": "pa", "path": "a" } ] },
            { "id": "a", "type": "text", "content": { "plainText": "Path A" } },
            { "id": "ret", "type": "Return" },
            { "id": "never", "type": "text", "content": { "plainText": "Never shown" } },
            { "id": "split2", "type": "AB test", "items": [ { "id": "only", "path": "b" } ] }
            """, otherGroups: """{ "id": "gb", "title": "B", "graphCoordinates": { "x": 0, "y": 900 }, "blocks": [ { "id": "b", "type": "text", "content": { "plainText": "Path B" } } ] }""",
            otherEdges: """{ "id": "tob", "from": { "blockId": "split", "itemId": "pb" }, "to": { "groupId": "gb" } }""");

        Assert.Equal("a", export.Graph.Start);
        Assert.Null(export.Graph.Target("a", "next"));
        Assert.Equal(["a"], export.Graph.Nodes.Select(n => n.Id));
        Assert.Equal(ImportOutcome.Approximate, export.Block("split").Outcome);
        Assert.Contains("every visitor takes path A", export.Block("split").Note);
        Assert.Contains("flow ends here", export.Block("ret").Note);
        Assert.Equal(ImportOutcome.NotCarried, export.Block("never").Outcome);
        Assert.Equal(ImportOutcome.NotCarried, export.Block("b").Outcome);
    }
}
