using Microsoft.AspNetCore.Identity;

namespace Parley.Data.Entities;

/// <summary>
/// A person who signs in to the dashboard (ASP.NET Core Identity). Each user belongs to one workspace, with one role
/// that maps onto API scopes. Not filtered by workspace: signing in finds the user before the workspace is known, so
/// the account endpoints filter by workspace themselves.
/// </summary>
public sealed class User : IdentityUser, IHasId
{
    public required string WorkspaceId { get; init; }

    /// <summary><c>owner</c>, <c>admin</c>, <c>agent</c> or <c>viewer</c>.</summary>
    public required string Role { get; set; }

    public string? Name { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? LastSignInAt { get; set; }

    /// <summary>What the agent told the dashboard: <c>online</c> or <c>away</c>; null before they ever opened the inbox.</summary>
    public string? Presence { get; set; }

    /// <summary>When the dashboard last reported the presence; an <c>online</c> older than the handoff window no longer counts.</summary>
    public DateTimeOffset? PresenceSeenAt { get; set; }
}
