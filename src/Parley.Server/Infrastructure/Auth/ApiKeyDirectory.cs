using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Parley.Data;
using Parley.Engine.Keys;
using Parley.Server.Infrastructure.Cluster;

namespace Parley.Server.Infrastructure.Auth;

/// <summary>
/// Finds the key for a token by its SHA-256 hash. Lookups are cached for a short time so a busy key costs no
/// query per request; revoking a key evicts it here at once and on the other nodes as soon as they hear of it (within
/// <see cref="CacheFor"/> at worst, when the message between nodes is lost).
/// </summary>
public sealed class ApiKeyDirectory(IServiceScopeFactory scopes, IMemoryCache cache, CacheEvictions evictions)
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan CacheMissesFor = TimeSpan.FromSeconds(5);

    public async ValueTask<ResolvedApiKey?> FindAsync(string token, CancellationToken cancellationToken)
    {
        var hash = ApiKeyToken.Hash(token);
        var cacheKey = CacheKey(hash);
        if (cache.TryGetValue(cacheKey, out ResolvedApiKey? cached))
        {
            return cached;
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ParleyDbContext>();
        var row = await db.ApiKeys.IgnoreQueryFilters()
            .AsNoTracking()
            .Where(k => k.TokenHash == hash && k.RevokedAt == null)
            .Select(k => new ResolvedApiKey(k.Id, k.WorkspaceId, k.Kind, k.TokenHash, k.Scopes, k.AllowedOrigins, k.BotId))
            .FirstOrDefaultAsync(cancellationToken);

        // The index found the row by hash; compare in constant time anyway so that nothing depends on timing.
        var found = row is not null && CryptographicOperations.FixedTimeEquals(row.TokenHash, hash) ? row : null;
        cache.Set(cacheKey, found, found is null ? CacheMissesFor : CacheFor);
        return found;
    }

    /// <summary>Whether the key is still valid (not revoked); widget sessions live only as long as their publishable key.</summary>
    public async ValueTask<bool> IsActiveAsync(string keyId, CancellationToken cancellationToken)
    {
        var cacheKey = "apikey-active:" + keyId;
        if (cache.TryGetValue(cacheKey, out bool active))
        {
            return active;
        }
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ParleyDbContext>();
        active = await db.ApiKeys.IgnoreQueryFilters().AnyAsync(k => k.Id == keyId && k.RevokedAt == null, cancellationToken);
        cache.Set(cacheKey, active, CacheFor);
        return active;
    }

    /// <summary>Forgets what is cached about a key, after it was revoked.</summary>
    public void Evict(Parley.Data.Entities.ApiKey key)
    {
        evictions.Evict(CacheKey(key.TokenHash));
        evictions.Evict("apikey-active:" + key.Id);
    }

    private static string CacheKey(byte[] hash) => "apikey:" + Convert.ToHexString(hash);
}
