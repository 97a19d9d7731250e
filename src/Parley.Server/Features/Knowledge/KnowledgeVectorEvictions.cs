using Parley.Data.Knowledge;
using Parley.Server.Infrastructure.Cluster;

namespace Parley.Server.Features.Knowledge;

/// <summary>
/// Drops a bot's vectors from the <see cref="KnowledgeVectorCache"/> of every node after its chunks or vectors
/// changed: the cache has no expiry, so a node that missed the change would otherwise keep searching the old knowledge.
/// </summary>
public sealed class KnowledgeVectorEvictions(KnowledgeVectorCache vectors, ClusterAnnouncements cluster)
    : ClusterEvictions("vectors", vectors.Invalidate, cluster);
