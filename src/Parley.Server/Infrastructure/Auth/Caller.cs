namespace Parley.Server.Infrastructure.Auth;

/// <summary>What kind of credential a request carried.</summary>
public enum CallerKind
{
    SecretKey,
    PublishableKey,
    WidgetSession,

    /// <summary>A person signed in to the dashboard with the session cookie; holds the scopes of their role.</summary>
    User,
}

/// <summary>The authenticated caller of the current request; filled in by <see cref="ApiKeyAuthenticationHandler"/>.</summary>
public sealed class Caller
{
    public bool IsAuthenticated { get; private set; }
    public string WorkspaceId { get; private set; } = "";
    public CallerKind Kind { get; private set; }

    /// <summary>The API key used (<c>key_…</c>); null for widget sessions.</summary>
    public string? KeyId { get; private set; }

    /// <summary>The scopes a secret key is narrowed to; empty means every scope.</summary>
    public IReadOnlyList<string> Scopes { get; private set; } = [];

    /// <summary>The bot of a publishable key or widget session.</summary>
    public string? BotId { get; private set; }

    /// <summary>The contact a widget session speaks for.</summary>
    public string? ContactId { get; private set; }

    /// <summary>The signed-in user (<c>usr_…</c>) and their role; null for keys and widget sessions.</summary>
    public string? UserId { get; private set; }
    public string? Role { get; private set; }

    /// <summary>The user or key acting, as recorded in the audit log.</summary>
    public string? ActorId => UserId ?? KeyId;

    /// <summary>How long resolving the credential took, in milliseconds (part of the turn's authenticate stage).</summary>
    public double AuthenticationMilliseconds { get; set; }

    public bool HasScope(string scope) =>
        (Kind == CallerKind.SecretKey && (Scopes.Count == 0 || Scopes.Contains(scope))) || (Kind == CallerKind.User && Scopes.Contains(scope));

    internal void SetKey(ResolvedApiKey key)
    {
        IsAuthenticated = true;
        WorkspaceId = key.WorkspaceId;
        Kind = key.Kind == Parley.Engine.Keys.ApiKeyKind.Secret ? CallerKind.SecretKey : CallerKind.PublishableKey;
        KeyId = key.Id;
        Scopes = key.Scopes;
        BotId = key.BotId;
    }

    /// <summary>An unscoped secret key, or a user whose role holds every scope (owner, admin).</summary>
    public bool HasEveryScope => (Kind == CallerKind.SecretKey && Scopes.Count == 0) || (Kind == CallerKind.User && Scopes.Count >= Auth.Scopes.All.Count);

    internal void SetUser(string workspaceId, string userId, string role, IReadOnlyList<string> scopes)
    {
        IsAuthenticated = true;
        WorkspaceId = workspaceId;
        Kind = CallerKind.User;
        UserId = userId;
        Role = role;
        Scopes = scopes;
    }

    internal void SetWidgetSession(WidgetSession session)
    {
        IsAuthenticated = true;
        WorkspaceId = session.WorkspaceId;
        Kind = CallerKind.WidgetSession;
        BotId = session.BotId;
        ContactId = session.ContactId;
    }
}

public static class CallerVisibility
{
    /// <summary>Keys see their whole workspace; a widget session sees only its own contact's conversations with its bot.</summary>
    public static bool MaySee(this Caller caller, string contactId, string botId) =>
        caller.Kind != CallerKind.WidgetSession || (caller.ContactId == contactId && caller.BotId == botId);

    public static bool MaySee(this Caller caller, Parley.Data.Entities.Conversation conversation) =>
        caller.MaySee(conversation.ContactId, conversation.BotId);

    /// <summary>Personal data (names, emails, phones) is in clear for agents, admins and owners, and keys with <c>export:pii</c>.</summary>
    public static bool MayReadPii(this Caller caller) => caller.HasScope(Scopes.Agent) || caller.HasScope(Scopes.ExportPii);
}
