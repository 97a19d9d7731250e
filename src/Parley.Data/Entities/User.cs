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
}
