using Microsoft.Extensions.Caching.Memory;

namespace Parley.Server.Infrastructure.Cluster;

/// <summary>
/// Removes an entry from this node's memory cache and tells the other nodes to remove it too, as a
/// <see cref="ClusterAnnouncements"/> (over Redis, or PostgreSQL's LISTEN/NOTIFY). Called after the change is committed,
/// so a node that reloads the entry reads the new state. Telling the others never delays the request: a message lost
/// while the bus is down leaves them with the entry until it expires (at most 30 seconds for every cache that uses this).
/// </summary>
public sealed class CacheEvictions
{
    private const string Announcement = "evict";

    private readonly IMemoryCache _cache;
    private readonly ClusterAnnouncements _cluster;

    public CacheEvictions(IMemoryCache cache, ClusterAnnouncements cluster)
    {
        _cache = cache;
        _cluster = cluster;
        cluster.On(Announcement, cache.Remove);
    }

    public void Evict(string key)
    {
        _cache.Remove(key);
        _cluster.Announce(Announcement, key);
    }
}
