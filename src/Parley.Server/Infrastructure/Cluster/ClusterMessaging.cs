using Parley.Engine.Ids;

namespace Parley.Server.Infrastructure.Cluster;

/// <summary>
/// Sends this node's cache evictions and announcements over the bus and applies the other nodes'. A message is
/// <c>evict {node} {cache key}</c> or <c>{kind} {node} {payload}</c>; a node ignores its own, which it applied already.
/// </summary>
public sealed class ClusterMessaging(IClusterBus bus, CacheEvictions evictions, ClusterAnnouncements announcements, ILogger<ClusterMessaging> logger)
    : BackgroundService
{
    private readonly string _node = IdGenerator.Default.New("node");

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(PublishAsync(stoppingToken), AnnounceAsync(stoppingToken), ListenAsync(stoppingToken));

    private async Task AnnounceAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var (kind, payload) in announcements.Outgoing.ReadAllAsync(stoppingToken))
            {
                try
                {
                    await bus.PublishAsync($"{kind} {_node} {payload}", stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    logger.LogWarning(ex, "Could not announce {Kind} to the other nodes; they find out on their own", kind);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task PublishAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var key in evictions.Outgoing.ReadAllAsync(stoppingToken))
            {
                try
                {
                    await bus.PublishAsync($"evict {_node} {key}", stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    logger.LogWarning(ex, "Could not tell the other nodes to evict {Key}; their copy expires on its own", key);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task ListenAsync(CancellationToken stoppingToken)
    {
        try
        {
            await bus.ListenAsync(Receive, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private void Receive(string message)
    {
        var parts = message.Split(' ', 3);
        if (parts is ["evict", var node, var key] && node != _node)
        {
            evictions.EvictAnnounced(key);
        }
        else if (parts is [var kind, var from, var payload] && from != _node)
        {
            announcements.Received(kind, payload);
        }
    }
}
