using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Parley.Data;
using Parley.Data.Entities;
using Parley.Server.Features.Audit;
using Parley.Server.Infrastructure.Auth;
using Parley.Server.Infrastructure.Errors;

namespace Parley.Server.Features.Accounts;

/// <summary>
/// Optional two-factor sign-in with an authenticator app (TOTP, RFC 6238), on ASP.NET Core Identity's authenticator
/// key and recovery codes. Each change renews the security stamp, which ends the user's other sessions.
/// </summary>
public static class TwoFactorEndpoints
{
    public const int RecoveryCodeCount = 10;

    public static IEndpointRouteBuilder MapTwoFactor(this IEndpointRouteBuilder api)
    {
        var twoFactor = api.MapGroup("/auth/two-factor").WithTags("Accounts").RequireSignedInUser();
        twoFactor.MapGet("/", Status).WithName("GetTwoFactorStatus").WithSummary("Whether the signed-in user has two-factor sign-in on");
        twoFactor.MapPost("/authenticator", SetUpAuthenticator).WithName("SetUpAuthenticator")
            .WithSummary("Start enrolling an authenticator app: a new shared key, its otpauth:// URI and a QR code")
            .WithDescription("Two-factor sign-in stays off until a code from the app is confirmed with `POST /v1/auth/two-factor/enable`. Each call replaces the key. 409 when two-factor sign-in is already on.");
        twoFactor.MapPost("/enable", Enable).WithName("EnableTwoFactor")
            .WithSummary("Confirm a code from the authenticator app and turn two-factor sign-in on")
            .WithDescription("Returns the recovery codes, shown only here. Ends the user's other sessions.");
        twoFactor.MapPost("/disable", Disable).WithName("DisableTwoFactor")
            .WithSummary("Turn two-factor sign-in off, with the account's password")
            .WithDescription("Forgets the authenticator key and the recovery codes. Ends the user's other sessions.");
        twoFactor.MapPost("/recovery-codes", RegenerateRecoveryCodes).WithName("RegenerateRecoveryCodes")
            .WithSummary("Replace the recovery codes, with the account's password; the old ones stop working");
        api.MapDelete("/users/{id}/two-factor", DisableForTeammate).RequireScope(Scopes.UsersWrite).WithTags("Team")
            .WithName("DisableTeammateTwoFactor").WithSummary("Turn off two-factor sign-in for a teammate who lost their authenticator and recovery codes");
        return api;
    }

    public static async Task<Ok<TwoFactorStatusResponse>> Status(Caller caller, UserManager<User> users) =>
        TypedResults.Ok(await StatusOfAsync(users, await SignedInUserAsync(users, caller)));

    public static async Task<Ok<AuthenticatorSetupResponse>> SetUpAuthenticator(HttpContext http, Caller caller, UserManager<User> users)
    {
        var user = await SignedInUserAsync(users, caller);
        if (user.TwoFactorEnabled)
        {
            throw ApiException.Conflict("Two-factor sign-in is already on. Turn it off first to enrol another authenticator.");
        }
        await users.ResetAuthenticatorKeyAsync(user);
        await AccountSessions.RenewAsync(http, user);
        var key = await users.GetAuthenticatorKeyAsync(user) ?? throw new InvalidOperationException("Identity made no authenticator key.");
        var uri = AuthenticatorUri(user.Email!, key);
        return TypedResults.Ok(new AuthenticatorSetupResponse(FormatKey(key), uri, AuthenticatorQrCode.DataUrl(uri)));
    }

    public static async Task<Ok<RecoveryCodesResponse>> Enable(
        EnableTwoFactorRequest request, HttpContext http, Caller caller, UserManager<User> users, AuditLog audit, TimeProvider time)
    {
        var user = await SignedInUserAsync(users, caller);
        if (user.TwoFactorEnabled)
        {
            throw ApiException.Conflict("Two-factor sign-in is already on.");
        }
        if (await users.GetAuthenticatorKeyAsync(user) is null)
        {
            throw ApiException.Invalid("code", "Set up an authenticator first (POST /v1/auth/two-factor/authenticator), then enter the code it shows.");
        }
        if (!await AuthenticatorCodes.AcceptAsync(users, user, request.Code, time))
        {
            throw ApiException.Invalid("code", "That code is not right. Enter the 6-digit code your authenticator app shows now.");
        }
        var codes = await users.GenerateNewTwoFactorRecoveryCodesAsync(user, RecoveryCodeCount) ?? [];
        audit.Add(user.WorkspaceId, AuditActions.TwoFactorEnabled, user.Id, user.Id);
        await users.SetTwoFactorEnabledAsync(user, true);
        await AccountSessions.RenewAsync(http, user);
        return TypedResults.Ok(new RecoveryCodesResponse([.. codes]));
    }

    public static async Task<NoContent> Disable(
        PasswordConfirmationRequest request, HttpContext http, Caller caller, UserManager<User> users, AuditLog audit)
    {
        var user = await SignedInUserAsync(users, caller);
        await RequirePasswordAsync(users, user, request.Password);
        if (user.TwoFactorEnabled)
        {
            await TurnOffAsync(users, user);
            audit.Add(user.WorkspaceId, AuditActions.TwoFactorDisabled, user.Id, user.Id);
            await users.UpdateAsync(user);
            await AccountSessions.RenewAsync(http, user);
        }
        return TypedResults.NoContent();
    }

    public static async Task<Ok<RecoveryCodesResponse>> RegenerateRecoveryCodes(
        PasswordConfirmationRequest request, Caller caller, UserManager<User> users, AuditLog audit)
    {
        var user = await SignedInUserAsync(users, caller);
        await RequirePasswordAsync(users, user, request.Password);
        if (!user.TwoFactorEnabled)
        {
            throw ApiException.Conflict("Two-factor sign-in is off: there are no recovery codes to replace.");
        }
        audit.Add(user.WorkspaceId, AuditActions.RecoveryCodesRegenerated, user.Id, user.Id);
        var codes = await users.GenerateNewTwoFactorRecoveryCodesAsync(user, RecoveryCodeCount) ?? [];
        return TypedResults.Ok(new RecoveryCodesResponse([.. codes]));
    }

    public static async Task<NoContent> DisableForTeammate(string id, ParleyDbContext db, Caller caller, UserManager<User> users, AuditLog audit)
    {
        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == id && u.WorkspaceId == caller.WorkspaceId)
            ?? throw ApiException.NotFound("user", id);
        TeamRules.RequireMayManage(caller, user.Id, user.Role, "turn off two-factor sign-in for");
        if (user.TwoFactorEnabled)
        {
            await TurnOffAsync(users, user);
            audit.Add(caller.WorkspaceId, AuditActions.TwoFactorDisabled, caller.ActorId, user.Id, "by a teammate");
            await users.UpdateAsync(user);
        }
        return TypedResults.NoContent();
    }

    private static async Task TurnOffAsync(UserManager<User> users, User user)
    {
        await users.SetTwoFactorEnabledAsync(user, false);
        await users.RemoveAuthenticationTokenAsync(user, "[AspNetUserStore]", "AuthenticatorKey");
        await users.RemoveAuthenticationTokenAsync(user, "[AspNetUserStore]", "RecoveryCodes");
        await AuthenticatorCodes.ForgetAsync(users, user);
    }

    private static async Task<TwoFactorStatusResponse> StatusOfAsync(UserManager<User> users, User user) =>
        new(user.TwoFactorEnabled, user.TwoFactorEnabled ? await users.CountRecoveryCodesAsync(user) : 0);

    private static async Task<User> SignedInUserAsync(UserManager<User> users, Caller caller) =>
        await users.FindByIdAsync(caller.UserId!) ?? throw new ApiException(401, ErrorCodes.InvalidSession, "The account no longer exists.");

    private static async Task RequirePasswordAsync(UserManager<User> users, User user, string? password)
    {
        if (string.IsNullOrEmpty(password))
        {
            throw ApiException.Invalid("password", "Enter your password.");
        }
        if (!await users.CheckPasswordAsync(user, password))
        {
            throw ApiException.Invalid("password", "The password is not right.");
        }
    }

    private static string AuthenticatorUri(string email, string key) =>
        $"otpauth://totp/Parley:{Uri.EscapeDataString(email)}?secret={key}&issuer=Parley&digits=6";

    /// <summary>The base32 key in groups of four, easier to type into an app by hand.</summary>
    private static string FormatKey(string key) =>
        string.Join(' ', Enumerable.Range(0, (key.Length + 3) / 4).Select(i => key.Substring(i * 4, Math.Min(4, key.Length - i * 4)))).ToLowerInvariant();
}
