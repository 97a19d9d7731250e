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
        services.AddDbContext<ParleyDbContext>((sp, options) =>
            Configure(options.AddInterceptors(sp.GetServices<IInterceptor>()), provider, connectionString),
            contextLifetime: ServiceLifetime.Scoped, optionsLifetime: ServiceLifetime.Singleton);
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
