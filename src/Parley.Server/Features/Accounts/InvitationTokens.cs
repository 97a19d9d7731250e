using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Parley.Data;
using Parley.Data.Entities;
using Parley.Engine.Keys;

namespace Parley.Server.Features.Accounts;

/// <summary>The tokens of invitation links (<c>inv_…</c>), stored only as SHA-256 hashes.</summary>
public static class InvitationTokens
{
    public const string Prefix = "invt_";

    public static string Generate() =>
        Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static byte[] Hash(string token) => ApiKeyToken.Hash(token);

    /// <summary>The pending, unexpired invitation of <paramref name="token"/>, tracked for update; null otherwise.</summary>
    public static async Task<Invitation?> FindPendingAsync(ParleyDbContext db, string? token, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(token) || !token.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }
        var hash = Hash(token);
        // The link is the credential: no workspace is known yet, so look across them by the token's hash.
        var invitation = await db.Invitations.IgnoreQueryFilters().FirstOrDefaultAsync(i => i.TokenHash == hash, cancellationToken);
        return invitation is { AcceptedAt: null, RevokedAt: null } && invitation.ExpiresAt > now ? invitation : null;
    }
}
