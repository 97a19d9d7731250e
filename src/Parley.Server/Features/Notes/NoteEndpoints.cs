using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Parley.Data;
using Parley.Data.Entities;
using Parley.Data.Tenancy;
using Parley.Engine.Ids;
using Parley.Engine.Turns;
using Parley.Server.Features.Handoff;
using Parley.Server.Infrastructure.Auth;
using Parley.Server.Infrastructure.Errors;
using Parley.Server.Infrastructure.Idempotency;
using Parley.Server.Infrastructure.Paging;

namespace Parley.Server.Features.Notes;

/// <summary>
/// Internal notes agents leave on a conversation. They are kept apart from messages, so nothing that shows the visitor
/// the conversation (widget, transcript, streams, OpenAI-compatible surface, webhooks) can ever include them.
/// </summary>
public static class NoteEndpoints
{
    public static IEndpointRouteBuilder MapConversationNotes(this IEndpointRouteBuilder api)
    {
        var notes = api.MapGroup("/conversations/{id}/notes").WithTags("Handoff");
        notes.MapPost("/", Create).RequireScope(Scopes.Agent)
            .WithName("CreateConversationNote").WithSummary("Leave an internal note on a conversation")
            .WithDescription("Stores a note for the workspace's people, with its author (the signed-in user or the agent key). The visitor never sees it: it is not a message, is not sent on any stream or webhook, and appears only here and in exports (`conversation_notes`). `text` is 1–4000 characters. Open in any status, closed conversations too.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
        notes.MapGet("/", List).RequireScope(Scopes.Agent)
            .WithName("ListConversationNotes").WithSummary("The internal notes of a conversation, oldest first")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    public static async Task<Created<NoteResponse>> Create(
        string id, CreateNoteRequest? request, ParleyDbContext db, WorkspaceScope workspace, ActingAgent agent, IdempotencyScope idempotency,
        IdGenerator ids, TimeProvider time, CancellationToken cancellationToken)
    {
        if (request?.Text is null)
        {
            throw ApiException.Invalid("text", "text is required: what the note says.");
        }
        string text;
        try
        {
            // The same rules as a message: length, valid Unicode, no control characters, not blank.
            text = TurnInputValidator.Validate(new TurnInput(request.Text, null, null));
        }
        catch (TurnRejectedException ex)
        {
            throw ApiException.Invalid("text", ex.Message);
        }
        await EnsureConversationAsync(db, id, cancellationToken);
        var author = await agent.AuthorAsync(cancellationToken);
        var note = new ConversationNote
        {
            Id = ids.New(IdPrefix.ConversationNote),
            WorkspaceId = workspace.WorkspaceId!,
            ConversationId = id,
            Text = text,
            AuthorKeyId = author.KeyId,
            AuthorUserId = author.UserId,
            AuthorName = author.Name,
            CreatedAt = time.GetUtcNow(),
        };
        db.ConversationNotes.Add(note);
        var response = NoteResponse.From(note);
        var location = $"/v1/conversations/{id}/notes";
        await idempotency.SaveChangesAsync(StatusCodes.Status201Created, () => response, cancellationToken, location);
        return TypedResults.Created(location, response);
    }

    public static async Task<CursorPage<NoteResponse>> List(
        string id, ParleyDbContext db, int? limit, string? after, CancellationToken cancellationToken)
    {
        await EnsureConversationAsync(db, id, cancellationToken);
        return await Paging.OldestFirstAsync(db.ConversationNotes.AsNoTracking().Where(n => n.ConversationId == id), limit, after, NoteResponse.From,
            cancellationToken);
    }

    private static async Task EnsureConversationAsync(ParleyDbContext db, string id, CancellationToken cancellationToken)
    {
        // The workspace filter applies: another workspace's conversation is as unknown as one that never existed.
        if (!await db.Conversations.AnyAsync(c => c.Id == id, cancellationToken))
        {
            throw ApiException.NotFound("conversation", id);
        }
    }
}
