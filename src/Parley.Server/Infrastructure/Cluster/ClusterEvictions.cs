namespace Parley.Server.Infrastructure.Cluster;

/// <summary>
/// Removes an entry from what this node keeps in memory and tells the other nodes to remove theirs too, as a
/// <see cref="ClusterAnnouncements"/> (over Redis, or PostgreSQL's LISTEN/NOTIFY). Called after the change is committed,
/// so a node that reloads the entry reads the new state. Telling the others never delays the request.
/// </summary>
public abstract class ClusterEvictions
{
    private readonly string _announcement;
    private readonly Action<string> _removeHere;
    private readonly ClusterAnnouncements _cluster;

    protected ClusterEvictions(string announcement, Action<string> removeHere, ClusterAnnouncements cluster)
    {
        _announcement = announcement;
        _removeHere = removeHere;
        _cluster = cluster;
        cluster.On(announcement, removeHere);
    }

    public void Evict(string key)
    {
        _removeHere(key);
        _cluster.Announce(_announcement, key);
    }
}
