using Parley.Data;
using Parley.Server.Features.Status;
using Parley.Server.Infrastructure.Persistence;
using StackExchange.Redis;

namespace Parley.Server.Infrastructure.Cluster;

/// <summary>
/// What the nodes sharing a database tell each other: Redis when <c>ConnectionStrings:Redis</c> is set (with PostgreSQL's
/// LISTEN/NOTIFY behind it while Redis is down), otherwise LISTEN/NOTIFY, and nothing on SQLite (one node).
/// </summary>
public static class ClusterSetup
{
    public static IServiceCollection AddCluster(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<CacheEvictions>();
        services.AddSingleton<ClusterAnnouncements>();
        services.AddHostedService<ClusterMessaging>();
        if (configuration.GetConnectionString("Redis") is { Length: > 0 } redis)
        {
            services.AddSingleton<IConnectionMultiplexer>(_ => ConnectRedis(redis));
            services.AddSingleton<RedisAvailability>();
            services.AddHealthChecks().AddCheck<RedisCheck>("redis", tags: [StatusReport.Tag]);
            services.AddSingleton<RedisClusterBus>();
            services.AddSingleton<IClusterBus>(provider => provider.GetRequiredService<StorageOptions>() switch
            {
                { Provider: DatabaseProvider.Postgres, ConnectionString: { } connectionString } => new FallbackClusterBus(
                    provider.GetRequiredService<RedisClusterBus>(),
                    new PostgresClusterBus(connectionString, provider.GetRequiredService<ILogger<PostgresClusterBus>>()),
                    provider.GetRequiredService<RedisAvailability>()),
                _ => provider.GetRequiredService<RedisClusterBus>(),
            });
        }
        else
        {
            services.AddSingleton<IClusterBus>(provider => provider.GetRequiredService<StorageOptions>() switch
            {
                { Provider: DatabaseProvider.Postgres, ConnectionString: { } connectionString } =>
                    new PostgresClusterBus(connectionString, provider.GetRequiredService<ILogger<PostgresClusterBus>>()),
                _ => new LocalOnlyBus(),
            });
        }
        return services;
    }

    /// <summary>Starts even while Redis is down, and reconnects by itself: the nodes keep serving without it.</summary>
    private static ConnectionMultiplexer ConnectRedis(string connectionString)
    {
        var options = ConfigurationOptions.Parse(connectionString);
        options.AbortOnConnectFail = false;
        options.ClientName ??= "parley";
        return ConnectionMultiplexer.Connect(options);
    }
}
