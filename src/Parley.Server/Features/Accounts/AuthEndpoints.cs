using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Parley.Data;
using Parley.Data.Entities;
using Parley.Engine.Ids;
using Parley.Server.Features.Audit;
using Parley.Server.Infrastructure.Auth;
using Parley.Server.Infrastructure.Errors;
using Parley.Server.Infrastructure.Persistence;

namespace Parley.Server.Features.Accounts;

/// <summary>The dashboard's sessions: first-run setup, sign in and out, the current user, invitations and password resets.</summary>
public static class AuthEndpoints
{
    public static IEndpointRouteBuilder MapAuth(this IEndpointRouteBuilder api)
    {
        var auth = api.MapGroup("/auth").WithTags("Accounts");
        auth.MapGet("/setup", SetupStatus).WithName("GetSetupStatus").WithSummary("Whether the workspace still waits for its first owner");
        auth.MapPost("/setup", Setup).WithName("SetUpOwner").WithSummary("Create the first owner with the one-time setup token")
            .WithDescription("Only with the token from the setup link the server logs and writes to `data/setup-url.txt` on its first start, and only while nobody has an account. Signs the owner in (session cookie).");
        auth.MapPost("/sign-in", SignIn).WithName("SignIn").WithSummary("Sign in with email and password")
            .WithDescription("Sets the session cookie (HttpOnly, SameSite=Strict). With the cookie, `/v1` accepts same-origin requests; changes must also send the returned `csrf_token` as `X-CSRF-Token`. After too many wrong passwords in a row the account is locked for a while (429 `account_locked`). An account with two-factor sign-in on also needs `two_factor_code` (or a `recovery_code`): without it the right password gets 401 `two_factor_required`, with a wrong one 401 `invalid_two_factor_code`.");
        auth.MapPost("/sign-out", (Func<HttpContext, Task<NoContent>>)SignOut).RequireSignedInUser().WithName("SignOut").WithSummary("End this session");
        auth.MapPost("/sign-out-everywhere", SignOutEverywhere).RequireSignedInUser()
            .WithName("SignOutEverywhere").WithSummary("End every session of the signed-in user, on every device");
        auth.MapGet("/me", Me).RequireSignedInUser().WithName("GetSession").WithSummary("The signed-in user, their scopes and the session's csrf_token");
        auth.MapPost("/invitations/accept", AcceptInvitation).WithName("AcceptInvitation")
            .WithSummary("Create an account from an invitation link's token, and sign in");
        auth.MapPost("/password-reset", RequestPasswordReset).WithName("RequestPasswordReset")
            .WithSummary("Email a password reset link")
            .WithDescription("Always answers 202, whether or not the address has an account. The link is emailed only when SMTP is configured; otherwise an owner or admin makes one with `POST /v1/users/{id}/password-reset`.");
        auth.MapPost("/password-reset/confirm", ConfirmPasswordReset).WithName("ConfirmPasswordReset")
            .WithSummary("Set a new password with a reset link's token")
            .WithDescription("Ends every session of the user and lifts a lockout.");
        return api;
    }

    public static async Task<Ok<SetupStatusResponse>> SetupStatus(ParleyDbContext db, CancellationToken cancellationToken) =>
        TypedResults.Ok(new SetupStatusResponse(!await db.Users.AnyAsync(cancellationToken)));

    public static async Task<Created<SessionResponse>> Setup(
        SetupRequest request, HttpContext http, ParleyDbContext db, UserManager<User> users, SetupTokens tokens, AccountSessions sessions,
        AuditLog audit, IdGenerator ids, TimeProvider time, StorageOptions storage, CancellationToken cancellationToken)
    {
        var workspaceId = tokens.Read(request.SetupToken) ?? throw new ApiException(403, ErrorCodes.Forbidden,
            "The setup link is not valid or has expired. Restart the server for a new one (it is logged and written to data/setup-url.txt).");
        if (await db.Users.AnyAsync(u => u.WorkspaceId == workspaceId, cancellationToken))
        {
            throw ApiException.Conflict("This workspace already has an owner: sign in instead.");
        }
        AccountSessions.RequireCredentials(request.Email, request.Password);
        var owner = await CreateUserAsync(users, ids, time, workspaceId, request.Email!, request.Name, Roles.Owner, request.Password!);
        audit.Add(workspaceId, AuditActions.OwnerCreated, owner.Id, owner.Id, owner.Email);
        audit.Add(workspaceId, AuditActions.SignedIn, owner.Id, owner.Id);
        var session = await sessions.SignInAsync(http, owner, cancellationToken);
        File.Delete(Path.Combine(storage.DataDirectory, SetupLinkWriter.FileName));
        return TypedResults.Created("/v1/auth/me", session);
    }

    public static async Task<Ok<SessionResponse>> SignIn(
        SignInRequest request, HttpContext http, UserManager<User> users, AccountSessions sessions, AuditLog audit, TimeProvider time,
        CancellationToken cancellationToken)
    {
        AccountSessions.RequireCredentials(request.Email, request.Password);
        var user = await users.FindByEmailAsync(request.Email!.Trim());
        if (user is null)
        {
            // Hash anyway, so that an unknown address takes as long to refuse as a wrong password.
            users.PasswordHasher.HashPassword(new User { WorkspaceId = "", Role = Roles.Viewer }, request.Password!);
            throw WrongCredentials();
        }
        if (await users.IsLockedOutAsync(user))
        {
            throw Locked(user, time);
        }
        if (!await users.CheckPasswordAsync(user, request.Password!))
        {
            await users.AccessFailedAsync(user);
            var locked = await users.IsLockedOutAsync(user);
            audit.Add(user.WorkspaceId, locked ? AuditActions.LockedOut : AuditActions.SignInFailed, null, user.Id);
            await users.UpdateAsync(user);
            throw locked ? Locked(user, time) : WrongCredentials();
        }
        var secondFactor = user.TwoFactorEnabled ? await TwoFactorSignIn.CheckAsync(users, audit, user, request, time) : null;
        await users.ResetAccessFailedCountAsync(user);
        audit.Add(user.WorkspaceId, AuditActions.SignedIn, user.Id, user.Id, secondFactor);
        return TypedResults.Ok(await sessions.SignInAsync(http, user, cancellationToken));
    }

    public static async Task<NoContent> SignOut(HttpContext http)
    {
        await http.SignOutAsync(DashboardSession.Scheme);
        return TypedResults.NoContent();
    }

    public static async Task<NoContent> SignOutEverywhere(HttpContext http, Caller caller, UserManager<User> users, AuditLog audit)
    {
        var user = await users.FindByIdAsync(caller.UserId!) ?? throw new ApiException(401, ErrorCodes.InvalidSession, "The account no longer exists.");
        audit.Add(user.WorkspaceId, AuditActions.SignedOutEverywhere, user.Id, user.Id);
        // A new security stamp ends every session: each request compares the cookie's stamp with the account's.
        await users.UpdateSecurityStampAsync(user);
        await http.SignOutAsync(DashboardSession.Scheme);
        return TypedResults.NoContent();
    }

    public static async Task<Ok<SessionResponse>> Me(HttpContext http, Caller caller, ParleyDbContext db, AccountSessions sessions, CancellationToken cancellationToken)
    {
        var user = await db.Users.AsNoTracking().FirstAsync(u => u.Id == caller.UserId, cancellationToken);
        var session = await http.AuthenticateAsync(DashboardSession.Scheme);
        return TypedResults.Ok(await sessions.DescribeAsync(user, DashboardSession.CsrfTokenOf(session.Principal!) ?? "", cancellationToken));
    }

    public static async Task<Created<SessionResponse>> AcceptInvitation(
        AcceptInvitationRequest request, HttpContext http, ParleyDbContext db, UserManager<User> users, AccountSessions sessions,
        AuditLog audit, IdGenerator ids, TimeProvider time, CancellationToken cancellationToken)
    {
        var invitation = await InvitationTokens.FindPendingAsync(db, request.Token, time.GetUtcNow(), cancellationToken)
            ?? throw ApiException.Invalid("token", "This invitation link is not valid, has expired, was revoked or was already used. Ask for a new one.");
        AccountSessions.RequireCredentials(invitation.Email, request.Password);
        var user = await CreateUserAsync(users, ids, time, invitation.WorkspaceId, invitation.Email, request.Name, invitation.Role, request.Password!);
        invitation.AcceptedAt = time.GetUtcNow();
        audit.Add(invitation.WorkspaceId, AuditActions.InvitationAccepted, user.Id, invitation.Id, $"{invitation.Email} joined as {invitation.Role}");
        audit.Add(invitation.WorkspaceId, AuditActions.SignedIn, user.Id, user.Id);
        return TypedResults.Created("/v1/auth/me", await sessions.SignInAsync(http, user, cancellationToken));
    }

    public static async Task<Accepted> RequestPasswordReset(
        PasswordResetRequest request, HttpContext http, UserManager<User> users, AccountEmails emails, AccountLinks links,
        CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.Email))
        {
            throw ApiException.Invalid("email", "Enter your email address.");
        }
        if (emails.IsConfigured && await users.FindByEmailAsync(request.Email.Trim()) is { } user)
        {
            var link = links.PasswordReset(http, await PasswordResetTokens.IssueAsync(users, user));
            await emails.TrySendAsync(user.Email!, "Reset your Parley password",
                $"Someone asked to reset the password of your Parley account. If it was you, open this link within a day:\n\n{link}\n\nIf not, ignore this email: your password stays as it is.",
                cancellationToken);
        }
        return TypedResults.Accepted((string?)null);
    }

    public static async Task<NoContent> ConfirmPasswordReset(
        PasswordResetConfirmRequest request, UserManager<User> users, AuditLog audit, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(request.Password))
        {
            throw ApiException.Invalid("password", "Enter a new password.");
        }
        var (user, token) = await PasswordResetTokens.ReadAsync(users, request.Token);
        if (user is null)
        {
            throw InvalidResetToken();
        }
        var result = await users.ResetPasswordAsync(user, token!, request.Password);
        if (!result.Succeeded)
        {
            throw result.Errors.Any(e => e.Code == "InvalidToken") ? InvalidResetToken() : AccountSessions.Invalid(result);
        }
        await users.SetLockoutEndDateAsync(user, null);
        await users.ResetAccessFailedCountAsync(user);
        audit.Add(user.WorkspaceId, AuditActions.PasswordReset, user.Id, user.Id);
        await users.UpdateAsync(user);
        return TypedResults.NoContent();
    }

    internal static async Task<User> CreateUserAsync(
        UserManager<User> users, IdGenerator ids, TimeProvider time, string workspaceId, string email, string? name, string role, string password)
    {
        var trimmedName = name?.Trim();
        if (trimmedName is { Length: > 200 })
        {
            throw ApiException.Invalid("name", "A name may be at most 200 characters.");
        }
        var user = new User
        {
            Id = ids.New(IdPrefix.User),
            WorkspaceId = workspaceId,
            Role = role,
            Email = email.Trim(),
            UserName = email.Trim(),
            Name = string.IsNullOrEmpty(trimmedName) ? null : trimmedName,
            CreatedAt = time.GetUtcNow(),
        };
        var result = await users.CreateAsync(user, password);
        return result.Succeeded ? user : throw AccountSessions.Invalid(result);
    }

    private static ApiException WrongCredentials() =>
        new(401, ErrorCodes.InvalidCredentials, "The email or password is not right.");

    internal static ApiException Locked(User user, TimeProvider time)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling(((user.LockoutEnd ?? time.GetUtcNow()) - time.GetUtcNow()).TotalSeconds));
        return new ApiException(429, ErrorCodes.AccountLocked,
            $"Too many wrong passwords in a row: this account is locked for {Math.Ceiling(seconds / 60.0)} more minute(s). Reset the password to unlock it now.")
        { RetryAfterSeconds = seconds };
    }

    private static ApiException InvalidResetToken() =>
        ApiException.Invalid("token", "This reset link is not valid, has expired or was already used. Ask for a new one.");
}
