using Microsoft.Data.Sqlite;
using Parley.Data.Providers;

namespace Parley.Server.Tests.Infrastructure;

/// <summary>
/// A statement inside a transaction journals the pages it changes; the server keeps up to
/// <see cref="SqliteStatementJournal.InMemoryBytes"/> of that journal in memory instead of SQLite's 64 KiB, after
/// which SQLite moves it to a temporary file (deleted at once, so it shows only as an open descriptor). The setting
/// belongs to the process and is made when a server starts, so any connection in this process has it once the
/// fixture's server has started. (Linux only, where /proc lists the open files: the test run is on Linux.) It looks at
/// every file the process has open, so it runs alone: another test's temporary file must not count.
/// </summary>
[Trait(Storage.Trait, Storage.Independent)]
[Collection(nameof(SqliteStatementJournalTests))]
public sealed class SqliteStatementJournalTests(ParleyApp app) : IClassFixture<ParleyApp>
{
    [Fact]
    public async Task Update_JournalOfHundredsOfKilobytes_NoTemporaryFile()
    {
        Assert.NotNull(app.Services);
        var folder = Directory.CreateTempSubdirectory("parley-journal-");
        try
        {
            await using var connection = new SqliteConnection($"Data Source={Path.Combine(folder.FullName, "probe.db")};Pooling=False");
            await connection.OpenAsync();
            await ExecuteAsync(connection, "PRAGMA journal_mode = WAL; CREATE TABLE probe (id INTEGER PRIMARY KEY, body TEXT NOT NULL UNIQUE);");
            await using var transaction = connection.BeginTransaction();
            // About 100 pages of rows, then one statement that changes every one of them: a journal of about 400 KiB
            // (the unique index makes the update one that may fail half-way, so it keeps a statement journal).
            await ExecuteAsync(connection, """
                WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 400)
                INSERT INTO probe SELECT i, i || '-' || hex(randomblob(500)) FROM n;
                """);
            await ExecuteAsync(connection, "UPDATE probe SET body = body || 'x';");

            Assert.Empty(OpenTemporaryFiles());
            await transaction.CommitAsync();
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            folder.Delete(recursive: true);
        }
    }

    /// <summary>SQLite's temporary files this process has open (their names start with "etilqs_").</summary>
    private static List<string> OpenTemporaryFiles() =>
        [.. new DirectoryInfo("/proc/self/fd").EnumerateFileSystemInfos()
            .Select(fd => { try { return fd.LinkTarget ?? ""; } catch (IOException) { return ""; } })
            .Where(target => target.Contains("etilqs_", StringComparison.Ordinal))];

    private static async Task ExecuteAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }
}

[CollectionDefinition(nameof(SqliteStatementJournalTests), DisableParallelization = true)]
public sealed class SqliteStatementJournalCollection;
