using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Parley.Data;
using Parley.Data.Entities;
using Parley.Data.Providers;
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
/// A turn saves once: the side effects stage stages its writes and waits for its turn to write
/// (<see cref="BeginWritingAsync"/>), and <see cref="CommitAsync"/> (return) saves everything, the bot's replies with the
/// time of every stage, in one <c>SaveChanges</c> and commits.
/// </summary>
public sealed class ConversationTranscript(
    ParleyDbContext db, WorkspaceScope workspace, EventLog events, IdGenerator ids, TimeProvider time, ConversationLocks locks,
    IdempotencyScope idempotency) : IAsyncDisposable
{
    private static readonly CompiledQueryPerModel<Func<ParleyDbContext, string, CancellationToken, Task<Conversation?>>> ConversationById =
        new(() => EF.CompileAsyncQuery((ParleyDbContext db, string id, CancellationToken _) => db.Conversations.FirstOrDefault(c => c.Id == id)));

    private readonly List<Message> _replies = [];
    private IDisposable? _lock;
    private IDbContextTransaction? _transaction;
    private bool _holdsWriteGate;

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
            await BeginAsync(cancellationToken);
            // Read and locked in one round trip. (EF cannot compile a query over raw SQL; its query cache serves this one.)
            Conversation = await db.Conversations
                .FromSql($"""SELECT * FROM "Conversations" WHERE "Id" = {conversationId} FOR UPDATE""")
                .FirstOrDefaultAsync(cancellationToken);
        }
        else
        {
            Conversation = await ConversationById.For(db)(db, conversationId, cancellationToken);
        }
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
    public Message Append(MessageRole role, string text, IReadOnlyList<string>? flags = null, MessageAuthor? author = null,
        IReadOnlyList<QuickReply>? quickReplies = null, IReadOnlyList<Parley.Engine.Responders.Citation>? citations = null) =>
        Append(new TurnMessage(ids.New(IdPrefix.Message), role, text, time.GetUtcNow(), quickReplies ?? [], citations, flags), author);

    /// <summary>Appends a message of a turn (its id was given when it was made) and records <c>message.created</c>.</summary>
    public Message Append(TurnMessage message, MessageAuthor? author = null, IReadOnlyDictionary<string, double>? timings = null)
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
            AuthorKeyId = author?.KeyId,
            AuthorUserId = author?.UserId,
            AuthorName = author?.Name,
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
    /// Appends a bot reply of a turn: counted and announced (<c>message.created</c>, with the stages timed so far) now,
    /// and stored by <see cref="CommitAsync"/> with the time of every stage.
    /// </summary>
    public Message AppendReply(TurnMessage reply, IReadOnlyDictionary<string, double> timingsSoFar)
    {
        var stored = Append(reply, timings: timingsSoFar);
        _replies.Add(stored);
        return stored;
    }

    /// <summary>
    /// Waits for this request's turn to write and begins the transaction that <see cref="CommitAsync"/> commits (on
    /// SQLite, the process's write gate is held from here), so that the wait counts in the stage that calls it.
    /// </summary>
    public Task BeginWritingAsync(CancellationToken cancellationToken) => BeginAsync(cancellationToken);

    /// <summary>
    /// Commits everything the request staged, with its response when it carries an <c>Idempotency-Key</c>, and lets
    /// the conversation's next writer in.
    /// </summary>
    public async Task CommitAsync(
        int statusCode, Func<object> response, CancellationToken cancellationToken, string? location = null,
        IReadOnlyDictionary<string, string>? headers = null, IReadOnlyDictionary<string, double>? replyTimings = null)
    {
        if (Conversation is { } conversation && db.Entry(conversation).State != EntityState.Added)
        {
            conversation.Version++;
        }
        if (replyTimings is not null)
        {
            // Still only staged (nothing was saved before this), so each row is inserted once, with every stage.
            foreach (var reply in _replies)
            {
                reply.Timings = new Dictionary<string, double>(replyTimings);
            }
        }
        _replies.Clear();
        await idempotency.SaveChangesAsync(statusCode, response, cancellationToken, location, headers);
        if (_transaction is not null)
        {
            await _transaction.CommitAsync(cancellationToken);
            await _transaction.DisposeAsync();
            _transaction = null;
        }
        await DisposeAsync();
        // Committed: the request may go on to write to another conversation (the OpenAI-compatible surface starts a
        // conversation, then runs a turn in it).
        Conversation = null;
    }

    /// <summary>
    /// Rolls back what was not committed and lets the next writer in, even when the rollback fails (the database went
    /// away mid-turn: it rolls back a transaction whose connection is gone); safe to call more than once.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await EndTransactionAsync();
        }
        finally
        {
            if (_holdsWriteGate)
            {
                SqliteWriteGate.Instance.LetGo(db);
                _holdsWriteGate = false;
            }
            _lock?.Dispose();
            _lock = null;
        }
    }

    private async Task EndTransactionAsync()
    {
        if (_transaction is not { } transaction)
        {
            return;
        }
        _transaction = null;
        try
        {
            if (db.Database.CurrentTransaction == transaction)
            {
                await transaction.RollbackAsync();
            }
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or InvalidOperationException)
        {
            // The connection is broken; disposing the transaction below still detaches it from the context.
        }
        finally
        {
            await transaction.DisposeAsync();
        }
    }

    /// <summary>
    /// Begins the transaction the request's writes share. On SQLite it begins at the first write and holds the
    /// process's write gate until it ends, so other writers queue instead of meeting a locked file.
    /// </summary>
    private async Task BeginAsync(CancellationToken cancellationToken)
    {
        if (_transaction is not null)
        {
            return;
        }
        if (db.Database.IsSqlite())
        {
            await SqliteWriteGate.Instance.HoldAsync(db, cancellationToken);
            _holdsWriteGate = true;
        }
        _transaction = await db.Database.BeginTransactionAsync(cancellationToken);
    }
}
