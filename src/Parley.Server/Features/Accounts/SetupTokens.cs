using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace Parley.Server.Features.Accounts;

/// <summary>
/// The token of the first-run setup link (<c>setup_…</c>): the workspace id sealed with ASP.NET Data Protection, so
/// any node can check it. It is good only while the workspace has no user, which makes it one-time.
/// </summary>
public sealed class SetupTokens(IDataProtectionProvider protection, TimeProvider time)
{
    public const string Prefix = "setup_";
    private static readonly TimeSpan Lifetime = TimeSpan.FromDays(30);
    private readonly ITimeLimitedDataProtector _protector = protection.CreateProtector("Parley.Setup.v1").ToTimeLimitedDataProtector();

    public string Issue(string workspaceId) => Prefix + _protector.Protect(workspaceId, time.GetUtcNow() + Lifetime);

    /// <summary>The workspace the token sets up, or null when it is not a valid, unexpired setup token.</summary>
    public string? Read(string? token)
    {
        if (token is null || !token.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }
        try
        {
            var workspaceId = _protector.Unprotect(token[Prefix.Length..], out var expires);
            return expires > time.GetUtcNow() ? workspaceId : null;
        }
        catch (CryptographicException)
        {
            return null;
        }
    }
}
