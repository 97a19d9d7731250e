using Parley.Data.Entities;

namespace Parley.Server.Features.Accounts;

/// <summary>A person of the workspace. The password and security fields never leave the server.</summary>
public sealed record UserResponse(
    string Id, string Email, string? Name, string Role, DateTimeOffset CreatedAt, DateTimeOffset? LastSignInAt, bool TwoFactorEnabled)
{
    public static UserResponse From(User u) => new(u.Id, u.Email ?? "", u.Name, u.Role, u.CreatedAt, u.LastSignInAt, u.TwoFactorEnabled);
}

/// <summary>
/// The signed-in user, their workspace and scopes, and the token the dashboard sends as <c>X-CSRF-Token</c> on every
/// POST, PUT, PATCH and DELETE it makes with the session cookie.
/// </summary>
public sealed record SessionResponse(UserResponse User, string WorkspaceId, string WorkspaceName, IReadOnlyList<string> Scopes, string CsrfToken);

/// <summary>Whether the workspace still waits for its first owner (<c>/app/setup</c>).</summary>
public sealed record SetupStatusResponse(bool SetupRequired);

/// <summary>The first owner's account, with the token from the setup link the server wrote on its first start.</summary>
public sealed record SetupRequest(string? SetupToken = null, string? Email = null, string? Password = null, string? Name = null);

/// <summary>
/// Email and password; for an account with two-factor sign-in on, also the authenticator's current code or one of the
/// recovery codes.
/// </summary>
public sealed record SignInRequest(string? Email = null, string? Password = null, string? TwoFactorCode = null, string? RecoveryCode = null);

/// <summary>Joins a workspace through an invitation link's token.</summary>
public sealed record AcceptInvitationRequest(string? Token = null, string? Password = null, string? Name = null);

/// <summary>Asks for a password reset link by email (sent only when SMTP is configured and the address has an account).</summary>
public sealed record PasswordResetRequest(string? Email = null);

/// <summary>Sets a new password with the token from a reset link.</summary>
public sealed record PasswordResetConfirmRequest(string? Token = null, string? Password = null);

/// <summary>A reset link to hand to the user; valid for a day and once.</summary>
public sealed record PasswordResetLinkResponse(string Url, DateTimeOffset ExpiresAt);

public sealed record UpdateUserRequest(string? Role = null, string? Name = null);

public sealed record CreateInvitationRequest(string? Email = null, string? Role = null);

/// <summary>
/// An invitation. <c>url</c> (the link that accepts it) is shown once, in the response that creates it; <c>emailed</c>
/// says whether it was also sent to the address over SMTP.
/// </summary>
public sealed record InvitationResponse(
    string Id, string Email, string Role, string Status, string InvitedBy, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt,
    DateTimeOffset? AcceptedAt, string? Url = null, bool? Emailed = null)
{
    public static InvitationResponse From(Invitation i, DateTimeOffset now) => new(
        i.Id, i.Email, i.Role, StatusOf(i, now), i.InvitedBy, i.CreatedAt, i.ExpiresAt, i.AcceptedAt);

    private static string StatusOf(Invitation i, DateTimeOffset now) =>
        i.AcceptedAt is not null ? "accepted" : i.RevokedAt is not null ? "revoked" : i.ExpiresAt <= now ? "expired" : "pending";
}
