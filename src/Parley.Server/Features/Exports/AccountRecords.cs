using System.Text.Json.Serialization;
using Parley.Data.Entities;
using Parley.Server.Infrastructure.Auth;

namespace Parley.Server.Features.Exports;

// Dashboard accounts in the archive: who they are, their roles and their history. Nothing that signs anyone in leaves
// the server: no password hash, security stamp, Identity token, authenticator key, recovery code or invitation token.

/// <summary>
/// A dashboard user of the workspace. <c>lockout_end</c> and <c>access_failed_count</c> are the lockout state;
/// <c>two_factor_enabled</c> says whether they had set up an authenticator (its key is not exported). Without the
/// <c>export:pii</c> scope the email and name are left out, and an import cannot restore the account.
/// </summary>
public sealed record UserRecord(
    string Id, string Role,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Email = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Name = null,
    [property: JsonRequired] bool TwoFactorEnabled = false, [property: JsonRequired] DateTimeOffset CreatedAt = default,
    [property: JsonRequired] DateTimeOffset? LastSignInAt = null, [property: JsonRequired] DateTimeOffset? LockoutEnd = null,
    [property: JsonRequired] int AccessFailedCount = 0)
{
    public static readonly IReadOnlyList<string> PiiFields = ["email", "name"];

    public static UserRecord From(User u, bool includePii) => new(
        u.Id, u.Role, includePii ? u.Email : null, includePii ? u.Name : null, u.TwoFactorEnabled, u.CreatedAt, u.LastSignInAt,
        u.LockoutEnd, u.AccessFailedCount);

    /// <summary>
    /// The account without a password: nobody can sign in as it until a password is set through a reset link. Two-factor
    /// starts off, since the authenticator key stayed on the old server.
    /// </summary>
    public User ToEntity(string id, string workspaceId, string email) => new()
    {
        Id = id,
        WorkspaceId = workspaceId,
        Role = Role,
        Email = email,
        NormalizedEmail = email.ToUpperInvariant(),
        UserName = email,
        NormalizedUserName = email.ToUpperInvariant(),
        Name = Name,
        CreatedAt = CreatedAt,
        LastSignInAt = LastSignInAt,
        LockoutEnabled = true,
        LockoutEnd = LockoutEnd,
        AccessFailedCount = AccessFailedCount,
        SecurityStamp = Guid.NewGuid().ToString("N"),
        ConcurrencyStamp = Guid.NewGuid().ToString(),
    };
}

/// <summary>
/// An invitation, pending or settled. The link's token is not exported, nor its hash: an imported invitation keeps its
/// history but no link can accept it.
/// </summary>
public sealed record InvitationRecord(
    string Id, string Role, string InvitedBy,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Email = null,
    [property: JsonRequired] DateTimeOffset CreatedAt = default, [property: JsonRequired] DateTimeOffset ExpiresAt = default,
    [property: JsonRequired] DateTimeOffset? AcceptedAt = null, [property: JsonRequired] DateTimeOffset? RevokedAt = null)
{
    public static readonly IReadOnlyList<string> PiiFields = ["email"];

    public static InvitationRecord From(Invitation i, bool includePii) =>
        new(i.Id, i.Role, i.InvitedBy, includePii ? i.Email : null, i.CreatedAt, i.ExpiresAt, i.AcceptedAt, i.RevokedAt);

    /// <summary>Whether a link could still have accepted it when it was exported.</summary>
    public bool IsPending(DateTimeOffset now) => AcceptedAt is null && RevokedAt is null && ExpiresAt > now;

    /// <summary>The invitation under a fresh random token hash that no link holds: it cannot be accepted.</summary>
    public Invitation ToEntity(string id, string workspaceId, string invitedBy) => new()
    {
        Id = id,
        WorkspaceId = workspaceId,
        Email = Email ?? "",
        Role = Role,
        TokenHash = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32),
        InvitedBy = invitedBy,
        CreatedAt = CreatedAt,
        ExpiresAt = ExpiresAt,
        AcceptedAt = AcceptedAt,
        RevokedAt = RevokedAt,
    };
}

/// <summary>An audit entry (<c>GET /v1/audit</c>). Without the <c>export:pii</c> scope its detail and IP address are left out.</summary>
public sealed record AuditEntryRecord(
    string Id, string Action, [property: JsonRequired] string? ActorId = null, [property: JsonRequired] string? TargetId = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Detail = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? IpAddress = null,
    [property: JsonRequired] DateTimeOffset CreatedAt = default)
{
    public static readonly IReadOnlyList<string> PiiFields = ["detail", "ip_address"];

    public static AuditEntryRecord From(AuditEntry a, bool includePii) =>
        new(a.Id, a.Action, a.ActorId, a.TargetId, includePii ? a.Detail : null, includePii ? a.IpAddress : null, a.CreatedAt);

    public AuditEntry ToEntity(string id, string workspaceId, string? actorId, string? targetId) => new()
    {
        Id = id,
        WorkspaceId = workspaceId,
        Action = Action,
        ActorId = actorId,
        TargetId = targetId,
        Detail = Detail,
        IpAddress = IpAddress,
        CreatedAt = CreatedAt,
    };
}

/// <summary>What an import refuses in account rows before it writes anything: unknown roles and values the tables cannot hold.</summary>
public static class AccountRecordRules
{
    public static string? ProblemOf(object record) => record switch
    {
        UserRecord u when !Roles.IsKnown(u.Role) => RoleProblem(u.Role),
        UserRecord { Email.Length: > 256 } => "email is longer than 256 characters.",
        UserRecord { Email: { } email } when !email.Contains('@', StringComparison.Ordinal) => $"email '{email}' is not an email address.",
        UserRecord { Name.Length: > 200 } => "name is longer than 200 characters.",
        InvitationRecord i when !Roles.IsKnown(i.Role) => RoleProblem(i.Role),
        InvitationRecord { Email.Length: > 256 } => "email is longer than 256 characters.",
        AuditEntryRecord { Action.Length: 0 or > 60 } => "action must be 1 to 60 characters.",
        AuditEntryRecord { Detail.Length: > 500 } => "detail is longer than 500 characters.",
        AuditEntryRecord { IpAddress.Length: > 64 } => "ip_address is longer than 64 characters.",
        _ => null,
    };

    private static string RoleProblem(string role) => $"role '{role}' is not one of: {string.Join(", ", Roles.All)}.";
}
