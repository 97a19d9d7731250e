using System.Collections.Concurrent;
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
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "One instance lives as long as the process.")]
public sealed class SqliteWriteGate : SaveChangesInterceptor, ILeaseStateInterceptor
{
    public static SqliteWriteGate Instance { get; } = new();

    // One gate per database file; the context that holds a gate is remembered so that it is released exactly once.
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _gates = new(StringComparer.Ordinal);
    private readonly ConditionalWeakTable<DbContext, Holder> _holders = [];

    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        var context = eventData.Context!;
        if (!_holders.TryGetValue(context, out _))
        {
            var gate = GateFor(context);
            await gate.WaitAsync(cancellationToken);
            _holders.AddOrUpdate(context, new Holder(gate, Held: false));
        }
        return result;
    }

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        var context = eventData.Context!;
        if (!_holders.TryGetValue(context, out _))
        {
            var gate = GateFor(context);
            gate.Wait();
            _holders.AddOrUpdate(context, new Holder(gate, Held: false));
        }
        return result;
    }

    /// <summary>Takes the gate for <paramref name="context"/> until <see cref="LetGo"/>, across its saves.</summary>
    public async Task HoldAsync(DbContext context, CancellationToken cancellationToken)
    {
        if (_holders.TryGetValue(context, out _))
        {
            throw new InvalidOperationException("This context already holds the write gate.");
        }
        var gate = GateFor(context);
        await gate.WaitAsync(cancellationToken);
        _holders.AddOrUpdate(context, new Holder(gate, Held: true));
    }

    /// <summary>Lets the next writer in after <see cref="HoldAsync"/>; does nothing when the context holds no gate.</summary>
    public void LetGo(DbContext context)
    {
        if (_holders.TryGetValue(context, out var holder) && holder.Held && _holders.Remove(context))
        {
            holder.Gate.Release();
        }
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

    private SemaphoreSlim GateFor(DbContext context) =>
        _gates.GetOrAdd(context.Database.GetConnectionString() ?? "", _ => new SemaphoreSlim(1, 1));

    /// <summary>After a save: lets the next writer in, unless the context holds the gate for longer (<see cref="HoldAsync"/>).</summary>
    private void Release(DbContext? context)
    {
        if (context is not null && _holders.TryGetValue(context, out var holder) && !holder.Held && _holders.Remove(context))
        {
            holder.Gate.Release();
        }
    }

    private sealed record Holder(SemaphoreSlim Gate, bool Held);
}
