using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Parley.Data;
using Parley.Data.Entities;
using Parley.Data.Providers;

namespace Parley.Server.Tests.Infrastructure;

/// <summary>
/// The SQLite write gate lets exactly one save write at a time and lets the next one in however a save ends: committed,
/// failed inside its transaction, with nothing to write, or inside a transaction its caller began; and when a scope
/// that held it across saves ends without letting it go. A gate that was not let go would make the next save wait for
/// ever, so every test ends with saves that must finish within a bound. (The gate belongs to SQLite: the PostgreSQL run
/// skips this class.)
/// </summary>
[Trait(Storage.Trait, Storage.Independent)]
public sealed class SqliteWriteGateTests(ParleyApp app) : IClassFixture<ParleyApp>
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Saves_ManyAtOnce_AllWriteOnce()
    {
        var workspaceId = await WorkspaceAsync();
        var keys = Enumerable.Range(0, 40).Select(i => $"gate-many-{i}").ToList();

        await Task.WhenAll(keys.Select(key => app.DbAsync(db =>
        {
            db.IdempotencyRecords.Add(Record(workspaceId, key));
            return db.SaveChangesAsync();
        }))).WaitAsync(Bound);

        Assert.Equal(keys.Count, await CountAsync("gate-many-"));
    }

    [Fact]
    public async Task Save_FailsInsideItsTransaction_NextSaveGoesThrough()
    {
        var workspaceId = await WorkspaceAsync();
        await SaveAsync(Record(workspaceId, "gate-failed-1"));

        // The same key again: the insert fails once the gate is taken and the transaction has begun.
        await Assert.ThrowsAsync<DbUpdateException>(() => SaveAsync(Record(workspaceId, "gate-failed-1")));

        await SaveAsync(Record(workspaceId, "gate-failed-2")).WaitAsync(Bound);
        Assert.Equal(2, await CountAsync("gate-failed-"));
    }

    [Fact]
    public async Task Save_NothingToWrite_NextSaveGoesThrough()
    {
        var workspaceId = await WorkspaceAsync();

        var written = await app.DbAsync(async db =>
        {
            var nothing = await db.SaveChangesAsync();
            db.IdempotencyRecords.Add(Record(workspaceId, "gate-empty-1"));
            return nothing + await db.SaveChangesAsync().WaitAsync(Bound);
        });

        Assert.Equal(1, written);
        await SaveAsync(Record(workspaceId, "gate-empty-2")).WaitAsync(Bound);
        Assert.Equal(2, await CountAsync("gate-empty-"));
    }

    [Fact]
    public async Task Save_InsideCallersTransaction_CommitsWithIt_NextSaveGoesThrough()
    {
        var workspaceId = await WorkspaceAsync();

        await app.DbAsync(async db =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            db.IdempotencyRecords.Add(Record(workspaceId, "gate-caller-1"));
            await db.SaveChangesAsync();
            db.IdempotencyRecords.Add(Record(workspaceId, "gate-caller-2"));
            await db.SaveChangesAsync().WaitAsync(Bound);
            await transaction.CommitAsync();
            return 0;
        });
        await app.DbAsync(async db =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            db.IdempotencyRecords.Add(Record(workspaceId, "gate-caller-rolled-back"));
            await db.SaveChangesAsync();
            await transaction.RollbackAsync();
            return 0;
        });

        await SaveAsync(Record(workspaceId, "gate-caller-3")).WaitAsync(Bound);
        Assert.Equal(3, await CountAsync("gate-caller-"));
    }

    [Fact]
    public async Task Transaction_WritesBeforeItSaves_WhileATurnWantsToWrite_BothCommit()
    {
        var workspaceId = await WorkspaceAsync();
        await SaveAsync(Record(workspaceId, "gate-order-old"));

        // A transaction that writes before it saves, as a knowledge source's re-sync does (ExecuteDelete, then
        // SaveChanges): from its first write, SQLite's write lock is its own until it ends.
        await using var scope = app.Services.CreateAsyncScope();
        var resync = scope.ServiceProvider.GetRequiredService<ParleyDbContext>();
        await using var transaction = await resync.Database.BeginTransactionAsync();
        await resync.IdempotencyRecords.IgnoreQueryFilters().Where(r => r.Key == "gate-order-old").ExecuteDeleteAsync();

        // Meanwhile a turn takes the gate for its unit of work and writes. Had the transaction not taken the gate when
        // it began, the turn would hold the gate and wait for the lock while the transaction's save waited for the
        // gate, until SQLite's busy timeout failed the turn.
        var turn = app.DbAsync(async db =>
        {
            await SqliteWriteGate.Instance.HoldAsync(db, CancellationToken.None);
            try
            {
                await using var turnTransaction = await db.Database.BeginTransactionAsync();
                db.IdempotencyRecords.Add(Record(workspaceId, "gate-order-turn"));
                await db.SaveChangesAsync();
                await turnTransaction.CommitAsync();
            }
            finally
            {
                SqliteWriteGate.Instance.LetGo(db);
            }
            return 0;
        });
        await Task.Delay(TimeSpan.FromMilliseconds(300));

        resync.IdempotencyRecords.Add(Record(workspaceId, "gate-order-resync"));
        await resync.SaveChangesAsync().WaitAsync(Bound);
        await transaction.CommitAsync();
        await turn.WaitAsync(Bound);

        Assert.Equal(["gate-order-resync", "gate-order-turn"], await KeysAsync("gate-order-"));
    }

    [Fact]
    public async Task Transaction_DisposedWithoutEnding_ItsScopeEnds_NextSaveGoesThrough()
    {
        var workspaceId = await WorkspaceAsync();

        await app.DbAsync(async db =>
        {
            var transaction = await db.Database.BeginTransactionAsync();
            db.IdempotencyRecords.Add(Record(workspaceId, "gate-abandoned-1"));
            await db.SaveChangesAsync();
            await transaction.DisposeAsync();
            return 0;
        });

        await SaveAsync(Record(workspaceId, "gate-abandoned-2")).WaitAsync(Bound);
        Assert.Equal(["gate-abandoned-2"], await KeysAsync("gate-abandoned-"));
    }

    [Fact]
    public async Task Lease_EndsHoldingTheGate_NextSaveGoesThrough()
    {
        var workspaceId = await WorkspaceAsync();

        // A scope that took the gate and ended without letting it go: its context goes back to the pool.
        await app.DbAsync(async db =>
        {
            await SqliteWriteGate.Instance.HoldAsync(db, CancellationToken.None);
            return 0;
        });

        await SaveAsync(Record(workspaceId, "gate-lease-1")).WaitAsync(Bound);
        Assert.Equal(1, await CountAsync("gate-lease-"));
    }

    private Task<string> WorkspaceAsync() =>
        app.DbAsync(db => db.Workspaces.IgnoreQueryFilters().OrderBy(w => w.Id).Select(w => w.Id).FirstAsync());

    private Task<int> SaveAsync(IdempotencyRecord record) => app.DbAsync(db =>
    {
        db.IdempotencyRecords.Add(record);
        return db.SaveChangesAsync();
    });

    private Task<List<string>> KeysAsync(string prefix) =>
        app.DbAsync(db => db.IdempotencyRecords.IgnoreQueryFilters().Where(r => r.Key.StartsWith(prefix)).Select(r => r.Key).OrderBy(k => k).ToListAsync());

    private Task<int> CountAsync(string prefix) =>
        app.DbAsync(db => db.IdempotencyRecords.IgnoreQueryFilters().CountAsync(r => r.Key.StartsWith(prefix)));

    /// <summary>A row to save: an idempotent response, the smallest record with a key of the test's choosing.</summary>
    internal static IdempotencyRecord Record(string workspaceId, string key) => new()
    {
        WorkspaceId = workspaceId,
        Key = key,
        RequestHash = [1, 2, 3],
        StatusCode = 200,
        ResponseJson = "{}",
        CreatedAt = DateTimeOffset.UtcNow,
    };
}
