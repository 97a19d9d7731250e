using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Parley.Data;
using Parley.Server.Infrastructure.Cluster;

namespace Parley.Server.Features.Webhooks;

/// <summary>
/// The enabled endpoints of a workspace and the event types they take, cached so that recording an event costs no
/// query; changes through the API evict the cache at once, on every node (within <see cref="CacheFor"/> at worst).
/// </summary>
public sealed class WebhookSubscriptions(IMemoryCache cache, CacheEvictions evictions)
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(30);

    public sealed record Subscription(string EndpointId, IReadOnlyList<string> Events)
    {
        public bool Wants(string type) => Events.Contains("*") || Events.Contains(type);
    }

    /// <summary>
    /// The workspace's subscriptions. <paramref name="cacheable"/> is false while the same save changes endpoints: what
    /// the database says then is about to be out of date.
    /// </summary>
    public async Task<IReadOnlyList<Subscription>> ForWorkspaceAsync(ParleyDbContext db, string workspaceId, CancellationToken cancellationToken, bool cacheable = true)
    {
        if (cacheable && cache.TryGetValue(Key(workspaceId), out IReadOnlyList<Subscription>? cached) && cached is not null)
        {
            return cached;
        }
        var rows = await db.WebhookEndpoints.IgnoreQueryFilters().AsNoTracking()
            .Where(e => e.WorkspaceId == workspaceId && e.Enabled)
            .Select(e => new { e.Id, e.Events })
            .ToListAsync(cancellationToken);
        IReadOnlyList<Subscription> subscriptions = [.. rows.Select(r => new Subscription(r.Id, r.Events))];
        if (cacheable)
        {
            cache.Set(Key(workspaceId), subscriptions, CacheFor);
        }
        return subscriptions;
    }

    public void Evict(string workspaceId) => evictions.Evict(Key(workspaceId));

    private static string Key(string workspaceId) => "webhooks:" + workspaceId;
}
