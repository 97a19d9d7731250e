using System.Data.Common;
using Parley.Data;

namespace Parley.Server.Infrastructure.Background;

/// <summary>Whether a save is the application at work, or history an import writes back.</summary>
public enum SaveMode
{
    /// <summary>Something happening now: its events are delivered, emailed and counted.</summary>
    Live,

    /// <summary>An archive's rows written back: history, which nothing delivers, emails or counts again.</summary>
    ImportedHistory,
}

/// <summary>
/// Something a save causes, beside the rows the code saved: webhook deliveries, emails, usage counts, stale analytics
/// days, live-stream wake-ups. Each is listed once, in order, in <see cref="OutboxSetup"/>; the one
/// <see cref="OutboxInterceptor"/> calls them at each step of every save and of the transaction around it.
/// </summary>
public interface IOutboxContributor
{
    /// <summary>
    /// Before the save's rows are written: adds the rows it causes to the same save, so both commit or neither.
    /// Returns true to hear <see cref="Committed"/> with <c>contributed</c> set (to wake a worker).
    /// </summary>
    ValueTask<bool> SavingAsync(ParleyDbContext db, SaveMode mode, CancellationToken cancellationToken);

    /// <summary>The save's rows were written; its transaction may still be open.</summary>
    void Saved(ParleyDbContext db)
    {
    }

    /// <summary>The save failed; nothing of it was written.</summary>
    void SaveFailed(ParleyDbContext db)
    {
    }

    /// <summary>The transaction is about to commit: the last writes that must commit with it.</summary>
    ValueTask CommittingAsync(DbTransaction transaction, ParleyDbContext db, bool sync, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <summary>The saves have committed; <paramref name="contributed"/> when this contributor added to them.</summary>
    void Committed(ParleyDbContext db, bool contributed)
    {
    }

    /// <summary>
    /// The transaction was rolled back: nothing since it began was written. Also called when a context's scope ends
    /// (it goes back to the pool), committed or not: forget whatever is still kept for it.
    /// </summary>
    void RolledBack(ParleyDbContext db)
    {
    }
}
