namespace Parley.Server.Infrastructure.Auth;

/// <summary>
/// The roles of dashboard users and the API scopes each one holds: a signed-in user may do exactly what a secret key
/// with those scopes may do, so every rule lives in the API.
/// </summary>
public static class Roles
{
    public const string Owner = "owner";
    public const string Admin = "admin";
    public const string Agent = "agent";
    public const string Viewer = "viewer";

    public static IReadOnlyList<string> All { get; } = [Owner, Admin, Agent, Viewer];

    private static readonly string[] ViewerScopes =
    [
        Scopes.BotsRead, Scopes.ConversationsRead, Scopes.ContactsRead, Scopes.LeadsRead, Scopes.BookingsRead,
        Scopes.AnalyticsRead, Scopes.UsageRead, Scopes.WorkspaceRead, Scopes.UsersRead,
    ];

    private static readonly string[] AgentScopes =
    [
        .. ViewerScopes, Scopes.ConversationsWrite, Scopes.ContactsWrite, Scopes.LeadsWrite, Scopes.BookingsWrite, Scopes.Agent,
    ];

    /// <summary>Admins run the workspace but cannot touch owners or make someone an owner.</summary>
    private static readonly string[] AdminScopes = [.. Scopes.All];

    public static bool IsKnown(string? role) => role is not null && All.Contains(role);

    public static IReadOnlyList<string> ScopesOf(string role) => role switch
    {
        Owner or Admin => AdminScopes,
        Agent => AgentScopes,
        _ => ViewerScopes,
    };

    /// <summary>Higher is more powerful: owner 3, admin 2, agent 1, viewer 0.</summary>
    public static int Rank(string role) => role switch
    {
        Owner => 3,
        Admin => 2,
        Agent => 1,
        _ => 0,
    };
}
