namespace Parley.Data.Entities;

/// <summary>A record of a security-relevant action in a workspace: sign-ins, invitations, role changes, key creation.</summary>
public sealed class AuditEntry : IWorkspaceOwned, IHasId
{
    public required string Id { get; init; }
    public required string WorkspaceId { get; init; }

    /// <summary>What happened, such as <c>user.signed_in</c> or <c>api_key.created</c>.</summary>
    public required string Action { get; init; }

    /// <summary>Who did it: a user (<c>usr_…</c>), a key (<c>key_…</c>), or null when nobody was signed in.</summary>
    public string? ActorId { get; init; }

    /// <summary>What it was done to, such as the user, invitation or key id.</summary>
    public string? TargetId { get; init; }

    /// <summary>A short human-readable account of the change, such as "agent → admin".</summary>
    public string? Detail { get; init; }

    public string? IpAddress { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
}
