namespace Parley.Data.Entities;

/// <summary>An invitation to join a workspace with a role; accepted once through a link holding its token.</summary>
public sealed class Invitation : IWorkspaceOwned, IHasId
{
    public required string Id { get; init; }
    public required string WorkspaceId { get; init; }
    public required string Email { get; init; }
    public required string Role { get; init; }

    /// <summary>SHA-256 of the token in the invitation link; the token itself is never stored.</summary>
    public required byte[] TokenHash { get; init; }

    /// <summary>The user or key that invited (<c>usr_…</c> or <c>key_…</c>).</summary>
    public required string InvitedBy { get; init; }

    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset ExpiresAt { get; init; }
    public DateTimeOffset? AcceptedAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
}
