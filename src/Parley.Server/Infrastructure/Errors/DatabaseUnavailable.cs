using System.Net.Sockets;
using Npgsql;

namespace Parley.Server.Infrastructure.Errors;

/// <summary>
/// Recognises a failure to reach PostgreSQL (stopped, restarting, refusing connections, or the connection cut
/// mid-request), as opposed to a query the database refused. Such a request is answered <c>503</c> with
/// <c>Retry-After</c>; its transaction never committed, so nothing of it was written, and the next request opens a
/// fresh connection, so the server recovers by itself once the database is back.
/// </summary>
internal static class DatabaseUnavailable
{
    /// <summary>Seconds a client should wait before retrying.</summary>
    public const int RetryAfterSeconds = 5;

    public static bool Is(Exception exception)
    {
        for (var inner = exception; inner is not null; inner = inner.InnerException)
        {
            switch (inner)
            {
                case PostgresException postgres:
                    return IsConnectionState(postgres.SqlState);
                // Npgsql's own errors (not the server's) are about the connection: refused, reset, timed out.
                case NpgsqlException npgsql when npgsql.IsTransient || npgsql.InnerException is SocketException or IOException or TimeoutException:
                    return true;
                // EF Core reports a command on a connection Npgsql has just found broken this way.
                case InvalidOperationException when inner.InnerException is NpgsqlException:
                    continue;
            }
        }
        return false;
    }

    // 08: connection exceptions; 57P01–57P03: the server is shutting down, crashed or still starting; 53300: full.
    private static bool IsConnectionState(string sqlState) =>
        sqlState.StartsWith("08", StringComparison.Ordinal)
        || sqlState is PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown or PostgresErrorCodes.CannotConnectNow
            or PostgresErrorCodes.TooManyConnections;
}
