using System.Threading.Channels;
using Microsoft.Extensions.Caching.Memory;

namespace Parley.Server.Infrastructure.Cluster;

/// <summary>
/// Removes an entry from this node's memory cache and tells the other nodes to remove it too, through the
/// <see cref="IClusterBus"/> (Redis, or PostgreSQL's LISTEN/NOTIFY). Called after the change is committed, so a node that
/// reloads the entry reads the new state. Telling the others never delays the request: a message lost while the bus is
/// down leaves them with the entry until it expires (at most 30 seconds for every cache that uses this).
/// </summary>
public sealed class CacheEvictions(IMemoryCache cache)
{
    private readonly Channel<string> _outgoing = Channel.CreateBounded<string>(
        new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

    public void Evict(string key)
    {
        cache.Remove(key);
        _outgoing.Writer.TryWrite(key);
    }

    /// <summary>An eviction another node announced.</summary>
    internal void EvictAnnounced(string key) => cache.Remove(key);

    internal ChannelReader<string> Outgoing => _outgoing.Reader;
}
