using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Parley.Data;
using Parley.Server.Infrastructure.Errors;

namespace Parley.Server.Infrastructure.Auth;

/// <summary>
/// The dashboard's session: an HttpOnly, SameSite=Strict cookie holding the user id, their security stamp and a
/// per-session anti-forgery token. <see cref="ApiKeyAuthenticationHandler"/> accepts it when a request carries no
/// bearer token; unsafe methods must also send the token as <see cref="CsrfHeader"/> and, when the browser says where
/// they come from, come from this server's own origin.
/// </summary>
public static class DashboardSession
{
    public const string Scheme = "Session";
    public const string CookieName = "parley_session";
    public const string CsrfHeader = "X-CSRF-Token";
    public const string UserIdClaim = "uid";
    public const string StampClaim = "stamp";
    public const string CsrfClaim = "csrf";

    /// <summary>A session's principal; a renewed session keeps its <paramref name="csrfToken"/>, a new one gets a fresh token.</summary>
    public static ClaimsPrincipal Principal(string userId, string securityStamp, string? csrfToken = null) => new(new ClaimsIdentity(
        [
            new Claim(UserIdClaim, userId),
            new Claim(StampClaim, securityStamp),
            new Claim(CsrfClaim, csrfToken ?? Base64Url(RandomNumberGenerator.GetBytes(32))),
        ], Scheme));

    /// <summary>
    /// The caller behind the session cookie, or null when there is none. Role and workspace are read from the database
    /// on every request, so a role change, a removal or "sign out everywhere" (a new security stamp) applies at once.
    /// </summary>
    internal static async Task<SessionCheck?> AuthenticateAsync(HttpContext http)
    {
        var session = await http.AuthenticateAsync(Scheme);
        if (!session.Succeeded || session.Principal.FindFirstValue(UserIdClaim) is not { } userId)
        {
            return null;
        }
        var db = http.RequestServices.GetRequiredService<ParleyDbContext>();
        var user = await db.Users.AsNoTracking()
            .Where(u => u.Id == userId)
            .Select(u => new { u.WorkspaceId, u.Role, u.SecurityStamp })
            .FirstOrDefaultAsync(http.RequestAborted);
        if (user is null || user.SecurityStamp != session.Principal.FindFirstValue(StampClaim))
        {
            return new SessionCheck(null, ErrorCodes.InvalidSession, "The session has ended (signed out everywhere, or the account was removed); sign in again.");
        }
        if (!IsSafe(http.Request.Method) && RejectForgery(http, session.Principal) is { } reason)
        {
            return new SessionCheck(null, ErrorCodes.CsrfRejected, reason);
        }
        return new SessionCheck(new SessionUser(userId, user.WorkspaceId, user.Role), null, null);
    }

    public static string? CsrfTokenOf(ClaimsPrincipal principal) => principal.FindFirstValue(CsrfClaim);

    private static string? RejectForgery(HttpContext http, ClaimsPrincipal principal)
    {
        var origin = http.Request.Headers.Origin.ToString();
        if (origin.Length > 0 && !string.Equals(origin, $"{http.Request.Scheme}://{http.Request.Host}", StringComparison.OrdinalIgnoreCase))
        {
            return $"A request signed in with the session cookie must come from this server's own pages, not from {origin}.";
        }
        var expected = CsrfTokenOf(principal) ?? "";
        var sent = http.Request.Headers[CsrfHeader].ToString();
        return sent.Length > 0 && CryptographicOperations.FixedTimeEquals(
            System.Text.Encoding.UTF8.GetBytes(sent), System.Text.Encoding.UTF8.GetBytes(expected))
            ? null
            : $"Send the session's csrf_token (from GET /v1/auth/me) as the {CsrfHeader} header on every change made with the session cookie.";
    }

    private static bool IsSafe(string method) => HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method);

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

/// <summary>Who the session cookie speaks for.</summary>
internal sealed record SessionUser(string UserId, string WorkspaceId, string Role);

/// <summary>A session that was valid (<see cref="User"/>), or the reason it was refused.</summary>
internal sealed record SessionCheck(SessionUser? User, string? FailureCode, string? FailureDetail);
