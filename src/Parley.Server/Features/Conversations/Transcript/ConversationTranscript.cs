using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Parley.Data;
using Parley.Data.Entities;
using Parley.Data.Tenancy;
using Parley.Engine.Events;
using Parley.Engine.Ids;
using Parley.Engine.Turns;
using Parley.Server.Features.Events;
using Parley.Server.Infrastructure.Idempotency;

namespace Parley.Server.Features.Conversations.Transcript;

/// <summary>
/// The one way a message joins a conversation: turns, agent replies, handoff notices and greetings all append here.
/// Writers of one conversation take turns: <see cref="OpenAsync"/> waits for the writer before it in this process
/// (<see cref="ConversationLocks"/>) and, on PostgreSQL, locks the conversation's row (<c>SELECT … FOR UPDATE</c>) in
/// the transaction that <see cref="CommitAsync"/> commits, so writers on other nodes wait too. SQLite has one writing
/// process, so the in-process order is the database's. Reading the conversation only once its turn has come, a writer
/// always counts on top of the one before it: no concurrency conflict, no retry, and <c>message_count</c> stays exact.
/// </summary>
public sealed class ConversationTranscript(
    ParleyDbContext db, WorkspaceScope workspace, EventLog events, IdGenerator ids, TimeProvider time, ConversationLocks locks,
    IdempotencyScope idempotency) : IAsyncDisposable
{
    private IDisposable? _lock;
    private IDbContextTransaction? _transaction;

    /// <summary>The conversation being written to, once opened or started.</summary>
    public Conversation? Conversation { get; private set; }

    /// <summary>
    /// Waits for this conversation's earlier writers, then loads it for writing; null when the workspace has no such
    /// conversation. A request whose <c>Idempotency-Key</c> was answered while it waited is replayed instead.
    /// </summary>
    public async Task<Conversation?> OpenAsync(string conversationId, CancellationToken cancellationToken)
    {
        if (Conversation is not null)
        {
            throw new InvalidOperationException("A request writes to one conversation.");
        }
        _lock = await locks.AcquireAsync(conversationId, cancellationToken);
        await idempotency.ReplayIfAnsweredAsync(cancellationToken);
        if (db.Database.IsNpgsql())
        {
            _transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await db.Database.ExecuteSqlAsync($"""SELECT 1 FROM "Conversations" WHERE "Id" = {conversationId} FOR UPDATE""", cancellationToken);
        }
        Conversation = await db.Conversations.FirstOrDefaultAsync(c => c.Id == conversationId, cancellationToken);
        return Conversation;
    }

    /// <summary>Stages a new conversation; nobody else knows its id yet, so it needs no waiting.</summary>
    public void Start(Conversation conversation)
    {
        if (Conversation is not null)
        {
            throw new InvalidOperationException("A request writes to one conversation.");
        }
        db.Conversations.Add(conversation);
        Conversation = conversation;
    }

    /// <summary>Appends a message written now (an agent's reply, a notice, a greeting) and records <c>message.created</c>.</summary>
    public Message Append(MessageRole role, string text, IReadOnlyList<string>? flags = null, string? authorKeyId = null,
        IReadOnlyList<QuickReply>? quickReplies = null, IReadOnlyList<Parley.Engine.Responders.Citation>? citations = null) =>
        Append(new TurnMessage(ids.New(IdPrefix.Message), role, text, time.GetUtcNow(), quickReplies ?? [], citations, flags), authorKeyId);

    /// <summary>Appends a message of a turn (its id was given when it was made) and records <c>message.created</c>.</summary>
    public Message Append(TurnMessage message, string? authorKeyId = null, IReadOnlyDictionary<string, double>? timings = null)
    {
        var conversation = Conversation ?? throw new InvalidOperationException("Open or start the conversation first.");
        var stored = new Message
        {
            Id = message.Id,
            WorkspaceId = workspace.WorkspaceId!,
            ConversationId = conversation.Id,
            Role = message.Role,
            Text = message.Text,
            QuickReplies = [.. message.QuickReplies],
            Citations = message.Citations is { Count: > 0 } cited ? [.. cited] : null,
            Timings = timings is null ? null : new Dictionary<string, double>(timings),
            Usage = message.Usage,
            CreatedAt = message.CreatedAt,
            AuthorKeyId = authorKeyId,
            Flags = message.Flags is { Count: > 0 } flags ? [.. flags] : null,
        };
        db.Messages.Add(stored);
        events.Add(EventTypes.MessageCreated, conversation.Id, MessageResponse.From(stored));
        conversation.MessageCount++;
        conversation.LastMessageAt = stored.CreatedAt;
        conversation.UpdatedAt = stored.CreatedAt;
        return stored;
    }

    /// <summary>
    /// Commits everything the request staged, with its response when it carries an <c>Idempotency-Key</c>, and lets
    /// the conversation's next writer in.
    /// </summary>
    public async Task CommitAsync(int statusCode, Func<object> response, CancellationToken cancellationToken, string? location = null)
    {
        if (Conversation is { } conversation && db.Entry(conversation).State != EntityState.Added)
        {
            conversation.Version++;
        }
        await idempotency.SaveChangesAsync(statusCode, response, cancellationToken, location);
        if (_transaction is not null)
        {
            await _transaction.CommitAsync(cancellationToken);
        }
        await DisposeAsync();
    }

    /// <summary>Rolls back what was not committed and lets the next writer in; safe to call more than once.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_transaction is not null)
        {
            await _transaction.DisposeAsync();
            _transaction = null;
        }
        _lock?.Dispose();
        _lock = null;
    }
}
