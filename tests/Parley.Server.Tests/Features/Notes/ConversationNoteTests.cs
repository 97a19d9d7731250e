using System.Net;
using Microsoft.EntityFrameworkCore;
using Parley.Server.Tests.Features.Accounts;
using Parley.Server.Tests.Features.Handoff;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Features.Notes;

/// <summary>Internal notes: agents read and write them; the visitor never sees them anywhere; exports hold them.</summary>
public sealed class ConversationNoteTests(ParleyApp app) : IClassFixture<ParleyApp>
{
    private const string Site = "https://shop.example";

    private async Task<(HttpClient Owner, HttpClient Visitor, string ConversationId)> WidgetConversationAsync()
    {
        var owner = await Sessions.OwnerAsync(app);
        var botId = await owner.CreateBotAsync("Notes desk");
        var pk = (string)(await (await owner.PostJsonAsync("/v1/api-keys", new { name = "site", kind = "publishable", bot_id = botId, allowed_origins = new[] { Site } }))
            .JsonAsync(HttpStatusCode.Created))["publishable_key"]!;
        var browser = app.Client(pk);
        browser.DefaultRequestHeaders.Add("Origin", Site);
        var session = await (await browser.PostJsonAsync("/v1/widget/sessions", new { })).JsonAsync(HttpStatusCode.OK);
        var visitor = app.Client((string)session["session_token"]!);
        visitor.DefaultRequestHeaders.Add("Origin", Site);
        return (owner, visitor, session["conversation"]!.Id());
    }

    [Fact]
    public async Task Note_ByAgent_ListedForAgentsWithAuthor_NeverReachesTheVisitor()
    {
        var (owner, visitor, conversationId) = await WidgetConversationAsync();
        var agent = await Sessions.JoinAsync(app, owner, "nora@shop.example", "agent");
        var agentId = await Sessions.UserIdAsync(agent);
        await (await owner.PatchJsonAsync($"/v1/users/{agentId}", new { name = "Nora Notes" })).JsonAsync(HttpStatusCode.OK);
        await using var visitorStream = await SseListener.OpenAsync(visitor, $"/v1/conversations/{conversationId}/stream");
        var secret = "VIP customer, refund approved " + Guid.NewGuid().ToString("N")[..8];

        var note = await (await agent.PostJsonAsync($"/v1/conversations/{conversationId}/notes", new { text = "  " + secret + "  " }))
            .JsonAsync(HttpStatusCode.Created);
        Assert.StartsWith("note_", note.Id(), StringComparison.Ordinal);
        Assert.Equal(secret, (string?)note["text"]);
        Assert.Equal(agentId, (string?)note["author_user_id"]);
        Assert.Equal("Nora Notes", (string?)note["author_name"]);
        // A visitor message after the note: the stream sends it, and nothing of the note came before it.
        await visitor.SendAsync(conversationId, "Are you there?");

        var listed = await (await owner.GetAsync($"/v1/conversations/{conversationId}/notes")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal([note.Id()], listed["data"]!.AsArray().Select(n => n!.Id()));

        var streamed = await visitorStream.NextAsync(e => e.Type == "message.created" && (string?)e.Data["text"] == "Are you there?");
        Assert.DoesNotContain(secret, streamed.Data.ToJsonString(), StringComparison.Ordinal);
        var transcript = await visitor.GetStringAsync($"/v1/conversations/{conversationId}/messages");
        Assert.DoesNotContain(secret, transcript, StringComparison.Ordinal);
        await (await visitor.GetAsync($"/v1/conversations/{conversationId}/notes")).ProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        var events = await owner.GetStringAsync("/v1/events?limit=100");
        Assert.DoesNotContain(secret, events, StringComparison.Ordinal);

        var exported = await owner.GetStringAsync("/v1/export/conversation_notes.ndjson?include_pii=true");
        Assert.Contains(secret, exported, StringComparison.Ordinal);
        var withoutPii = await owner.GetStringAsync("/v1/export/conversation_notes.ndjson");
        Assert.Contains(note.Id(), withoutPii, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, withoutPii, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Note_BadInputOrViewer_RejectedAndNothingStored()
    {
        var (owner, _, conversationId) = await WidgetConversationAsync();
        var viewer = await Sessions.JoinAsync(app, owner, "vera@shop.example", "viewer");
        var path = $"/v1/conversations/{conversationId}/notes";
        var before = await NoteCountAsync(conversationId);

        await (await owner.PostJsonAsync(path, new { })).ProblemAsync(HttpStatusCode.BadRequest, "invalid_request");
        await (await owner.PostJsonAsync(path, new { text = "   " })).ProblemAsync(HttpStatusCode.BadRequest, "invalid_request");
        await (await owner.PostJsonAsync(path, new { text = new string('x', 4001) })).ProblemAsync(HttpStatusCode.BadRequest, "invalid_request");
        await (await owner.PostRawAsync(path, "{\"text\": \"half a pair \\ud800\"}")).ProblemAsync(HttpStatusCode.BadRequest, "invalid_request");
        await (await owner.PostRawAsync(path, "{\"text\": ")).ProblemAsync(HttpStatusCode.BadRequest, "invalid_request");
        await (await owner.PostJsonAsync("/v1/conversations/conv_doesnotexist/notes", new { text = "hi" })).ProblemAsync(HttpStatusCode.NotFound, "not_found");
        await (await viewer.PostJsonAsync(path, new { text = "a viewer's note" })).ProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await (await viewer.GetAsync(path)).ProblemAsync(HttpStatusCode.Forbidden, "forbidden");

        // Another workspace's key finds no such conversation.
        var (_, otherKey) = await app.CreateWorkspaceAsync();
        await (await app.Client(otherKey).PostJsonAsync(path, new { text = "sneaky" })).ProblemAsync(HttpStatusCode.NotFound, "not_found");
        await (await app.Client(otherKey).GetAsync(path)).ProblemAsync(HttpStatusCode.NotFound, "not_found");

        Assert.Equal(before, await NoteCountAsync(conversationId));
    }

    [Fact]
    public async Task Note_RetriedWithIdempotencyKey_StoredOnce()
    {
        var (owner, _, conversationId) = await WidgetConversationAsync();
        var path = $"/v1/conversations/{conversationId}/notes";
        var first = await (await owner.PostJsonAsync(path, new { text = "Called back at 3pm" }, "note-retry-1")).JsonAsync(HttpStatusCode.Created);
        var again = await (await owner.PostJsonAsync(path, new { text = "Called back at 3pm" }, "note-retry-1")).JsonAsync(HttpStatusCode.Created);
        Assert.Equal(first.Id(), again.Id());
        Assert.Equal(1, await NoteCountAsync(conversationId));
    }

    private Task<int> NoteCountAsync(string conversationId) =>
        app.DbAsync(db => db.ConversationNotes.IgnoreQueryFilters().CountAsync(n => n.ConversationId == conversationId));
}
