using System.Globalization;
using Microsoft.Data.Sqlite;
using Parley.Engine.Ids;

namespace Parley.Bench.Load;

/// <summary>
/// Gives conversations a long history before the run, written straight into the server's SQLite file: each message
/// is a copy of one the conversation already holds (made by a real turn, so its text is encrypted as the server
/// expects), with an id older than every message the run will add. <c>message_count</c> grows to match.
/// </summary>
public static class HistorySeeder
{
    private static readonly DateTimeOffset Epoch = DateTimeOffset.UtcNow.AddDays(-30);

    // Milliseconds after the epoch of the next seeded id, across calls, so that no two seeded ids are the same.
    private static long _nextMillis;

    /// <summary>
    /// Adds <paramref name="messages"/> messages to each conversation, one transaction per conversation, so the server's
    /// own writes (its background work) wait for one conversation's rows at most, not for the whole seeding.
    /// </summary>
    public static async Task SeedAsync(string databasePath, IReadOnlyList<string> conversationIds, int messages, CancellationToken cancellationToken)
    {
        if (messages <= 0 || conversationIds.Count == 0)
        {
            return;
        }
        await using var connection = new SqliteConnection($"Data Source={databasePath};Pooling=False");
        await connection.OpenAsync(cancellationToken);
        await ExecuteAsync(connection, "PRAGMA busy_timeout = 30000;", cancellationToken);
        var columns = await ColumnsAsync(connection, cancellationToken);
        var copied = string.Join(", ", columns.Select(c => c == "Id" ? "$id" : $"\"{c}\""));

        foreach (var conversationId in conversationIds)
        {
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
            var sources = await SourceIdsAsync(connection, transaction, conversationId, cancellationToken);
            await using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = $"INSERT INTO \"Messages\" ({string.Join(", ", columns.Select(c => $"\"{c}\""))}) SELECT {copied} FROM \"Messages\" WHERE \"Id\" = $source";
            var id = insert.Parameters.Add("$id", SqliteType.Text);
            var source = insert.Parameters.Add("$source", SqliteType.Text);
            for (var i = 0; i < messages; i++)
            {
                // One id per millisecond, all before the run: the history reads them in this order.
                id.Value = IdGenerator.LowestFor(IdPrefix.Message, Epoch.AddMilliseconds(_nextMillis++));
                source.Value = sources[i % sources.Count];
                await insert.ExecuteNonQueryAsync(cancellationToken);
            }
            await using var count = connection.CreateCommand();
            count.Transaction = transaction;
            count.CommandText = "UPDATE \"Conversations\" SET \"MessageCount\" = \"MessageCount\" + $n WHERE \"Id\" = $id";
            count.Parameters.AddWithValue("$n", messages);
            count.Parameters.AddWithValue("$id", conversationId);
            await count.ExecuteNonQueryAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
    }

    private static async Task<List<string>> ColumnsAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT name FROM pragma_table_info('Messages') ORDER BY cid";
        var columns = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            columns.Add(reader.GetString(0));
        }
        return columns;
    }

    private static async Task<List<string>> SourceIdsAsync(
        SqliteConnection connection, SqliteTransaction transaction, string conversationId, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT \"Id\" FROM \"Messages\" WHERE \"ConversationId\" = $c ORDER BY \"Id\"";
        command.Parameters.AddWithValue("$c", conversationId);
        var ids = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            ids.Add(reader.GetString(0));
        }
        return ids.Count > 0 ? ids : throw new InvalidOperationException(
            string.Create(CultureInfo.InvariantCulture, $"Conversation {conversationId} has no message to copy; send one first."));
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
