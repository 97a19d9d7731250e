using System.Data.Common;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Parley.Server.Tests.Infrastructure;

/// <summary>
/// Makes the database unreachable for writes while <see cref="Down"/> is set, the way a stopped PostgreSQL looks to
/// Npgsql: every insert fails with a broken connection, and so does the rollback that follows it.
/// </summary>
public sealed class DatabaseOutage : DbCommandInterceptor, IDbTransactionInterceptor
{
    private volatile bool _down;

    public bool Down
    {
        get => _down;
        set => _down = value;
    }

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        FailIfDown(command);
        return base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
    }

    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        FailIfDown(command);
        return base.NonQueryExecutingAsync(command, eventData, result, cancellationToken);
    }

    public ValueTask<InterceptionResult> TransactionRollingBackAsync(
        DbTransaction transaction, TransactionEventData eventData, InterceptionResult result, CancellationToken cancellationToken = default) =>
        Down ? throw Broken() : ValueTask.FromResult(result);

    private void FailIfDown(DbCommand command)
    {
        if (Down && command.CommandText.Contains("INSERT", StringComparison.OrdinalIgnoreCase))
        {
            throw Broken();
        }
    }

    private static NpgsqlException Broken() => new("Exception while reading from stream", new IOException("Connection reset by peer"));
}

/// <summary>A server whose database can be taken away and given back (<see cref="Outage"/>).</summary>
public sealed class ParleyAppWithOutage : ParleyApp
{
    public DatabaseOutage Outage { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddSingleton<IInterceptor>(Outage));
    }
}
