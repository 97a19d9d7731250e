using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Parley.Data;
using Parley.Engine.Keys;
using Parley.Server.Infrastructure.Auth;

namespace Parley.Server.Features.Handoff;

/// <summary>
/// Who can take a conversation now. An agent is a secret key with the <c>agent</c> scope (or an unscoped key used on an
/// agent endpoint), or a dashboard user whose role answers conversations (agent, admin, owner). It is available when it
/// was active within <see cref="HandoffOptions.AgentOnlineWindow"/>: seen on this node (any agent endpoint, an open
/// stream) or, for other nodes, by the key's stored last-used time or the presence the user's dashboard last reported.
/// A user who set themselves <c>away</c> does not count, whatever they still have open.
/// </summary>
public sealed class AgentPresence(IOptions<HandoffOptions> options, TimeProvider time)
{
    public const string Online = "online";
    public const string Away = "away";

    /// <summary>The roles of people who answer conversations.</summary>
    internal static readonly string[] AnsweringRoles = [Roles.Owner, Roles.Admin, Roles.Agent];

    private readonly ConcurrentDictionary<string, (string WorkspaceId, DateTimeOffset SeenAt)> _seen = new(StringComparer.Ordinal);

    public void Seen(Caller caller)
    {
        var id = caller.Kind switch
        {
            CallerKind.SecretKey => caller.KeyId,
            CallerKind.User => caller.UserId,
            _ => null,
        };
        if (id is not null)
        {
            _seen[id] = (caller.WorkspaceId, time.GetUtcNow());
        }
    }

    /// <summary>
    /// Records what the signed-in user's dashboard reports (online or away), for every node to read; returns when, and
    /// whether the user was available just before.
    /// </summary>
    public async Task<(DateTimeOffset SeenAt, bool WasOnline)> ReportAsync(ParleyDbContext db, Caller caller, string status, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var users = db.Users.Where(u => u.Id == caller.UserId && u.WorkspaceId == caller.WorkspaceId);
        var before = await users.AsNoTracking().Select(u => new { u.Presence, u.PresenceSeenAt }).FirstOrDefaultAsync(cancellationToken);
        var wasOnline = before is not null && IsAvailable(caller.UserId!, caller.WorkspaceId, before.Presence, before.PresenceSeenAt);
        await users.ExecuteUpdateAsync(u => u.SetProperty(x => x.Presence, status).SetProperty(x => x.PresenceSeenAt, now), cancellationToken);
        if (status == Online)
        {
            Seen(caller);
        }
        else
        {
            _seen.TryRemove(caller.UserId!, out _);
        }
        return (now, wasOnline);
    }

    /// <summary>
    /// Whether a user of the workspace is available now, given the presence their dashboard last reported and when: not
    /// away, and reported online within the window or seen on this node within it.
    /// </summary>
    public bool IsAvailable(string userId, string workspaceId, string? reported, DateTimeOffset? reportedAt)
    {
        var since = time.GetUtcNow() - options.Value.AgentOnlineWindow;
        return reported != Away && ((reported == Online && reportedAt >= since)
            || (_seen.TryGetValue(userId, out var seen) && seen.WorkspaceId == workspaceId && seen.SeenAt >= since));
    }

    /// <summary>How many agents of the workspace are available now.</summary>
    public async Task<int> CountAsync(ParleyDbContext db, string workspaceId, CancellationToken cancellationToken) =>
        (await OnlineAsync(db, workspaceId, cancellationToken)).Count;

    /// <summary>The ids of the workspace's agents (user ids and key ids) available now.</summary>
    public async Task<HashSet<string>> OnlineAsync(ParleyDbContext db, string workspaceId, CancellationToken cancellationToken)
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
        var users = await db.Users.AsNoTracking()
            .Where(u => u.WorkspaceId == workspaceId && AnsweringRoles.Contains(u.Role)
                && (u.Presence == Away || (u.Presence == Online && u.PresenceSeenAt >= since)))
            .Select(u => new { u.Id, u.Presence })
            .ToListAsync(cancellationToken);
        foreach (var user in users)
        {
            if (user.Presence == Away)
            {
                online.Remove(user.Id);
            }
            else
            {
                online.Add(user.Id);
            }
        }
        return online;
    }
}
