using Parley.Data.Knowledge;
using Parley.Server.Infrastructure.Cluster;

namespace Parley.Server.Features.Knowledge;

/// <summary>
/// Drops a bot's vectors from this node's <see cref="KnowledgeVectorCache"/> and tells the other nodes to drop theirs
/// (over Redis, or PostgreSQL's LISTEN/NOTIFY), after its chunks or vectors changed: the cache has no expiry, so a node
/// that missed the change would otherwise keep searching the old knowledge.
/// </summary>
public sealed class KnowledgeVectorEvictions
{
    private const string Announcement = "vectors";

    private readonly KnowledgeVectorCache _vectors;
    private readonly ClusterAnnouncements _cluster;

    public KnowledgeVectorEvictions(KnowledgeVectorCache vectors, ClusterAnnouncements cluster)
    {
        _vectors = vectors;
        _cluster = cluster;
        cluster.On(Announcement, vectors.Invalidate);
    }

    public void Evict(string botId)
    {
        _vectors.Invalidate(botId);
        _cluster.Announce(Announcement, botId);
    }
}
