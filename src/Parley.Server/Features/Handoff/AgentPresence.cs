using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Parley.Data;
using Parley.Engine.Keys;
using Parley.Server.Infrastructure.Auth;

namespace Parley.Server.Features.Handoff;

/// <summary>
/// Who can take a conversation now. An agent is a secret key with the <c>agent</c> scope (or an unscoped key used on an
/// agent endpoint); it is available when it was used within <see cref="HandoffOptions.AgentOnlineWindow"/>: seen on
/// this node (any agent endpoint, an open stream) or, for other nodes, by the key's stored last-used time.
/// </summary>
public sealed class AgentPresence(IOptions<HandoffOptions> options, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, (string WorkspaceId, DateTimeOffset SeenAt)> _seen = new(StringComparer.Ordinal);

    public void Seen(Caller caller)
    {
        if (caller.Kind == CallerKind.SecretKey && caller.KeyId is { } keyId)
        {
            _seen[keyId] = (caller.WorkspaceId, time.GetUtcNow());
        }
    }

    /// <summary>How many agents of the workspace are available now.</summary>
    public async Task<int> CountAsync(ParleyDbContext db, string workspaceId, CancellationToken cancellationToken)
    {
        var since = time.GetUtcNow() - options.Value.AgentOnlineWindow;
        var online = _seen.Where(s => s.Value.WorkspaceId == workspaceId && s.Value.SeenAt >= since).Select(s => s.Key).ToHashSet();
        var recent = await db.ApiKeys.AsNoTracking()
            .Where(k => k.Kind == ApiKeyKind.Secret && k.RevokedAt == null && k.LastUsedAt != null && k.LastUsedAt >= since)
            .Select(k => new { k.Id, k.Scopes })
            .ToListAsync(cancellationToken);
        foreach (var key in recent.Where(k => k.Scopes.Contains(Scopes.Agent)))
        {
            online.Add(key.Id);
        }
        return online.Count;
    }
}
