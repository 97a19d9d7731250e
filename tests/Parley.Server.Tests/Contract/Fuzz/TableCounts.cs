using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Contract.Fuzz;

/// <summary>
/// The row count of every table in the database, read with plain SQL from the database's own catalogue, so that a
/// table the EF model forgets (or a full-text index) is counted too.
/// </summary>
internal sealed class TableCounts(ParleyApp app)
{
    private string? _query;

    public async Task<IReadOnlyDictionary<string, long>> ReadAsync() => await app.DbAsync(async db =>
    {
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync();
        try
        {
            _query ??= await CountQueryAsync(connection, db.Database.ProviderName?.Contains("Npgsql", StringComparison.Ordinal) == true);
            await using var command = connection.CreateCommand();
            command.CommandText = _query;
            var counts = new SortedDictionary<string, long>(StringComparer.Ordinal);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                counts[reader.GetString(0)] = reader.GetInt64(1);
            }
            return (IReadOnlyDictionary<string, long>)counts;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    });

    /// <summary>The tables whose counts differ, as <c>name before→after</c>.</summary>
    public static IReadOnlyList<string> Differences(IReadOnlyDictionary<string, long> before, IReadOnlyDictionary<string, long> after) =>
        [.. before.Keys.Union(after.Keys).Order(StringComparer.Ordinal)
            .Where(t => before.GetValueOrDefault(t, -1) != after.GetValueOrDefault(t, -1))
            .Select(t => $"{t} {before.GetValueOrDefault(t, -1)}→{after.GetValueOrDefault(t, -1)}")];

    private static async Task<string> CountQueryAsync(DbConnection connection, bool postgres)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = postgres
            ? "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
            : "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'";
        var tables = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                tables.Add(reader.GetString(0));
            }
        }
        Assert.NotEmpty(tables);
        return string.Join(" UNION ALL ", tables.Select(t => $"SELECT '{t}', CAST(COUNT(*) AS BIGINT) FROM \"{t.Replace("\"", "\"\"", StringComparison.Ordinal)}\""));
    }
}
