using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Parley.Data;

namespace Parley.Server.Infrastructure.Background;

/// <summary>
/// The outbox: the one save interceptor. Before each save it asks every <see cref="IOutboxContributor"/>, in the order
/// <see cref="OutboxSetup"/> lists them, to add what the save causes; once the save's transaction has committed (the
/// save's own, or the caller's around several saves), it tells them, so workers wake only for committed work.
/// </summary>
public sealed class OutboxInterceptor(IReadOnlyList<IOutboxContributor> contributors)
    : SaveChangesInterceptor, IDbTransactionInterceptor, ILeaseStateInterceptor
{
    private readonly ConditionalWeakTable<DbContext, HashSet<IOutboxContributor>> _contributed = [];
    private readonly ConditionalWeakTable<DbContext, object> _importing = [];

    /// <summary>The contributors, in the order they run.</summary>
    public IReadOnlyList<IOutboxContributor> Contributors => contributors;

    /// <summary>
    /// Saves of <paramref name="db"/> write imported history (<see cref="SaveMode.ImportedHistory"/>) until the result
    /// is disposed.
    /// </summary>
    public IDisposable ImportingHistory(ParleyDbContext db)
    {
        _importing.AddOrUpdate(db, this);
        return new Importing(this, db);
    }

    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is ParleyDbContext db)
        {
            var mode = _importing.TryGetValue(db, out _) ? SaveMode.ImportedHistory : SaveMode.Live;
            // Each contributor reads the change tracker's entries, and every read would scan every tracked entity for
            // changes again (six scans per save, a sixth of a turn's allocations): scan once before them. SaveChanges
            // scans again after this interceptor, for what they changed. (A save with detection off, such as an
            // import's, keeps it off.)
            var tracker = db.ChangeTracker;
            var autoDetect = tracker.AutoDetectChangesEnabled;
            if (autoDetect)
            {
                tracker.DetectChanges();
            }
            tracker.AutoDetectChangesEnabled = false;
            try
            {
                foreach (var contributor in contributors)
                {
                    if (await contributor.SavingAsync(db, mode, cancellationToken))
                    {
                        _contributed.GetOrCreateValue(db).Add(contributor);
                    }
                }
            }
            finally
            {
                tracker.AutoDetectChangesEnabled = autoDetect;
            }
        }
        return result;
    }

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result) =>
        SavingChangesAsync(eventData, result).AsTask().GetAwaiter().GetResult();

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        if (eventData.Context is ParleyDbContext db)
        {
            foreach (var contributor in contributors)
            {
                contributor.Saved(db);
            }
            if (db.Database.CurrentTransaction is null)
            {
                // Saved without a transaction, or in its own one that has committed by now.
                Committed(db);
            }
        }
        return result;
    }

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(SavedChanges(eventData, result));

    public override void SaveChangesFailed(DbContextErrorEventData eventData)
    {
        if (eventData.Context is ParleyDbContext db)
        {
            foreach (var contributor in contributors)
            {
                contributor.SaveFailed(db);
            }
        }
    }

    public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        SaveChangesFailed(eventData);
        return Task.CompletedTask;
    }

    public InterceptionResult TransactionCommitting(DbTransaction transaction, TransactionEventData eventData, InterceptionResult result)
    {
        CommittingAsync(transaction, eventData, sync: true, CancellationToken.None).AsTask().GetAwaiter().GetResult();
        return result;
    }

    public async ValueTask<InterceptionResult> TransactionCommittingAsync(
        DbTransaction transaction, TransactionEventData eventData, InterceptionResult result, CancellationToken cancellationToken = default)
    {
        await CommittingAsync(transaction, eventData, sync: false, cancellationToken);
        return result;
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData)
    {
        if (eventData.Context is ParleyDbContext db)
        {
            Committed(db);
        }
    }

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        TransactionCommitted(transaction, eventData);
        return Task.CompletedTask;
    }

    public void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData)
    {
        if (eventData.Context is ParleyDbContext db)
        {
            _contributed.Remove(db);
            foreach (var contributor in contributors)
            {
                contributor.RolledBack(db);
            }
        }
    }

    public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        TransactionRolledBack(transaction, eventData);
        return Task.CompletedTask;
    }

    /// <summary>
    /// The context's scope is over and the context goes back to the pool. Most scopes committed or rolled back and
    /// left nothing here; one that failed in between left what it staged, which will never commit (its transaction
    /// was rolled back): the contributors forget it as on a rollback, so the next scope to lease the context starts
    /// with nothing of it.
    /// </summary>
    public void LeaseEnded(DbContext context)
    {
        if (context is not ParleyDbContext db)
        {
            return;
        }
        if (_importing.TryGetValue(db, out _))
        {
            _importing.Remove(db);
        }
        if (_contributed.TryGetValue(db, out _))
        {
            _contributed.Remove(db);
        }
        foreach (var contributor in contributors)
        {
            contributor.RolledBack(db);
        }
    }

    private async ValueTask CommittingAsync(DbTransaction transaction, TransactionEventData eventData, bool sync, CancellationToken cancellationToken)
    {
        if (eventData.Context is ParleyDbContext db)
        {
            foreach (var contributor in contributors)
            {
                await contributor.CommittingAsync(transaction, db, sync, cancellationToken);
            }
        }
    }

    private void Committed(ParleyDbContext db)
    {
        var contributed = _contributed.TryGetValue(db, out var set) ? set : null;
        _contributed.Remove(db);
        foreach (var contributor in contributors)
        {
            contributor.Committed(db, contributed?.Contains(contributor) == true);
        }
    }

    private sealed class Importing(OutboxInterceptor owner, DbContext db) : IDisposable
    {
        public void Dispose() => owner._importing.Remove(db);
    }
}
