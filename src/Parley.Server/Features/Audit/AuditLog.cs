using Parley.Data;
using Parley.Data.Entities;
using Parley.Engine.Ids;

namespace Parley.Server.Features.Audit;

/// <summary>What the audit log records; stable strings that clients may match on.</summary>
public static class AuditActions
{
    public const string OwnerCreated = "workspace.owner_created";
    public const string SignedIn = "user.signed_in";
    public const string SignInFailed = "user.sign_in_failed";
    public const string LockedOut = "user.locked_out";
    public const string SignedOutEverywhere = "user.signed_out_everywhere";
    public const string PasswordReset = "user.password_reset";
    public const string PasswordResetLinkCreated = "user.password_reset_link_created";
    public const string TwoFactorEnabled = "user.two_factor_enabled";
    public const string TwoFactorDisabled = "user.two_factor_disabled";
    public const string RecoveryCodesRegenerated = "user.recovery_codes_regenerated";
    public const string RoleChanged = "user.role_changed";
    public const string UserRemoved = "user.removed";
    public const string InvitationCreated = "invitation.created";
    public const string InvitationAccepted = "invitation.accepted";
    public const string InvitationRevoked = "invitation.revoked";
    public const string ApiKeyCreated = "api_key.created";
    public const string ApiKeyRevoked = "api_key.revoked";
    public const string AssignmentRulesChanged = "workspace.assignment_rules_changed";
}

/// <summary>Adds audit entries to the context; they are saved with the change they describe.</summary>
public sealed class AuditLog(ParleyDbContext db, IdGenerator ids, TimeProvider time, IHttpContextAccessor http)
{
    public void Add(string workspaceId, string action, string? actorId, string? targetId = null, string? detail = null) =>
        db.AuditEntries.Add(new AuditEntry
        {
            Id = ids.New(IdPrefix.AuditEntry),
            WorkspaceId = workspaceId,
            Action = action,
            ActorId = actorId,
            TargetId = targetId,
            Detail = detail is { Length: > 500 } ? detail[..500] : detail,
            IpAddress = http.HttpContext?.Connection.RemoteIpAddress?.ToString(),
            CreatedAt = time.GetUtcNow(),
        });
}
