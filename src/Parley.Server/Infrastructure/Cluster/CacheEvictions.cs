using Microsoft.Extensions.Caching.Memory;

namespace Parley.Server.Infrastructure.Cluster;

/// <summary>
/// Evicts an entry of this node's memory cache on every node. A message lost while the bus is down leaves the other
/// nodes with the entry until it expires (at most 30 seconds for every cache that uses this).
/// </summary>
public sealed class CacheEvictions(IMemoryCache cache, ClusterAnnouncements cluster)
    : ClusterEvictions("evict", cache.Remove, cluster);
