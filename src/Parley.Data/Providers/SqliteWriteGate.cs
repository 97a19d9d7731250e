using System.Collections.Concurrent;
using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Parley.Data.Providers;

/// <summary>
/// SQLite lets one writer in at a time and makes the others sleep and poll for the lock, which ruins tail latency
/// under load. Within the process, writers instead queue here, fairly and without sleeping, so each SaveChanges
/// finds the database free. (Only one process writes a SQLite file; several nodes use PostgreSQL.) A unit of work that
/// saves more than once in one transaction (a turn) holds the gate from before its transaction begins until after it
/// ends (<see cref="HoldAsync"/>, <see cref="LetGo"/>); its saves pass.
/// <para>
/// Any other transaction a caller begins holds the gate from its beginning to its end, as a turn does. It may write
/// before it saves (<c>ExecuteDelete</c>, then <c>SaveChanges</c>), and SQLite's write lock is then its own until it
/// ends: had it waited for the gate only at its save, a turn holding the gate and waiting for that lock would wait for
/// it in turn, until SQLite's busy timeout failed one of them.
/// </para>
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "One instance lives as long as the process.")]
public sealed class SqliteWriteGate : SaveChangesInterceptor, IDbTransactionInterceptor, ILeaseStateInterceptor
{
    public static SqliteWriteGate Instance { get; } = new();

    // One gate per database file; the context that holds a gate is remembered so that it is released exactly once.
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _gates = new(StringComparer.Ordinal);
    private readonly ConditionalWeakTable<DbContext, Holder> _holders = [];

    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        await TakeAsync(eventData.Context!, HeldFor.Save, cancellationToken);
        return result;
    }

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Take(eventData.Context!, HeldFor.Save);
        return result;
    }

    /// <summary>Takes the gate for <paramref name="context"/> until <see cref="LetGo"/>, across its saves.</summary>
    public async Task HoldAsync(DbContext context, CancellationToken cancellationToken)
    {
        if (_holders.TryGetValue(context, out _))
        {
            throw new InvalidOperationException("This context already holds the write gate.");
        }
        await TakeAsync(context, HeldFor.UnitOfWork, cancellationToken);
    }

    /// <summary>Lets the next writer in after <see cref="HoldAsync"/>; does nothing when the context holds no gate.</summary>
    public void LetGo(DbContext context) => Release(context, HeldFor.UnitOfWork);

    /// <summary>A transaction begins: unless its context holds the gate already (a turn, or a save's own transaction), it takes it.</summary>
    public InterceptionResult<DbTransaction> TransactionStarting(
        DbConnection connection, TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result)
    {
        if (eventData.Context is { } context)
        {
            Take(context, HeldFor.Transaction);
        }
        return result;
    }

    public async ValueTask<InterceptionResult<DbTransaction>> TransactionStartingAsync(
        DbConnection connection, TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result,
        CancellationToken cancellationToken = default)
    {
        if (eventData.Context is { } context)
        {
            await TakeAsync(context, HeldFor.Transaction, cancellationToken);
        }
        return result;
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) =>
        Release(eventData.Context, HeldFor.Transaction);

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Release(eventData.Context, HeldFor.Transaction);
        return Task.CompletedTask;
    }

    public void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) =>
        Release(eventData.Context, HeldFor.Transaction);

    public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Release(eventData.Context, HeldFor.Transaction);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Beginning, committing or rolling back failed: the transaction is over or about to be disposed, which rolls it back.
    /// (One disposed without ending is let go when its scope ends, <see cref="LeaseEnded"/>.)
    /// </summary>
    public void TransactionFailed(DbTransaction transaction, TransactionErrorEventData eventData) =>
        Release(eventData.Context, HeldFor.Transaction);

    public Task TransactionFailedAsync(DbTransaction transaction, TransactionErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Release(eventData.Context, HeldFor.Transaction);
        return Task.CompletedTask;
    }

    /// <summary>
    /// A context that goes back to the pool still holding the gate (its scope ended without <see cref="LetGo"/>) lets
    /// it go: otherwise every other writer would wait for ever, and the next scope to lease the context would pass the
    /// gate without waiting.
    /// </summary>
    public void LeaseEnded(DbContext context)
    {
        if (_holders.TryGetValue(context, out var holder) && _holders.Remove(context))
        {
            holder.Gate.Release();
        }
    }

    public override InterceptionResult ThrowingConcurrencyException(ConcurrencyExceptionEventData eventData, InterceptionResult result)
    {
        Release(eventData.Context);
        return result;
    }

    public override ValueTask<InterceptionResult> ThrowingConcurrencyExceptionAsync(
        ConcurrencyExceptionEventData eventData, InterceptionResult result, CancellationToken cancellationToken = default)
    {
        Release(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        Release(eventData.Context);
        return result;
    }

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Release(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override void SaveChangesFailed(DbContextErrorEventData eventData) => Release(eventData.Context);

    public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Release(eventData.Context);
        return Task.CompletedTask;
    }

    public override void SaveChangesCanceled(DbContextEventData eventData) => Release(eventData.Context);

    public override Task SaveChangesCanceledAsync(DbContextEventData eventData, CancellationToken cancellationToken = default)
    {
        Release(eventData.Context);
        return Task.CompletedTask;
    }

    /// <summary>Takes the gate for <paramref name="context"/>, unless it holds it already (for a longer unit, or this one).</summary>
    private async ValueTask TakeAsync(DbContext context, HeldFor heldFor, CancellationToken cancellationToken)
    {
        if (!_holders.TryGetValue(context, out _))
        {
            var gate = GateFor(context);
            await gate.WaitAsync(cancellationToken);
            _holders.AddOrUpdate(context, new Holder(gate, heldFor));
        }
    }

    private void Take(DbContext context, HeldFor heldFor)
    {
        if (!_holders.TryGetValue(context, out _))
        {
            var gate = GateFor(context);
            gate.Wait();
            _holders.AddOrUpdate(context, new Holder(gate, heldFor));
        }
    }

    private SemaphoreSlim GateFor(DbContext context) =>
        _gates.GetOrAdd(context.Database.GetConnectionString() ?? "", _ => new SemaphoreSlim(1, 1));

    /// <summary>After a save: lets the next writer in, unless the context holds the gate for longer (a transaction, <see cref="HoldAsync"/>).</summary>
    private void Release(DbContext? context) => Release(context, HeldFor.Save);

    private void Release(DbContext? context, HeldFor heldFor)
    {
        if (context is not null && _holders.TryGetValue(context, out var holder) && holder.HeldFor == heldFor && _holders.Remove(context))
        {
            holder.Gate.Release();
        }
    }

    /// <summary>What the gate is held for, which says what lets it go.</summary>
    private enum HeldFor
    {
        /// <summary>One save (<c>SaveChanges</c>), outside any transaction of the caller's; let go when the save ends.</summary>
        Save,

        /// <summary>A transaction the caller began; let go when it commits or rolls back.</summary>
        Transaction,

        /// <summary>A unit of work across saves (<see cref="HoldAsync"/>); let go by <see cref="LetGo"/>.</summary>
        UnitOfWork,
    }

    private sealed record Holder(SemaphoreSlim Gate, HeldFor HeldFor);
}
