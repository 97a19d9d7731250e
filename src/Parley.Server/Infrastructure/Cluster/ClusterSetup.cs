using Parley.Data;
using Parley.Server.Infrastructure.Persistence;
using StackExchange.Redis;

namespace Parley.Server.Infrastructure.Cluster;

/// <summary>
/// What the nodes sharing a database tell each other: Redis when <c>ConnectionStrings:Redis</c> is set, otherwise
/// PostgreSQL's LISTEN/NOTIFY, and nothing on SQLite (one node).
/// </summary>
public static class ClusterSetup
{
    public static IServiceCollection AddCluster(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<CacheEvictions>();
        services.AddHostedService<ClusterMessaging>();
        if (configuration.GetConnectionString("Redis") is { Length: > 0 } redis)
        {
            services.AddSingleton<IConnectionMultiplexer>(_ => ConnectRedis(redis));
            services.AddSingleton<RedisAvailability>();
            services.AddSingleton<IClusterBus, RedisClusterBus>();
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
