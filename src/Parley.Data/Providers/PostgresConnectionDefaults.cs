using System.Data.Common;
using Npgsql;

namespace Parley.Data.Providers;

/// <summary>
/// What Parley adds to a PostgreSQL connection string that does not say otherwise. Npgsql's automatic preparation keeps
/// the statements a connection runs most often prepared on the server, across the pool's reuse of the connection, so
/// PostgreSQL parses and plans a turn's statements once rather than at every turn (bench/README.md: about a quarter less
/// of PostgreSQL's CPU per turn). Set <c>Max Auto Prepare=0</c> behind a pooler that cannot keep prepared statements
/// (PgBouncer in transaction mode before 1.21).
/// </summary>
public static class PostgresConnectionDefaults
{
    /// <summary>How many statements each connection keeps prepared: a turn's, with room for the dashboard's.</summary>
    public const int MaxAutoPrepare = 20;

    public static string Apply(string connectionString)
    {
        // Npgsql's own builder answers every keyword it knows as present, so what was given is read from the string.
        var given = new DbConnectionStringBuilder { ConnectionString = connectionString };
        if (given.ContainsKey("Max Auto Prepare") || given.ContainsKey(nameof(NpgsqlConnectionStringBuilder.MaxAutoPrepare)))
        {
            return connectionString;
        }
        return new NpgsqlConnectionStringBuilder(connectionString) { MaxAutoPrepare = MaxAutoPrepare }.ConnectionString;
    }
}
