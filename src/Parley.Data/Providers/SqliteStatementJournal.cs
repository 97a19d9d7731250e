using SQLitePCL;

namespace Parley.Data.Providers;

/// <summary>
/// How much of a statement journal SQLite keeps in memory. Inside a transaction, SQLite journals the pages a statement
/// or a savepoint changes so that it alone can be undone; past SQLite's default of 64 KiB that journal moves to a new
/// file in the temporary directory, created, written and deleted within the transaction. EF wraps a save inside a
/// transaction in a savepoint, so the journal holds every page a turn's save changes (the rows and their indexes),
/// more than 64 KiB: every turn created and deleted a file. Up to <see cref="InMemoryBytes"/> the journal now stays in
/// memory; a statement that changes more (a bulk delete) still goes to disk, so memory stays bounded. Durability does
/// not change: this journal only undoes a statement or a savepoint, and a crash is recovered from the write-ahead log.
/// </summary>
public static class SqliteStatementJournal
{
    public const int InMemoryBytes = 4 * 1024 * 1024;

    // SQLITE_CONFIG_STMTJRNL_SPILL, which the binding has no name for.
    private const int StatementJournalSpill = 26;

    private static readonly Lazy<int> Result = new(() =>
    {
        Batteries_V2.Init();
        return raw.sqlite3_config(StatementJournalSpill, InMemoryBytes);
    });

    /// <summary>
    /// Applies the setting to the process, once. SQLite takes it only before its first connection, so registering the
    /// database calls this: a process that opened SQLite before keeps the default.
    /// </summary>
    public static void Configure() => _ = Result.Value;
}
