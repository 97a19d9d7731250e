using Parley.Engine.Ids;

namespace Parley.Server.Infrastructure.Cluster;

/// <summary>
/// Sends this node's <see cref="ClusterAnnouncements"/> over the bus and hands the other nodes' to their handlers. A
/// message is <c>{kind} {node} {payload}</c>; a node ignores its own, which it acted on already.
/// </summary>
public sealed class ClusterMessaging(IClusterBus bus, ClusterAnnouncements announcements, ILogger<ClusterMessaging> logger) : BackgroundService
{
    private readonly string _node = IdGenerator.Default.New("node");

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(PublishAsync(stoppingToken), ListenAsync(stoppingToken));

    private async Task PublishAsync(CancellationToken stoppingToken)
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
        if (message.Split(' ', 3) is [var kind, var from, var payload] && from != _node)
        {
            announcements.Received(kind, payload);
        }
    }
}
