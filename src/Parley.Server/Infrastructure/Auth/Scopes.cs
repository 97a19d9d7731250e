namespace Parley.Server.Infrastructure.Auth;

/// <summary>The scopes a secret key can be narrowed to. A key without scopes has them all.</summary>
public static class Scopes
{
    public const string ApiKeysRead = "api_keys:read";
    public const string ApiKeysWrite = "api_keys:write";
    public const string BotsRead = "bots:read";
    public const string BotsWrite = "bots:write";
    public const string ConversationsRead = "conversations:read";
    public const string ConversationsWrite = "conversations:write";
    public const string EventsRead = "events:read";
    public const string WebhooksRead = "webhooks:read";
    public const string WebhooksWrite = "webhooks:write";
    public const string WorkspaceRead = "workspace:read";
    public const string WorkspaceWrite = "workspace:write";

    public static IReadOnlyList<string> All { get; } =
        [ApiKeysRead, ApiKeysWrite, BotsRead, BotsWrite, ConversationsRead, ConversationsWrite, EventsRead, WebhooksRead, WebhooksWrite, WorkspaceRead, WorkspaceWrite];
}
