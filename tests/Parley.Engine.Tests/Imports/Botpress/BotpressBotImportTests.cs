using System.Text.Json;
using Parley.Engine.Flows;
using Parley.Engine.Imports;
using Parley.Engine.Imports.Botpress;

namespace Parley.Engine.Tests.Imports.Botpress;

public sealed class BotpressBotImportTests
{
    private static (FlowImport Import, FlowGraph Graph) Map(byte[] archive)
    {
        var import = BotpressBotImport.Map(archive);
        return (import, FlowGraph.Parse(import.FlowJson));
    }

    private static JsonElement Settings(FlowGraph graph, string node) => Assert.IsType<FlowNode>(graph.Node(node)).Settings;

    private static string? Text(FlowGraph graph, string node, string name) => Settings(graph, node).TryGetProperty(name, out var v) ? v.ToString() : null;

    private static ImportedBlock Block(FlowImport import, string id) => Assert.Single(import.Blocks, b => b.BlockId == id);

    [Fact]
    public void Map_AcmeBikes_NodesAndSkillsMappedWiredAndPlaced()
    {
        var (import, graph) = Map(BotpressArchives.Pack("acme-bikes"));

        Assert.Equal("Acme Bikes", import.Name);
        Assert.Equal("entry", graph.Start);
        Assert.Equal("Welcome to **Acme Bikes**! 🚲", Text(graph, "entry", "text"));
        Assert.Equal((100d, 100d), (graph.Node("entry")!.X, graph.Node("entry")!.Y));

        // The choice skill: its question, one port per choice by value, the variable it names, the invalid text.
        Assert.Equal("choice-topic", graph.Target("entry", "next"));
        var choice = graph.Node("choice-topic")!;
        Assert.Equal(FlowBlocks.Choice, choice.Type);
        Assert.Equal(("What can I help you with?", "topic", "Please pick one of the options."),
            (Text(graph, choice.Id, "text"), Text(graph, choice.Id, "variable"), Text(graph, choice.Id, "retry_text")));
        Assert.Equal(["repair", "faq", "sales"], FlowBlocks.Ports(choice.Type, choice.Settings));
        Assert.Equal(ImportOutcome.Approximate, Block(import, "skill-a1b2c3").Outcome);
        Assert.Contains("keywords", Block(import, "skill-a1b2c3").Note, StringComparison.Ordinal);

        // The slot skill: an email ask into the slot's name; not found gives up (and ends, as in Botpress).
        Assert.Equal("ask-email", graph.Target("choice-topic", "repair"));
        Assert.Equal(("email", "email", "That doesn't look like an email address.", "3"),
            (Text(graph, "ask-email", "input"), Text(graph, "ask-email", "variable"), Text(graph, "ask-email", "retry_text"), Text(graph, "ask-email", "max_attempts")));
        Assert.Null(graph.Target("ask-email", "gave_up"));

        // onEnter actions in order, placeholders rewritten.
        Assert.Equal("set-ticket", graph.Target("ask-email", "next"));
        Assert.Equal(("ticket", "repair"), (Text(graph, "set-ticket", "variable"), Text(graph, "set-ticket", "value")));
        Assert.Equal("set-ticket_2", graph.Target("set-ticket", "next"));
        Assert.Equal("Thanks! We'll email {{email}} to book your {{ticket}}.", Text(graph, "set-ticket_2", "text"));

        // A node that waits asks its question, and its transitions become conditions on the answer.
        Assert.Equal("urgent", graph.Target("set-ticket_2", "next"));
        Assert.Equal((FlowBlocks.Ask, "Is the bike unrideable? (yes/no)", "last_message"),
            (graph.Node("urgent")!.Type, Text(graph, "urgent", "text"), Text(graph, "urgent", "variable")));
        Assert.Equal("urgent_if", graph.Target("urgent", "next"));
        Assert.Contains("\"key\":\"last_message\",\"operator\":\"equals\",\"value\":\"yes\"", Settings(graph, "urgent_if").GetRawText(), StringComparison.Ordinal);
        Assert.Equal(("urgent-yes", "bye"), (graph.Target("urgent_if", "true"), graph.Target("urgent_if", "false")));
        Assert.Contains("intent", Block(import, "0d5f3b7e21").Note, StringComparison.Ordinal);

        // A custom action is left out and said so; END ends.
        Assert.Null(graph.Target("bye", "next"));
        Assert.Equal(ImportOutcome.NotCarried, Block(import, "4f8e2d1c07").Outcome);
        Assert.Contains("analytics/track", Block(import, "4f8e2d1c07").Note, StringComparison.Ordinal);
        Assert.Contains("variations", Block(import, "9b2a6c4d88").Note, StringComparison.Ordinal);

        // A flow link is a jump to the linked flow's start, whose conditions read the user variable.
        var jump = graph.Target("choice-topic", "sales")!;
        Assert.Equal(FlowBlocks.Jump, graph.Node(jump)!.Type);
        Assert.Equal("sales_entry_if", Text(graph, jump, "target"));
        Assert.Contains("\"key\":\"ticket\",\"operator\":\"equals\",\"value\":\"repair\"", Settings(graph, "sales_entry_if").GetRawText(), StringComparison.Ordinal);
        Assert.Equal(("sales_repair-first", "sales_quote"), (graph.Target("sales_entry_if", "true"), graph.Target("sales_entry_if", "false")));
        Assert.Equal("bye", Text(graph, graph.Target("sales_repair-first", "next")!, "target"));
        Assert.Contains("calling flow", Block(import, "s4l3s1quote").Note, StringComparison.Ordinal);
        Assert.True(graph.Node("sales_entry_if")!.X > graph.Node("bye")!.X, "each flow has its own part of the canvas");

        // What no path reaches is not carried; skills' own flows are not flows of their own.
        Assert.Equal(ImportOutcome.NotCarried, Block(import, "6a3c8e1f90").Outcome);
        Assert.Equal(ImportOutcome.NotCarried, Block(import, "3rr0r0entry").Outcome);
        Assert.Null(graph.Node("summer-promo"));
        Assert.DoesNotContain(import.Blocks, b => b.Group.StartsWith("skills", StringComparison.Ordinal));
        Assert.Equal(13 + 5, import.Blocks.Count);
    }

    [Fact]
    public void Map_AcmeBikes_QnaBecomesKnowledgeAndEveryEntryIsReported()
    {
        var import = BotpressBotImport.Map(BotpressArchives.Pack("acme-bikes"));

        Assert.Equal(["How long does delivery take?", "What are your opening hours?", "Can I return my bike?"], import.Knowledge.Select(k => k.Title));
        var hours = import.Knowledge[1].Markdown;
        Assert.StartsWith("# What are your opening hours? / When are you open? / Are you open on Sunday?\n\n", hours, StringComparison.Ordinal);
        Assert.Contains("Monday to Saturday from 9am to 6pm", hours, StringComparison.Ordinal);
        Assert.Contains("Delivery takes up to 5 working days", import.Knowledge[0].Markdown, StringComparison.Ordinal);

        var qna = import.Blocks.Where(b => b.Group == "Q&A").ToDictionary(b => b.BlockId);
        Assert.Equal(5, qna.Count);
        Assert.Equal(ImportOutcome.Created, qna["opening_hours_x1y2z3"].Outcome);
        Assert.Equal(ImportOutcome.Approximate, qna["delivery_s7t8u9"].Outcome);
        Assert.Contains("redirect", qna["delivery_s7t8u9"].Note, StringComparison.Ordinal);
        Assert.Equal((ImportOutcome.NotCarried, "The entry is disabled in Botpress."), (qna["winter_sale_v1w2x3"].Outcome, qna["winter_sale_v1w2x3"].Note));
        Assert.Equal(ImportOutcome.NotCarried, qna["talk_to_sales_y4z5a6"].Outcome);
        Assert.Contains(import.Notes, n => n.Contains("NLU", StringComparison.Ordinal));
    }

    [Fact]
    public void Map_ArchivePackedInATopFolder_ReadsTheBotInside()
    {
        var folder = BotpressArchives.Folder("acme-bikes");
        var files = Directory.GetFiles(folder, "*", SearchOption.AllDirectories)
            .Select(f => ("./bot-acme-bikes/" + Path.GetRelativePath(folder, f).Replace('\\', '/'), File.ReadAllText(f)));

        Assert.Equal("Acme Bikes", BotpressBotImport.Map(BotpressArchives.Tgz(files)).Name);
    }

    [Theory]
    [InlineData("true", null, null, null)]
    [InlineData("temp.colour === 'red'", "colour", "equals", "red")]
    [InlineData("user.age > 17", "age", "greater_than", "17")]
    [InlineData("session.slots.email !== undefined", "email", "exists", null)]
    [InlineData("!session.slots['email']", "email", "not_exists", null)]
    [InlineData("event.preview != \"no\"", "last_message", "not_equals", "no")]
    [InlineData("temp['skill-choice-ret-x'] == \"a\"", "skill_choice_ret_x", "equals", "a")]
    public void Read_SimpleCondition_ParleyRule(string condition, string? key, string? op, string? value)
    {
        var read = BotpressFlowMapper.Read(condition);

        if (key is null)
        {
            Assert.True(read.IsAlways);
            return;
        }
        Assert.Equal((key, op, value), ((string?)read.Rule!["key"], (string?)read.Rule["operator"], (string?)read.Rule["value"]));
        Assert.Null(read.Note);
    }

    [Theory]
    [InlineData("user.age >= 18", "or equal")]
    [InlineData("event.nlu.intent.name === 'greet'", "intent")]
    [InlineData("temp.a && temp.b", "JavaScript")]
    [InlineData("Number(temp.count) > Number(3)", "JavaScript")]
    public void Read_ConditionParleyCannotCheckExactly_SaysWhy(string condition, string reason)
    {
        var read = BotpressFlowMapper.Read(condition);

        Assert.Equal(ImportOutcome.Approximate, read.Outcome);
        Assert.Contains(reason, read.Note, StringComparison.Ordinal);
    }

    public static TheoryData<string, byte[]> HostileArchives() => new()
    {
        { "not a .tgz", "a chatbot, honestly"u8.ToArray() },
        { "unpacks to more than 64 MB", BotpressArchives.Raw([("flows/big.flow.json", '0', 70L * 1024 * 1024, BotpressArchives.Zeros(70L * 1024 * 1024))]) },
        { "unpacks to more than 64 MB", BotpressArchives.Raw([("flows/huge.flow.json", '0', 8L * 1024 * 1024 * 1024 - 1, BotpressArchives.Zeros(1024))]) },
        { "extended header", BotpressArchives.Raw([("PaxHeader/x", 'x', 1L << 20, BotpressArchives.Zeros(4096))]) },
        { "more than 20,000 entries", BotpressArchives.Raw(Enumerable.Range(0, 20_001).Select(i => ($"qna/{i}.txt", '0', 0L, BotpressArchives.Zeros(0)))) },
        { "points outside the archive", BotpressArchives.Raw([("../../etc/cron.d/evil", '0', 5, BotpressArchives.Text("hello"))]) },
        { "points outside the archive", BotpressArchives.Raw([("/flows/main.flow.json", '0', 2, BotpressArchives.Text("{}"))]) },
        { "cut short", BotpressArchives.Raw([("bot.config.json", '0', 4096, BotpressArchives.Text("{}"))]) },
        { "no bot.config.json", BotpressArchives.Tgz([("flows/main.flow.json", "{}")]) },
        { "nested more than 64 levels", BotpressArchives.Tgz([("bot.config.json", new string('[', 1000) + new string(']', 1000))]) },
        { "no flows/main.flow.json", BotpressArchives.Tgz([("bot.config.json", "{ \"name\": \"x\" }")]) },
        { "flows/main.flow.json is not valid JSON", BotpressArchives.Tgz([("bot.config.json", "{}"), ("flows/main.flow.json", "{ \"nodes\": [")]) },
        { "not connected", BotpressArchives.Tgz([("bot.config.json", "{}"), ("flows/main.flow.json", "{ \"startNode\": \"entry\", \"nodes\": [] }")]) },
    };

    [Theory]
    [MemberData(nameof(HostileArchives))]
    public void Map_MalformedOrHostileArchive_RefusedWithTheReason(string reason, byte[] archive)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();

        var refused = Assert.Throws<ImportFileException>(() => BotpressBotImport.Map(archive));

        Assert.Contains(reason, refused.Message, StringComparison.Ordinal);
        // Within a memory bound: the reader never holds more than the files it keeps, whatever the headers claim.
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 96L * 1024 * 1024, "the archive was read within the memory bound");
    }
}
