namespace Parley.Server.Infrastructure.Cluster;

/// <summary>Messages between the nodes that share a database: every node receives what any node publishes.</summary>
public interface IClusterBus
{
    /// <summary>The name shown by the status page: <c>redis</c>, <c>postgres</c> or <c>none</c>.</summary>
    string Name { get; }

    Task PublishAsync(string message, CancellationToken cancellationToken);

    /// <summary>Calls <paramref name="received"/> for each message published by any node (this one included) until stopped.</summary>
    Task ListenAsync(Action<string> received, CancellationToken stoppingToken);
}

/// <summary>One node on SQLite: nobody to tell.</summary>
public sealed class LocalOnlyBus : IClusterBus
{
    public string Name => "none";

    public Task PublishAsync(string message, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task ListenAsync(Action<string> received, CancellationToken stoppingToken) => Task.Delay(Timeout.Infinite, stoppingToken);
}
