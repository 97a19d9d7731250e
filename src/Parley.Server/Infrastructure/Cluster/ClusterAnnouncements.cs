using System.Collections.Concurrent;
using System.Threading.Channels;

namespace Parley.Server.Infrastructure.Cluster;

/// <summary>
/// Tells the other nodes that something happened here: a cache entry to evict, a conversation event committed that
/// their live streams should wake for, a typing signal. Each kind of announcement has one handler on every node; a node
/// does not hear its own. Sending never delays the caller, and an announcement lost while the bus is down only leaves
/// the other nodes to find out on their own (caches expire, streams poll). With one node (SQLite) nothing is sent. A
/// handler is registered when its owner is first built: until then this node holds nothing a message could be about.
/// </summary>
public sealed class ClusterAnnouncements(IClusterBus bus)
{
    private readonly Channel<(string Kind, string Payload)> _outgoing = Channel.CreateBounded<(string, string)>(
        new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
    private readonly ConcurrentDictionary<string, Action<string>> _handlers = new(StringComparer.Ordinal);

    /// <summary>Sends <paramref name="payload"/> (no line breaks) to the other nodes' handler of <paramref name="kind"/>.</summary>
    public void Announce(string kind, string payload)
    {
        if (bus is not LocalOnlyBus)
        {
            _outgoing.Writer.TryWrite((kind, payload));
        }
    }

    /// <summary>Handles what other nodes announce of <paramref name="kind"/> (one word).</summary>
    public void On(string kind, Action<string> handler) => _handlers[kind] = handler;

    internal ChannelReader<(string Kind, string Payload)> Outgoing => _outgoing.Reader;

    internal void Received(string kind, string payload)
    {
        if (_handlers.TryGetValue(kind, out var handler))
        {
            handler(payload);
        }
    }
}
