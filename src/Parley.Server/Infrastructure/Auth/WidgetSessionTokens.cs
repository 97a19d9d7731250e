using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;

namespace Parley.Server.Infrastructure.Auth;

/// <summary>Who a widget session token speaks for, and the publishable key that opened it.</summary>
public sealed record WidgetSession(string WorkspaceId, string BotId, string ContactId, string KeyId);

/// <summary>
/// Issues and reads widget session tokens (<c>wst_…</c>): the session is sealed into the token with ASP.NET Data
/// Protection (authenticated encryption, keys stored in the database so every node can read them), so sessions
/// need no table and no lookup.
/// </summary>
public sealed class WidgetSessionTokens(IDataProtectionProvider protection, IOptions<ApiKeyOptions> options, TimeProvider time)
{
    public const string Prefix = "wst_";
    private readonly ITimeLimitedDataProtector _protector =
        protection.CreateProtector("Parley.WidgetSession.v1").ToTimeLimitedDataProtector();

    public string Issue(WidgetSession session)
    {
        var payload = string.Join('\n', session.WorkspaceId, session.BotId, session.ContactId, session.KeyId);
        return Prefix + _protector.Protect(payload, time.GetUtcNow() + options.Value.WidgetSessionLifetime);
    }

    public WidgetSession? Read(string token)
    {
        if (!token.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }
        try
        {
            var parts = _protector.Unprotect(token[Prefix.Length..], out var expires).Split('\n');
            return parts.Length == 4 && expires > time.GetUtcNow() ? new WidgetSession(parts[0], parts[1], parts[2], parts[3]) : null;
        }
        catch (CryptographicException)
        {
            return null;
        }
    }
}
