using System.Collections.Concurrent;
using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Parley.Data.Providers;

/// <summary>
/// SQLite lets one writer in at a time and makes the others sleep and poll for the lock, which ruins tail latency
/// under load. Within the process, writers instead queue here, fairly and without sleeping, so each SaveChanges
/// finds the database free. (Only one process writes a SQLite file; several nodes use PostgreSQL.)
/// A save that opens its own transaction (a turn's, and most others) takes the gate only when that transaction begins
/// and lets go as soon as it has committed or rolled back: EF has by then detected the changes, the outbox has staged
/// what they cause and the first commands are built, so the next writer waits for the statements and the commit alone.
/// A save inside a transaction its caller began takes the gate for the save.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "One instance lives as long as the process.")]
public sealed class SqliteWriteGate : SaveChangesInterceptor, IDbTransactionInterceptor
{
    public static SqliteWriteGate Instance { get; } = new();

    // One gate per database file; the context that holds a gate is remembered so that it is released exactly once.
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _gates = new(StringComparer.Ordinal);
    private readonly ConditionalWeakTable<DbContext, SemaphoreSlim> _holders = [];

    // Saves that open their own transaction, waiting to take the gate when it begins.
    private readonly ConditionalWeakTable<DbContext, object> _starting = [];

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default) =>
        Saving(eventData.Context!, sync: false, cancellationToken) is { } waiting
            ? AfterAsync(waiting, result)
            : ValueTask.FromResult(result);

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Saving(eventData.Context!, sync: true, CancellationToken.None);
        return result;
    }

    InterceptionResult<DbTransaction> IDbTransactionInterceptor.TransactionStarting(
        DbConnection connection, TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result)
    {
        if (eventData.Context is { } context && _starting.Remove(context))
        {
            Take(context, sync: true, CancellationToken.None);
        }
        return result;
    }

    ValueTask<InterceptionResult<DbTransaction>> IDbTransactionInterceptor.TransactionStartingAsync(
        DbConnection connection, TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result,
        CancellationToken cancellationToken) =>
        eventData.Context is { } context && _starting.Remove(context) && Take(context, sync: false, cancellationToken) is { } waiting
            ? AfterAsync(waiting, result)
            : ValueTask.FromResult(result);

    void IDbTransactionInterceptor.TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) =>
        Release(eventData.Context);

    Task IDbTransactionInterceptor.TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken)
    {
        Release(eventData.Context);
        return Task.CompletedTask;
    }

    void IDbTransactionInterceptor.TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) =>
        Release(eventData.Context);

    Task IDbTransactionInterceptor.TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken)
    {
        Release(eventData.Context);
        return Task.CompletedTask;
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

    /// <summary>
    /// Inside the caller's transaction, takes the gate now (the task to wait for, or null once taken). Without one, the
    /// save is made to open its own, and the gate waits for it (<see cref="IDbTransactionInterceptor.TransactionStarting"/>).
    /// </summary>
    private Task? Saving(DbContext context, bool sync, CancellationToken cancellationToken)
    {
        if (_holders.TryGetValue(context, out _))
        {
            return null;
        }
        if (context.Database.CurrentTransaction is null)
        {
            // Even a save of one statement opens a transaction, so that it passes the gate.
            context.Database.AutoTransactionBehavior = AutoTransactionBehavior.Always;
            _starting.AddOrUpdate(context, context);
            return null;
        }
        return Take(context, sync, cancellationToken);
    }

    private Task? Take(DbContext context, bool sync, CancellationToken cancellationToken)
    {
        var gate = _gates.GetOrAdd(context.Database.GetConnectionString() ?? "", _ => new SemaphoreSlim(1, 1));
        if (!sync)
        {
            return TakeAsync(context, gate, cancellationToken);
        }
        gate.Wait(cancellationToken);
        _holders.AddOrUpdate(context, gate);
        return null;
    }

    private async Task TakeAsync(DbContext context, SemaphoreSlim gate, CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken);
        _holders.AddOrUpdate(context, gate);
    }

    private static async ValueTask<T> AfterAsync<T>(Task waiting, T result)
    {
        await waiting;
        return result;
    }

    /// <summary>Lets the next writer in, once per taking; forgets a save that never began its transaction.</summary>
    private void Release(DbContext? context)
    {
        if (context is null)
        {
            return;
        }
        _starting.Remove(context);
        if (_holders.TryGetValue(context, out var gate) && _holders.Remove(context))
        {
            gate.Release();
        }
    }
}
