namespace Parley.Client.Models;

public sealed record UserResponse(
    string Id, string Email, string? Name, string Role, DateTimeOffset CreatedAt, DateTimeOffset? LastSignInAt, bool TwoFactorEnabled);

public sealed record SessionResponse(UserResponse User, string WorkspaceId, string WorkspaceName, IReadOnlyList<string> Scopes, string CsrfToken);

public sealed record SetupStatusResponse(bool SetupRequired);

public sealed record SetupRequest(string? SetupToken = null, string? Email = null, string? Password = null, string? Name = null);

public sealed record SignInRequest(string? Email = null, string? Password = null, string? TwoFactorCode = null, string? RecoveryCode = null);

public sealed record TwoFactorStatusResponse(bool Enabled, int RecoveryCodesLeft);

public sealed record AuthenticatorSetupResponse(string SharedKey, string AuthenticatorUri, string QrCode);

public sealed record EnableTwoFactorRequest(string? Code = null);

public sealed record PasswordConfirmationRequest(string? Password = null);

public sealed record RecoveryCodesResponse(IReadOnlyList<string> RecoveryCodes);

public sealed record AcceptInvitationRequest(string? Token = null, string? Password = null, string? Name = null);

public sealed record PasswordResetRequest(string? Email = null);

public sealed record PasswordResetConfirmRequest(string? Token = null, string? Password = null);

public sealed record PasswordResetLinkResponse(string Url, DateTimeOffset ExpiresAt);

public sealed record UpdateUserRequest(string? Role = null, string? Name = null);

public sealed record CreateInvitationRequest(string? Email = null, string? Role = null);

public sealed record InvitationResponse(
    string Id, string Email, string Role, string Status, string InvitedBy, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt,
    DateTimeOffset? AcceptedAt, string? Url = null, bool? Emailed = null);

public sealed record AuditEntryResponse(
    string Id, string Action, string? ActorId, string? TargetId, string? Detail, string? IpAddress, DateTimeOffset CreatedAt);

public sealed record WorkspaceResponse(string Id, string Name, IReadOnlyList<string> NotificationEmails, DateTimeOffset CreatedAt);

public sealed record UpdateWorkspaceRequest(string? Name = null, List<string>? NotificationEmails = null);
