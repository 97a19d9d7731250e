using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Parley.Data;
using Parley.Server.Infrastructure.Cluster;

namespace Parley.Server.Features.Notifications;

/// <summary>A workspace's notification addresses, cached like webhook subscriptions and evicted when they change.</summary>
public sealed class NotificationRecipients(IMemoryCache cache, CacheEvictions evictions)
{
    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(30);

    public async Task<IReadOnlyList<string>> ForWorkspaceAsync(ParleyDbContext db, string workspaceId, CancellationToken cancellationToken)
    {
        if (cache.TryGetValue(Key(workspaceId), out IReadOnlyList<string>? cached) && cached is not null)
        {
            return cached;
        }
        var emails = await db.Workspaces.AsNoTracking().Where(w => w.Id == workspaceId).Select(w => w.NotificationEmails).FirstOrDefaultAsync(cancellationToken);
        IReadOnlyList<string> result = emails ?? [];
        cache.Set(Key(workspaceId), result, CacheFor);
        return result;
    }

    public void Evict(string workspaceId) => evictions.Evict(Key(workspaceId));

    private static string Key(string workspaceId) => "notify:" + workspaceId;
}
