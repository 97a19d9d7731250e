using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Parley.Data.Providers;

/// <summary>
/// Per-connection settings for SQLite. WAL mode is a property of the file (set once at start-up); these are
/// per connection: NORMAL sync is durable across application crashes in WAL mode and much faster than FULL,
/// and the busy timeout lets a writer wait for another instead of failing. Memory-mapped reads (up to 256 MB) spare
/// the full-text search a read system call per index page; on 100,000 chunks they cut search latency by a third.
/// The settings stay with the native connection, which the pool keeps across opens, so they are applied when a
/// native connection is first opened rather than on every open (EF opens and closes it around each query, and a turn
/// opened it four times).
/// </summary>
public sealed class SqliteConnectionPragmas : DbConnectionInterceptor
{
    public static SqliteConnectionPragmas Instance { get; } = new();

    private const string Pragmas = "PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 10000; PRAGMA foreign_keys = ON; PRAGMA mmap_size = 268435456;";

    // The native connections that have the settings; a pooled connection keeps its native one.
    private readonly ConditionalWeakTable<object, object> _configured = [];

    /// <summary>
    /// Turns the memory map off on the context's open connection, for a read of a whole table that would otherwise map
    /// that much of the database file into the process. The map comes back the next time the pool hands the native
    /// connection out.
    /// </summary>
    public static async Task PlainReadsAsync(DbContext db, CancellationToken cancellationToken)
    {
        await db.Database.ExecuteSqlRawAsync("PRAGMA mmap_size = 0;", cancellationToken);
        if (db.Database.GetDbConnection() is SqliteConnection { Handle: { } handle })
        {
            Instance._configured.Remove(handle);
        }
    }

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        if (NeedsSettings(connection))
        {
            using var command = connection.CreateCommand();
            command.CommandText = Pragmas;
            command.ExecuteNonQuery();
            Configured(connection);
        }
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        if (NeedsSettings(connection))
        {
            await using var command = connection.CreateCommand();
            command.CommandText = Pragmas;
            await command.ExecuteNonQueryAsync(cancellationToken);
            Configured(connection);
        }
    }

    private bool NeedsSettings(DbConnection connection) =>
        connection is not SqliteConnection { Handle: { } handle } || !_configured.TryGetValue(handle, out _);

    private void Configured(DbConnection connection)
    {
        if (connection is SqliteConnection { Handle: { } handle })
        {
            _configured.AddOrUpdate(handle, this);
        }
    }
}
