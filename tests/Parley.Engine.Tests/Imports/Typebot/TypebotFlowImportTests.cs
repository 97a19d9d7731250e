using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Parley.Engine.Flows;
using Parley.Engine.Imports;
using Parley.Engine.Imports.Typebot;

namespace Parley.Engine.Tests.Imports.Typebot;

public sealed class TypebotFlowImportTests
{
    internal static byte[] Fixture(string name) =>
        File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Imports", "Typebot", "Fixtures", name));

    private static (FlowImport Import, FlowGraph Graph) Map(string fixture)
    {
        var import = TypebotFlowImport.Map(Fixture(fixture));
        return (import, FlowGraph.Parse(import.FlowJson));
    }

    private static JsonElement Settings(FlowGraph graph, string node) => Assert.IsType<FlowNode>(graph.Node(node)).Settings;

    private static string? Text(JsonElement settings, string name) => settings.TryGetProperty(name, out var v) ? v.ToString() : null;

    private static ImportedBlock Block(FlowImport import, string id) => Assert.Single(import.Blocks, b => b.BlockId == id);

    [Fact]
    public void Map_LeadGenerationV61_EveryBlockMappedWiredAndPlaced()
    {
        var (import, graph) = Map("lead-generation-v6.1.json");

        Assert.Equal("Acme lead generation", import.Name);
        Assert.Equal("bl0hello", graph.Start);
        Assert.Equal("Hi there 👋 I'm **Ava**, Acme's assistant.\nRead our [privacy notice](https://acme.example/privacy) any time.", Text(Settings(graph, "bl0hello"), "text"));
        Assert.Equal("https://acme.example/logo.png", Settings(graph, "bl0logo").GetProperty("image").GetProperty("url").GetString());
        Assert.Equal("bl0logo", graph.Target("bl0hello", "next"));
        Assert.Equal("bl0intent", graph.Target("bl0logo", "next"));

        // The bubble above an input becomes its question; each button keeps its own wire.
        var intent = Settings(graph, "bl0intent");
        Assert.Equal("What brings you here today?", Text(intent, "text"));
        Assert.Equal("Interest", Text(intent, "variable"));
        Assert.Equal(["Get a quote", "Book a demo", "Just browsing"], intent.GetProperty("options").EnumerateArray().Select(o => o.GetProperty("label").GetString()));
        Assert.Equal("bl0name", graph.Target("bl0intent", "option_1"));
        Assert.Equal("bl0bookname", graph.Target("bl0intent", "option_2"));
        Assert.Equal("bl0aiin", graph.Target("bl0intent", "option_3"));
        Assert.Null(graph.Node("bl0intentq"));
        Assert.Equal(ImportOutcome.Created, Block(import, "bl0intentq").Outcome);

        var email = Settings(graph, "bl0email");
        Assert.Equal("Nice to meet you, {{Name}}! What's your *work email*?", Text(email, "text"));
        Assert.Equal(("email", "Email"), (Text(email, "input"), Text(email, "variable")));
        Assert.Equal("This email doesn't seem to be valid. Can you type it again?", Text(email, "retry_text"));
        // The collected email becomes a lead with the name and phone the flow asks for.
        Assert.Equal("bl0email_2", graph.Target("bl0email", "next"));
        var lead = Assert.IsType<FlowNode>(graph.Node("bl0email_2"));
        Assert.Equal(FlowBlocks.CaptureLead, lead.Type);
        Assert.Equal("{{Email}}", lead.Settings.GetProperty("fields").GetProperty("email").GetString());
        Assert.Equal("{{Name}}", lead.Settings.GetProperty("fields").GetProperty("name").GetString());
        Assert.Equal("{{Phone}}", lead.Settings.GetProperty("fields").GetProperty("phone").GetString());
        Assert.Equal("bl0phone", graph.Target("bl0email_2", "next"));
        Assert.Equal("FR", Text(Settings(graph, "bl0phone"), "default_region"));
        Assert.Equal(("100", "100000"), (Text(Settings(graph, "bl0budget"), "min"), Text(Settings(graph, "bl0budget"), "max")));

        // Two branches and an else: a chain of conditions, the else edge into the middle of a group.
        Assert.Equal("bl0vipset", graph.Target("bl0check", "true"));
        Assert.Equal("bl0check_2", graph.Target("bl0check", "false"));
        Assert.Equal("bl0crm", graph.Target("bl0check_2", "true"));
        Assert.Equal("bl0thanks", graph.Target("bl0check_2", "false"));
        var big = Settings(graph, "bl0check").GetProperty("rules")[0];
        Assert.Equal(("variable", "Budget", "greater_than", "5000"), (Text(big, "source"), Text(big, "key"), Text(big, "operator"), Text(big, "value")));
        Assert.Equal(2, Settings(graph, "bl0check_2").GetProperty("rules").GetArrayLength());
        var check = Block(import, "bl0check");
        Assert.Equal(ImportOutcome.Approximate, check.Outcome);
        Assert.Contains("Matches regex", check.Note);
        Assert.Equal(["bl0check", "bl0check_2"], check.Nodes);

        Assert.Equal(("Lead_source", "VIP lead"), (Text(Settings(graph, "bl0vipset"), "variable"), Text(Settings(graph, "bl0vipset"), "value")));
        Assert.Equal("website", graph.Variables["Lead_source"]);

        var http = Settings(graph, "bl0crm");
        Assert.Equal("https://crm.acme.example/api/leads?campaign={{Lead_source}}", Text(http, "url"));
        Assert.Equal("POST", Text(http, "method"));
        Assert.Equal("{{Email}}", http.GetProperty("body").GetProperty("email").GetString());
        Assert.Equal("typebot", http.GetProperty("headers").GetProperty("X-Source").GetString());
        Assert.Equal("$.segment", http.GetProperty("response_mapping").GetProperty("Lead_source").GetString());
        Assert.False(http.GetProperty("response_mapping").TryGetProperty("Assistant_Message", out _));
        Assert.Equal(graph.Target("bl0crm", "ok"), graph.Target("bl0crm", "error"));
        Assert.Equal("bl0thanks", graph.Target("bl0crm", "ok"));
        Assert.Contains("data.items.map", Block(import, "bl0crm").Note);

        Assert.Equal(("number", "1", "5"), (Text(Settings(graph, "bl0rating"), "input"), Text(Settings(graph, "bl0rating"), "min"), Text(Settings(graph, "bl0rating"), "max")));

        // Cal.com books on Parley's calendar and keeps the booked time in the variable it named.
        Assert.Equal(FlowBlocks.BookAppointment, graph.Node("bl0cal")!.Type);
        Assert.Equal("{{Email}}", Text(Settings(graph, "bl0cal"), "email"));
        Assert.Equal("bl0cal_2", graph.Target("bl0cal", "booked"));
        Assert.Equal("{{booking_start}}", Text(Settings(graph, "bl0cal_2"), "value"));
        // The jump at the end of the booking group becomes a wire back to the welcome.
        Assert.Equal("bl0hello", graph.Target("bl0bookdone", "next"));

        Assert.Equal(FlowBlocks.AiAnswer, graph.Node("bl0openai")!.Type);
        Assert.Contains("You are Ava", Block(import, "bl0openai").Note);
        Assert.Equal(FlowBlocks.Handoff, graph.Node("bl0chatwoot")!.Type);
        Assert.Equal("bl0chatwoot", graph.Target("bl0aiout", "next"));

        // Positions: each block sits in its group's place, one row per block.
        var name = graph.Node("bl0name")!;
        Assert.Equal((520d, 110d), (name.X, name.Y));
    }

    [Fact]
    public void Map_LeadGenerationV61_ReportNamesEveryBlockAndWhatWasLost()
    {
        var (import, _) = Map("lead-generation-v6.1.json");
        using var source = JsonDocument.Parse(Fixture("lead-generation-v6.1.json"));
        var blockIds = source.RootElement.GetProperty("groups").EnumerateArray()
            .SelectMany(g => g.GetProperty("blocks").EnumerateArray()).Select(b => b.GetProperty("id").GetString()).ToList();

        Assert.Equal(blockIds, import.Blocks.Select(b => b.BlockId));
        Assert.Equal(["bl0viplink", "bl0code", "bl0wait", "bl0oldq", "bl0file", "bl0sheet"],
            import.Blocks.Where(b => b.Outcome == ImportOutcome.NotCarried).Select(b => b.BlockId));
        Assert.All(import.Blocks.Where(b => b.Outcome != ImportOutcome.Created), b => Assert.False(string.IsNullOrWhiteSpace(b.Note)));
        Assert.Contains("another Typebot", Block(import, "bl0viplink").Note);
        Assert.Contains("No path from the start", Block(import, "bl0oldq").Note);
        Assert.Empty(Block(import, "bl0oldq").Nodes);
        Assert.Equal(ImportOutcome.Approximate, Block(import, "bl0vipvideo").Outcome);
    }

    [Fact]
    public void Map_AppointmentV5_StartBlockItemsAndLegacyBlocksMapped()
    {
        var (import, graph) = Map("appointment-v5.json");

        Assert.Equal("b5hello", graph.Start);
        Assert.Equal("Welcome to **Smile Dental** 🦷", Text(Settings(graph, "b5hello"), "text"));
        Assert.DoesNotContain(import.Blocks, b => b.BlockId == "b5start");
        Assert.Equal("b5name", graph.Target("b5why", "option_1"));
        Assert.Equal("b5hours", graph.Target("b5why", "option_2"));
        Assert.Equal("b5handoff", graph.Target("b5why", "option_3"));

        Assert.Equal(("date", "Day"), (Text(Settings(graph, "b5date"), "input"), Text(Settings(graph, "b5date"), "variable")));
        Assert.Equal("text", Text(Settings(graph, "b5time"), "input"));
        Assert.Equal(ImportOutcome.Approximate, Block(import, "b5time").Outcome);
        Assert.Equal("Thanks {{Full_name}}. Your email, for the confirmation?", Text(Settings(graph, "b5email"), "text"));

        var http = Settings(graph, "b5send");
        Assert.Equal("https://dental.example/api/requests?clinic=paris", Text(http, "url"));
        Assert.Equal("{{Full_name}}", http.GetProperty("body").GetProperty("name").GetString());
        Assert.Equal("$.reference", http.GetProperty("response_mapping").GetProperty("Reference").GetString());
        // The A/B split always takes path A; path B's group is then unreachable and reported.
        Assert.Equal("b5done", graph.Target("b5send", "ok"));
        Assert.Equal(ImportOutcome.Approximate, Block(import, "b5split").Outcome);
        Assert.Equal(ImportOutcome.NotCarried, Block(import, "b5survey").Outcome);
        Assert.Null(graph.Node("b5survey"));
        Assert.Equal("Thanks {{Full_name}}! Request `{{Reference}}` is in; we'll confirm by email.", Text(Settings(graph, "b5done"), "text"));

        Assert.Equal("We're open:\n- Mon–Fri 9:00–18:00\n- Sat 9:00–12:00", Text(Settings(graph, "b5hours"), "text"));
        Assert.Equal("any", Text(Settings(graph, "b5isweekend"), "match"));
        Assert.Equal("b5weekend", graph.Target("b5isweekend", "true"));
        Assert.Equal("b5hello", graph.Target("b5isweekend", "false"));
        Assert.Equal(FlowBlocks.AiAnswer, graph.Node("b5faq")!.Type);
        Assert.Contains("receptionist of Smile Dental", Block(import, "b5faq").Note);
        Assert.Equal(FlowBlocks.Handoff, graph.Node("b5handoff")!.Type);
    }

    [Fact]
    public void Map_VariableNamesTypebotAllowsAndParleyDoesNot_RenamedAndRewrittenEverywhere()
    {
        var import = TypebotFlowImport.Map(Encoding.UTF8.GetBytes("""
            { "version": "6", "events": [ { "id": "s", "type": "start", "graphCoordinates": { "x": 0, "y": 0 }, "outgoingEdgeId": "e" } ],
              "groups": [ { "id": "g", "title": "G", "graphCoordinates": { "x": 0, "y": 0 }, "blocks": [
                { "id": "a", "type": "Set variable", "options": { "variableId": "v1", "expressionToEvaluate": "Zoë" } },
                { "id": "b", "type": "Set variable", "options": { "variableId": "v2", "expressionToEvaluate": "{{Prénom du client}} / {{2nd}}" } },
                { "id": "c", "type": "Set variable", "options": { "variableId": "v3", "expressionToEvaluate": "{{Prénom du client}}.toUpperCase()" } },
                { "id": "d", "type": "text", "content": { "richText": [ { "type": "p", "children": [ { "text": "Bonjour {{Prénom du client}} {{unknown one}}" } ] } ] } } ] } ],
              "edges": [ { "id": "e", "from": { "eventId": "s" }, "to": { "groupId": "g" } } ],
              "variables": [ { "id": "v1", "name": "Prénom du client" }, { "id": "v2", "name": "2nd" }, { "id": "v3", "name": "prenom_du_client" } ] }
            """));
        var graph = FlowGraph.Parse(import.FlowJson);

        Assert.Equal("Prenom_du_client", Text(Settings(graph, "a"), "variable"));
        Assert.Equal("{{Prenom_du_client}} / {{v_2nd}}", Text(Settings(graph, "b"), "value"));
        Assert.Equal(ImportOutcome.NotCarried, Block(import, "c").Outcome);
        Assert.Contains("JavaScript", Block(import, "c").Note);
        Assert.Equal("Bonjour {{Prenom_du_client}} {{unknown one}}", Text(Settings(graph, "d"), "text"));
    }

    [Fact]
    public void Map_Version3WebhookKeptOutsideTheFlow_SaysSoAndGoesOn()
    {
        var import = TypebotFlowImport.Map(Encoding.UTF8.GetBytes("""
            { "version": "3", "groups": [
                { "id": "g0", "title": "Start", "graphCoordinates": { "x": 0, "y": 0 }, "blocks": [ { "id": "s", "type": "start", "label": "Start", "outgoingEdgeId": "e" } ] },
                { "id": "g1", "title": "Main", "graphCoordinates": { "x": 10, "y": 200 }, "blocks": [
                  { "id": "w", "type": "Webhook", "webhookId": "wh1", "options": { "responseVariableMapping": [] } },
                  { "id": "t", "type": "text", "content": { "plainText": "Done" } } ] } ],
              "edges": [ { "id": "e", "from": { "blockId": "s" }, "to": { "groupId": "g1" } } ], "variables": [] }
            """));

        Assert.Equal(ImportOutcome.NotCarried, Block(import, "w").Outcome);
        Assert.Contains("export again", Block(import, "w").Note);
        Assert.Equal("t", FlowGraph.Parse(import.FlowJson).Start);
    }

    public static TheoryData<string, string> BadFiles => new()
    {
        { "not json at all", "not valid JSON" },
        { "[1, 2]", "JSON object" },
        { """{ "version": "2", "groups": [] }""", "'2' is not supported" },
        { """{ "groups": [] }""", "\"version\" is missing" },
        { """{ "version": "6.1", "groups": {} }""", "\"groups\" must be an array" },
        { """{ "version": "6.1", "groups": [ { "id": "g", "blocks": [ { "id": "b" } ] } ], "edges": [], "events": [ { "id": "s", "type": "start" } ] }""", "\"type\"" },
        { """{ "version": "6.1", "groups": [], "edges": [] }""", "start event" },
        { """{ "version": "5", "groups": [], "edges": [] }""", "start block" },
        { """{ "version": "6.1", "groups": [], "edges": [], "events": [ { "id": "s", "type": "start" } ] }""", "not connected" },
        { new string('[', 200) + new string(']', 200), "not valid JSON" },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public void Map_BadFile_RefusedWithTheReason(string json, string reason)
    {
        var error = Assert.Throws<ImportFileException>(() => TypebotFlowImport.Map(Encoding.UTF8.GetBytes(json)));
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Map_LoopThatNeverWaits_RefusedBecauseParleyCannotRunIt()
    {
        var error = Assert.Throws<ImportFileException>(() => TypebotFlowImport.Map(Encoding.UTF8.GetBytes("""
            { "version": "6.1", "events": [ { "id": "s", "type": "start", "graphCoordinates": { "x": 0, "y": 0 }, "outgoingEdgeId": "e" } ],
              "groups": [ { "id": "g", "title": "Loop", "graphCoordinates": { "x": 0, "y": 0 }, "blocks": [
                { "id": "a", "type": "text", "content": { "plainText": "again" } },
                { "id": "j", "type": "Jump", "options": { "groupId": "g" } } ] } ],
              "edges": [ { "id": "e", "from": { "eventId": "s" }, "to": { "groupId": "g" } } ], "variables": [] }
            """)));
        Assert.Contains("loop that never waits", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Map_ChoiceWithMoreButtonsThanParleyShows_KeepsTheFirstTenAndSaysSo()
    {
        var items = string.Join(",", Enumerable.Range(1, 12).Select(i => $$"""{ "id": "i{{i}}", "content": "Option number {{i}}" }"""));
        var import = TypebotFlowImport.Map(Encoding.UTF8.GetBytes($$"""
            { "version": "6.1", "events": [ { "id": "s", "type": "start", "graphCoordinates": { "x": 0, "y": 0 }, "outgoingEdgeId": "e" } ],
              "groups": [ { "id": "g", "title": "G", "graphCoordinates": { "x": 0, "y": 0 }, "blocks": [
                { "id": "c", "type": "choice input", "options": { "isMultipleChoice": true }, "items": [ {{items}} ] } ] } ],
              "edges": [ { "id": "e", "from": { "eventId": "s" }, "to": { "groupId": "g" } } ], "variables": [] }
            """));
        var choice = JsonNode.Parse(import.FlowJson)!["nodes"]![0]!["settings"]!;

        Assert.Equal(10, choice["options"]!.AsArray().Count);
        Assert.Equal(ImportOutcome.Approximate, Block(import, "c").Outcome);
        Assert.Contains("last 2", Block(import, "c").Note);
        Assert.Contains("one choice", Block(import, "c").Note);
    }

    [Fact]
    public void Map_LongNameAndBlockIds_CutToWhatParleyStores()
    {
        var longId = "block-" + new string('x', 120);
        var export = TypebotExport.Map($$"""{ "id": "{{longId}}", "type": "email input" }, """ + TypebotExport.Text("after", "Bye"), name: $"\"{new string('n', 150)}\"");

        Assert.Equal(new string('n', 100), export.Import.Name);
        Assert.Equal(longId[^100..], export.Graph.Start);
        Assert.Equal((longId + "_2")[^100..], export.Graph.Target(longId[^100..], "next"));
        Assert.Equal(["e1", "e2", "e3", "e4"], export.Graph.Edges.Select(e => e.Id));
        Assert.Equal(["Typebot's theme and settings (typing emulation, remember user, metadata) are not part of a Parley flow and are not carried over.",
            "Imported from Typebot schema version 6.1."], export.Import.Notes);
    }

    [Fact]
    public void Map_NamelessBotWithVariableValues_DefaultNameAndStartingValues()
    {
        var export = TypebotExport.Map(TypebotExport.Text("t", "Hi {{Plan name}}"),
            """[ { "id": "a", "name": "Plan name", "value": "basic" }, { "id": "b", "name": "Plan name", "value": "pro" }, { "id": "c", "name": "Empty" } ]""",
            name: "\"\"");

        Assert.Equal("Imported from Typebot", export.Import.Name);
        Assert.Equal("basic", Assert.Single(export.Graph.Variables, v => v.Key == "Plan_name").Value);
        Assert.Single(export.Graph.Variables);
        Assert.Equal("Hi {{Plan_name}}", export.Setting("t", "text"));
    }
}
