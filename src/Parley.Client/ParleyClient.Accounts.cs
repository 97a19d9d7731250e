using Parley.Client.Models;

namespace Parley.Client;

public sealed partial class ParleyClient
{
    [ApiOperation("GET", "/v1/auth/setup")]
    public Task<SetupStatusResponse> GetSetupStatusAsync(CancellationToken cancellationToken = default) =>
        GetAsync<SetupStatusResponse>("/v1/auth/setup", cancellationToken);

    [ApiOperation("POST", "/v1/auth/setup")]
    public async Task<SessionResponse> SetUpAsync(SetupRequest request, CancellationToken cancellationToken = default) =>
        Remember(await SendAsync<SetupRequest, SessionResponse>(HttpMethod.Post, "/v1/auth/setup", request, cancellationToken));

    [ApiOperation("POST", "/v1/auth/sign-in")]
    public async Task<SessionResponse> SignInAsync(SignInRequest request, CancellationToken cancellationToken = default) =>
        Remember(await SendAsync<SignInRequest, SessionResponse>(HttpMethod.Post, "/v1/auth/sign-in", request, cancellationToken));

    [ApiOperation("POST", "/v1/auth/sign-out")]
    public async Task SignOutAsync(CancellationToken cancellationToken = default)
    {
        await SendAsync<object>(HttpMethod.Post, "/v1/auth/sign-out", null, cancellationToken);
        CsrfToken = null;
    }

    [ApiOperation("POST", "/v1/auth/sign-out-everywhere")]
    public async Task SignOutEverywhereAsync(CancellationToken cancellationToken = default)
    {
        await SendAsync<object>(HttpMethod.Post, "/v1/auth/sign-out-everywhere", null, cancellationToken);
        CsrfToken = null;
    }

    /// <summary>The signed-in user; remembers the session's csrf_token for the changes that follow.</summary>
    [ApiOperation("GET", "/v1/auth/me")]
    public async Task<SessionResponse> GetSessionAsync(CancellationToken cancellationToken = default) =>
        Remember(await GetAsync<SessionResponse>("/v1/auth/me", cancellationToken));

    [ApiOperation("POST", "/v1/auth/invitations/accept")]
    public async Task<SessionResponse> AcceptInvitationAsync(AcceptInvitationRequest request, CancellationToken cancellationToken = default) =>
        Remember(await SendAsync<AcceptInvitationRequest, SessionResponse>(HttpMethod.Post, "/v1/auth/invitations/accept", request, cancellationToken));

    [ApiOperation("POST", "/v1/auth/password-reset")]
    public Task RequestPasswordResetAsync(PasswordResetRequest request, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, "/v1/auth/password-reset", request, cancellationToken);

    [ApiOperation("POST", "/v1/auth/password-reset/confirm")]
    public Task ConfirmPasswordResetAsync(PasswordResetConfirmRequest request, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, "/v1/auth/password-reset/confirm", request, cancellationToken);

    [ApiOperation("GET", "/v1/auth/two-factor")]
    public Task<TwoFactorStatusResponse> GetTwoFactorStatusAsync(CancellationToken cancellationToken = default) =>
        GetAsync<TwoFactorStatusResponse>("/v1/auth/two-factor", cancellationToken);

    [ApiOperation("POST", "/v1/auth/two-factor/authenticator")]
    public Task<AuthenticatorSetupResponse> SetUpAuthenticatorAsync(CancellationToken cancellationToken = default) =>
        SendAsync<object, AuthenticatorSetupResponse>(HttpMethod.Post, "/v1/auth/two-factor/authenticator", null, cancellationToken);

    [ApiOperation("POST", "/v1/auth/two-factor/enable")]
    public Task<RecoveryCodesResponse> EnableTwoFactorAsync(EnableTwoFactorRequest request, CancellationToken cancellationToken = default) =>
        SendAsync<EnableTwoFactorRequest, RecoveryCodesResponse>(HttpMethod.Post, "/v1/auth/two-factor/enable", request, cancellationToken);

    [ApiOperation("POST", "/v1/auth/two-factor/disable")]
    public Task DisableTwoFactorAsync(PasswordConfirmationRequest request, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, "/v1/auth/two-factor/disable", request, cancellationToken);

    [ApiOperation("POST", "/v1/auth/two-factor/recovery-codes")]
    public Task<RecoveryCodesResponse> RegenerateRecoveryCodesAsync(PasswordConfirmationRequest request, CancellationToken cancellationToken = default) =>
        SendAsync<PasswordConfirmationRequest, RecoveryCodesResponse>(HttpMethod.Post, "/v1/auth/two-factor/recovery-codes", request, cancellationToken);

    [ApiOperation("DELETE", "/v1/users/{id}/two-factor")]
    public Task DisableTeammateTwoFactorAsync(string id, CancellationToken cancellationToken = default) =>
        SendAsync<object>(HttpMethod.Delete, $"/v1/users/{Id(id)}/two-factor", null, cancellationToken);

    [ApiOperation("GET", "/v1/users")]
    public Task<Page<UserResponse>> ListUsersAsync(int? limit = null, string? after = null, CancellationToken cancellationToken = default) =>
        GetAsync<Page<UserResponse>>(Paged("/v1/users", limit, after), cancellationToken);

    [ApiOperation("PATCH", "/v1/users/{id}")]
    public Task<UserResponse> UpdateUserAsync(string id, UpdateUserRequest request, CancellationToken cancellationToken = default) =>
        SendAsync<UpdateUserRequest, UserResponse>(HttpMethod.Patch, $"/v1/users/{Id(id)}", request, cancellationToken);

    [ApiOperation("DELETE", "/v1/users/{id}")]
    public Task RemoveUserAsync(string id, CancellationToken cancellationToken = default) =>
        SendAsync<object>(HttpMethod.Delete, $"/v1/users/{Id(id)}", null, cancellationToken);

    [ApiOperation("POST", "/v1/users/{id}/password-reset")]
    public Task<PasswordResetLinkResponse> CreatePasswordResetLinkAsync(string id, CancellationToken cancellationToken = default) =>
        SendAsync<object, PasswordResetLinkResponse>(HttpMethod.Post, $"/v1/users/{Id(id)}/password-reset", null, cancellationToken);

    [ApiOperation("POST", "/v1/invitations")]
    public Task<InvitationResponse> CreateInvitationAsync(CreateInvitationRequest request, CancellationToken cancellationToken = default) =>
        SendAsync<CreateInvitationRequest, InvitationResponse>(HttpMethod.Post, "/v1/invitations", request, cancellationToken);

    [ApiOperation("GET", "/v1/invitations")]
    public Task<Page<InvitationResponse>> ListInvitationsAsync(int? limit = null, string? after = null, CancellationToken cancellationToken = default) =>
        GetAsync<Page<InvitationResponse>>(Paged("/v1/invitations", limit, after), cancellationToken);

    [ApiOperation("DELETE", "/v1/invitations/{id}")]
    public Task<InvitationResponse> RevokeInvitationAsync(string id, CancellationToken cancellationToken = default) =>
        SendAsync<object, InvitationResponse>(HttpMethod.Delete, $"/v1/invitations/{Id(id)}", null, cancellationToken);

    [ApiOperation("GET", "/v1/audit")]
    public Task<Page<AuditEntryResponse>> ListAuditAsync(int? limit = null, string? after = null, CancellationToken cancellationToken = default) =>
        GetAsync<Page<AuditEntryResponse>>(Paged("/v1/audit", limit, after), cancellationToken);

    [ApiOperation("GET", "/v1/workspace")]
    public Task<WorkspaceResponse> GetWorkspaceAsync(CancellationToken cancellationToken = default) =>
        GetAsync<WorkspaceResponse>("/v1/workspace", cancellationToken);

    [ApiOperation("PATCH", "/v1/workspace")]
    public Task<WorkspaceResponse> UpdateWorkspaceAsync(UpdateWorkspaceRequest request, CancellationToken cancellationToken = default) =>
        SendAsync<UpdateWorkspaceRequest, WorkspaceResponse>(HttpMethod.Patch, "/v1/workspace", request, cancellationToken);

    private SessionResponse Remember(SessionResponse session)
    {
        CsrfToken = session.CsrfToken;
        return session;
    }
}
