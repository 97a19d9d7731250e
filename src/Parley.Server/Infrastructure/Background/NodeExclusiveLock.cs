using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Parley.Data;

namespace Parley.Server.Infrastructure.Background;

/// <summary>
/// One node at a time for work that is not a queue of rows to lease: rolling up a workspace's analytics, fetching a
/// knowledge source. On PostgreSQL it is a session advisory lock held by the context's connection, so a node that dies
/// lets go with its connection, and a connection returned to the pool is reset (which also lets go). SQLite has one
/// process, which runs such work one at a time by itself.
/// </summary>
public static class NodeExclusiveLock
{
    /// <summary>Takes the lock named <paramref name="name"/> if no other node holds it; null when one does.</summary>
    public static async Task<IAsyncDisposable?> TryTakeAsync(ParleyDbContext db, string name, CancellationToken cancellationToken)
    {
        if (!db.Database.IsNpgsql())
        {
            return NotNeeded.Instance;
        }
        var key = BinaryPrimitives.ReadInt64BigEndian(SHA256.HashData(Encoding.UTF8.GetBytes(name)));
        await db.Database.OpenConnectionAsync(cancellationToken);
        var taken = await db.Database.SqlQuery<bool>($"SELECT pg_try_advisory_lock({key}) AS \"Value\"").SingleAsync(cancellationToken);
        if (!taken)
        {
            await db.Database.CloseConnectionAsync();
            return null;
        }
        return new Held(db, key);
    }

    private sealed class Held(ParleyDbContext db, long key) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_unlock({key})");
            }
            catch (System.Data.Common.DbException)
            {
                // The connection is gone, and the lock with it.
            }
            finally
            {
                await db.Database.CloseConnectionAsync();
            }
        }
    }

    private sealed class NotNeeded : IAsyncDisposable
    {
        public static readonly NotNeeded Instance = new();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
