namespace Parley.Server.Infrastructure.Cluster;

/// <summary>Messages between the nodes that share a database: every node receives what any node publishes.</summary>
public interface IClusterBus
{
    Task PublishAsync(string message, CancellationToken cancellationToken);

    /// <summary>Calls <paramref name="received"/> for each message published by any node (this one included) until stopped.</summary>
    Task ListenAsync(Action<string> received, CancellationToken stoppingToken);
}

/// <summary>One node on SQLite: nobody to tell.</summary>
public sealed class LocalOnlyBus : IClusterBus
{
    public Task PublishAsync(string message, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task ListenAsync(Action<string> received, CancellationToken stoppingToken) => Task.Delay(Timeout.Infinite, stoppingToken);
}
