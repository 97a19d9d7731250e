using System.Diagnostics;
using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Parley.Data.Tenancy;
using Parley.Engine.Keys;
using Parley.Server.Infrastructure.Errors;

namespace Parley.Server.Infrastructure.Auth;

/// <summary>
/// Authenticates <c>Authorization: Bearer</c> with a secret key, a publishable key (from an allowed origin only) or a
/// widget session token, then scopes the request to the credential's workspace.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiKeyDirectory directory,
    ApiKeyUsage usage,
    WidgetSessionTokens sessions) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    private const string FailureKey = "parley.auth.failure";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var started = Stopwatch.GetTimestamp();
        var token = BearerToken(Request.Headers.Authorization.ToString());
        var caller = Context.RequestServices.GetRequiredService<Caller>();
        if (token is null)
        {
            // Without a bearer token, the dashboard's session cookie may speak for a signed-in user.
            switch (await DashboardSession.AuthenticateAsync(Context))
            {
                case null:
                    return AuthenticateResult.NoResult();
                case { User: { } user }:
                    caller.SetUser(user.WorkspaceId, user.UserId, user.Role, Roles.ScopesOf(user.Role));
                    break;
                case var refused:
                    return Fail(refused.FailureCode!, refused.FailureDetail!);
            }
        }
        else if (token.StartsWith(WidgetSessionTokens.Prefix, StringComparison.Ordinal))
        {
            if (sessions.Read(token) is not { } session)
            {
                return Fail(ErrorCodes.InvalidApiKey, "The widget session token is not valid or has expired; open a new session.");
            }
            if (!await directory.IsActiveAsync(session.KeyId, Context.RequestAborted))
            {
                return Fail(ErrorCodes.InvalidApiKey, "The publishable key that opened this widget session has been revoked.");
            }
            caller.SetWidgetSession(session);
        }
        else
        {
            if (ApiKeyToken.KindOf(token) is null || await directory.FindAsync(token, Context.RequestAborted) is not { } key)
            {
                return Fail(ErrorCodes.InvalidApiKey, "The API key is not valid or has been revoked.");
            }
            if (key.Kind == ApiKeyKind.Publishable && !OriginPolicy.Allows(key.AllowedOrigins, Request.Headers.Origin.ToString()))
            {
                return Fail(ErrorCodes.OriginNotAllowed, string.IsNullOrEmpty(Request.Headers.Origin)
                    ? "A publishable key works only from a web page on one of the key's allowed origins; this request has no Origin."
                    : $"The origin {Request.Headers.Origin} is not one of this publishable key's allowed origins.");
            }
            caller.SetKey(key);
            usage.Touch(key.Id);
        }

        Context.RequestServices.GetRequiredService<WorkspaceScope>().Enter(caller.WorkspaceId);
        caller.AuthenticationMilliseconds = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        var identity = new ClaimsIdentity(
            [new Claim("workspace_id", caller.WorkspaceId), new Claim("kind", caller.Kind.ToString())], SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (Context.Items[FailureKey] is (string code, string detail))
        {
            var status = code is ErrorCodes.OriginNotAllowed or ErrorCodes.CsrfRejected ? StatusCodes.Status403Forbidden : StatusCodes.Status401Unauthorized;
            return Problems.WriteAsync(Context, status, code, detail);
        }
        Response.Headers.WWWAuthenticate = "Bearer";
        return Problems.WriteAsync(Context, StatusCodes.Status401Unauthorized, ErrorCodes.MissingApiKey,
            "Send your API key as 'Authorization: Bearer sk_…'.");
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        Problems.WriteAsync(Context, StatusCodes.Status403Forbidden, ErrorCodes.Forbidden, "This credential may not do that.");

    private AuthenticateResult Fail(string code, string detail)
    {
        Context.Items[FailureKey] = (code, detail);
        return AuthenticateResult.Fail(detail);
    }

    private static string? BearerToken(string header)
    {
        const string scheme = "Bearer ";
        if (!header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        var token = header[scheme.Length..].Trim();
        return token.Length == 0 ? null : token;
    }
}
