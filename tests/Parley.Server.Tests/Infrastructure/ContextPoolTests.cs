using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Parley.Data;
using Parley.Data.Entities;
using Parley.Data.Tenancy;
using Parley.Engine.Usage;
using Parley.Server.Features.Usage;

namespace Parley.Server.Tests.Infrastructure;

/// <summary>
/// Database contexts are pooled: a scope leases one and gives it back when it ends. The next scope to lease the same
/// context must see nothing of the last one's: not its workspace, not what it staged for a commit that never came.
/// Each test ends one scope, then leases contexts until the pool hands the same one back.
/// </summary>
public sealed class ContextPoolTests(ParleyApp app) : IClassFixture<ParleyApp>
{
    [Fact]
    public async Task Lease_EndsWithAnIncrementStaged_NextLeaseCommitsWithoutIt()
    {
        var workspaceId = await WorkspaceAsync();
        var before = await EmailsCountedAsync(workspaceId);
        ParleyDbContext first;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            first = scope.ServiceProvider.GetRequiredService<ParleyDbContext>();
            // Staged for the context's next commit; the scope ends before there is one (a request that failed).
            scope.ServiceProvider.GetRequiredService<UsageMeter>().Count(first, workspaceId, UsageMetrics.EmailsSent, 1000);
        }

        await using (var lease = await LeaseAgainAsync(first))
        {
            lease.Db.IdempotencyRecords.Add(SqliteWriteGateTests.Record(workspaceId, "pool-usage-" + Guid.NewGuid().ToString("N")));
            await lease.Db.SaveChangesAsync();
        }

        Assert.Equal(before, await EmailsCountedAsync(workspaceId));
    }

    [Fact]
    public async Task Lease_EndsInsideItsTransaction_RolledBack_NextLeaseStartsWithout()
    {
        var workspaceId = await WorkspaceAsync();
        var key = "pool-open-" + Guid.NewGuid().ToString("N");
        ParleyDbContext first;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            first = scope.ServiceProvider.GetRequiredService<ParleyDbContext>();
            await first.Database.BeginTransactionAsync();
            first.IdempotencyRecords.Add(SqliteWriteGateTests.Record(workspaceId, key));
            await first.SaveChangesAsync();
            scope.ServiceProvider.GetRequiredService<UsageMeter>().Count(first, workspaceId, UsageMetrics.EmailsSent, 1000);
        }

        await using (var lease = await LeaseAgainAsync(first))
        {
            Assert.Null(lease.Db.Database.CurrentTransaction);
            Assert.Empty(lease.Db.ChangeTracker.Entries());
        }
        Assert.Equal(0, await app.DbAsync(db => db.IdempotencyRecords.IgnoreQueryFilters().CountAsync(r => r.Key == key)));
    }

    [Fact]
    public async Task Lease_AfterAnotherWorkspacesLease_SeesNoneOfItsRows()
    {
        var workspaceId = await WorkspaceAsync();
        var key = "pool-workspace-" + Guid.NewGuid().ToString("N");
        await app.DbAsync(db =>
        {
            db.IdempotencyRecords.Add(SqliteWriteGateTests.Record(workspaceId, key));
            return db.SaveChangesAsync();
        });
        ParleyDbContext first;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            scope.ServiceProvider.GetRequiredService<WorkspaceScope>().Enter(workspaceId);
            first = scope.ServiceProvider.GetRequiredService<ParleyDbContext>();
            Assert.Equal(1, await first.IdempotencyRecords.CountAsync(r => r.Key == key));
        }

        // Leased by a scope that has entered no workspace: the last lease's workspace must not linger.
        await using var lease = await LeaseAgainAsync(first);

        Assert.Null(lease.Db.ScopedWorkspaceId);
        Assert.Equal(0, await lease.Db.IdempotencyRecords.CountAsync(r => r.Key == key));
    }

    /// <summary>
    /// Leases contexts in new scopes until the pool hands <paramref name="wanted"/> back, keeping the others leased
    /// meanwhile so that it comes round (background workers lease from the same pool).
    /// </summary>
    private async Task<Lease> LeaseAgainAsync(ParleyDbContext wanted)
    {
        var others = new List<AsyncServiceScope>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        try
        {
            while (true)
            {
                var scope = app.Services.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<ParleyDbContext>();
                if (ReferenceEquals(db, wanted))
                {
                    return new Lease(scope, db);
                }
                others.Add(scope);
                Assert.True(DateTime.UtcNow < deadline, $"The pool did not hand the context back after {others.Count} leases.");
                if (others.Count % 100 == 0)
                {
                    // Held by a worker for now: wait for it to come back.
                    await Task.Delay(50);
                }
            }
        }
        finally
        {
            foreach (var other in others)
            {
                await other.DisposeAsync();
            }
        }
    }

    private Task<string> WorkspaceAsync() =>
        app.DbAsync(db => db.Workspaces.IgnoreQueryFilters().OrderBy(w => w.Id).Select(w => w.Id).FirstAsync());

    private Task<long> EmailsCountedAsync(string workspaceId) => app.DbAsync(db => db.UsageCounters.IgnoreQueryFilters()
        .Where(c => c.WorkspaceId == workspaceId && c.Metric == UsageMetrics.EmailsSent).SumAsync(c => c.Value));

    private sealed class Lease(AsyncServiceScope scope, ParleyDbContext db) : IAsyncDisposable
    {
        public ParleyDbContext Db => db;

        public ValueTask DisposeAsync() => scope.DisposeAsync();
    }
}
