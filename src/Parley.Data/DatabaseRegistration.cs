using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Parley.Data.Protection;
using Parley.Data.Providers;
using Parley.Data.Tenancy;

namespace Parley.Data;

public static class DatabaseRegistration
{
    public const string SqliteMigrationsAssembly = "Parley.Data.Sqlite";
    public const string PostgresMigrationsAssembly = "Parley.Data.Postgres";

    /// <summary>Registers <see cref="ParleyDbContext"/> on the chosen provider with its migrations.</summary>
    public static IServiceCollection AddParleyDatabase(this IServiceCollection services, DatabaseProvider provider, string connectionString)
    {
        if (provider == DatabaseProvider.Sqlite)
        {
            SqliteStatementJournal.Configure();
        }
        services.AddScoped<WorkspaceScope>();
        // Interceptors registered by features (the webhook outbox) join every context. They are singletons, so the
        // options are built once rather than for every request's context. They come before the provider's own, so that
        // SQLite's write gate is the last to see a save begin: one that throws there cannot leave the gate taken.
        services.AddPooledDbContextFactory<ParleyDbContext>((sp, options) =>
            Configure(options.AddInterceptors(sp.GetServices<IInterceptor>()), provider, connectionString));
        // Each scope (a request, a worker's unit of work) leases a context from the pool, scoped to its workspace, and
        // gives it back when the scope ends: EF's services for the context are built once per pooled context, not once
        // per request.
        services.AddScoped(sp =>
            sp.GetRequiredService<IDbContextFactory<ParleyDbContext>>().CreateDbContext().ForWorkspace(sp.GetRequiredService<WorkspaceScope>()));
        return services;
    }

    public static DbContextOptionsBuilder Configure(DbContextOptionsBuilder options, DatabaseProvider provider, string connectionString) =>
        ConfigureProvider(options.ReplaceService<IModelCacheKeyFactory, ParleyModelCacheKeyFactory>(), provider, connectionString);

    private static DbContextOptionsBuilder ConfigureProvider(DbContextOptionsBuilder options, DatabaseProvider provider, string connectionString) =>
        provider switch
        {
            DatabaseProvider.Sqlite => options
                .UseSqlite(connectionString, b => b.MigrationsAssembly(SqliteMigrationsAssembly))
                .AddInterceptors(SqliteConnectionPragmas.Instance, SqliteWriteGate.Instance),
            DatabaseProvider.Postgres => options
                .UseNpgsql(PostgresConnectionDefaults.Apply(connectionString), b => b.MigrationsAssembly(PostgresMigrationsAssembly)),
            _ => throw new ArgumentOutOfRangeException(nameof(provider)),
        };
}
