using System.Net;
using System.Text.Json.Nodes;
using Parley.Server.Tests.Infrastructure;
using static Parley.Server.Tests.Features.Flows.FlowApi;

namespace Parley.Server.Tests.Features.Flows;

/// <summary>Sticky notes travel with the draft and its versions, are validated like blocks, and never run.</summary>
public sealed class FlowNotesTests(FlowApp app) : IClassFixture<FlowApp>
{
    private static string WithNotes(string notes) =>
        Flow("hi", [Node("hi", "message", """{"text": "Hello"}""")], []).TrimEnd('}') + $$""", "notes": {{notes}}}""";

    private const string SamNote = """[{"id": "note_1", "text": "ask Sam before changing prices", "x": 120.5, "y": -40}]""";

    [Fact]
    public async Task SaveDraft_WithNotes_ReadBackAndPublishedWithTheVersion()
    {
        var client = app.Client();
        var botId = await client.CreateBotAsync();

        await (await client.PutFlowAsync(botId, WithNotes(SamNote))).JsonAsync(HttpStatusCode.OK);
        var draft = await (await client.GetAsync($"/v1/bots/{botId}/flow")).JsonAsync(HttpStatusCode.OK);
        await (await client.PostAsync($"/v1/bots/{botId}/flow/publish", null)).JsonAsync(HttpStatusCode.Created);
        var version = await (await client.GetAsync($"/v1/bots/{botId}/flow/versions/1")).JsonAsync(HttpStatusCode.OK);

        var expected = JsonNode.Parse(SamNote)!;
        Assert.True(JsonNode.DeepEquals(expected, draft["draft"]!["notes"]), draft.ToJsonString());
        Assert.True(JsonNode.DeepEquals(expected, version["flow"]!["notes"]), version.ToJsonString());
    }

    [Fact]
    public async Task Conversation_FlowWithNotes_NotesNeverReachTheVisitor()
    {
        var client = app.Client();
        var botId = await client.CreateBotAsync();
        await client.PublishAsync(botId, WithNotes(SamNote));

        var started = await client.StartConversationAsync(botId);

        Assert.Equal(["Hello"], started.Texts());
    }

    [Theory]
    [InlineData("""[{"id": "note_1", "text": "", "x": 0, "y": 0}]""", "note_1")]
    [InlineData("""[{"id": "hi", "text": "clash", "x": 0, "y": 0}]""", "hi")]
    [InlineData("""[{"id": "note_1", "text": "no place", "x": "left", "y": 0}]""", "note_1")]
    [InlineData("""[{"text": "no id", "x": 0, "y": 0}]""", "notes[0]")]
    [InlineData("""{"note_1": "not a list"}""", "flow")]
    public async Task SaveDraft_BadNote_422PerNoteAndTheDraftStays(string notes, string key)
    {
        var client = app.Client();
        var botId = await client.CreateBotAsync();
        await (await client.PutFlowAsync(botId, WithNotes(SamNote))).JsonAsync(HttpStatusCode.OK);
        var before = await (await client.GetAsync($"/v1/bots/{botId}/flow")).JsonAsync(HttpStatusCode.OK);

        var problem = await (await client.PutFlowAsync(botId, WithNotes(notes))).ProblemAsync(HttpStatusCode.UnprocessableEntity, "invalid_flow");

        Assert.NotNull(problem["errors"]![key]);
        var after = await (await client.GetAsync($"/v1/bots/{botId}/flow")).JsonAsync(HttpStatusCode.OK);
        Assert.True(JsonNode.DeepEquals(before, after), after.ToJsonString());
    }

    [Fact]
    public async Task SaveDraft_101Notes_422AndNothingSaved()
    {
        var client = app.Client();
        var botId = await client.CreateBotAsync();
        var notes = "[" + string.Join(",", Enumerable.Range(1, 101).Select(i => $$"""{"id": "note_{{i}}", "text": "n", "x": 0, "y": 0}""")) + "]";

        var problem = await (await client.PutFlowAsync(botId, WithNotes(notes))).ProblemAsync(HttpStatusCode.UnprocessableEntity, "invalid_flow");

        Assert.Contains("at most 100 notes", problem["errors"]!["flow"]!.ToJsonString(), StringComparison.Ordinal);
        var draft = await (await client.GetAsync($"/v1/bots/{botId}/flow")).JsonAsync(HttpStatusCode.OK);
        Assert.Null(draft["draft"]);
    }
}
