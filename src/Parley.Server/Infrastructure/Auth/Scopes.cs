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
    public const string ContactsRead = "contacts:read";
    public const string ContactsWrite = "contacts:write";
    public const string EventsRead = "events:read";
    public const string LeadsRead = "leads:read";
    public const string LeadsWrite = "leads:write";
    public const string BookingsRead = "bookings:read";
    public const string BookingsWrite = "bookings:write";
    public const string ExportsRead = "exports:read";
    public const string AnalyticsRead = "analytics:read";
    public const string ModelProvidersRead = "model_providers:read";
    public const string ModelProvidersWrite = "model_providers:write";
    public const string ExportsWrite = "exports:write";

    /// <summary>Contact, lead and booking PII (name, email, phone, attributes, custom fields) in clear in exports; without it those fields are left out.</summary>
    public const string ExportPii = "export:pii";
    public const string WebhooksRead = "webhooks:read";
    public const string WebhooksWrite = "webhooks:write";
    public const string WorkspaceRead = "workspace:read";
    public const string WorkspaceWrite = "workspace:write";

    /// <summary>Metered usage against the plan (<c>GET /v1/usage</c>).</summary>
    public const string UsageRead = "usage:read";

    /// <summary>The dashboard's people: list users and invitations (read); invite, change roles, remove (write).</summary>
    public const string UsersRead = "users:read";
    public const string UsersWrite = "users:write";

    /// <summary>The audit log of sign-ins, invitations, role changes and key creation (<c>GET /v1/audit</c>).</summary>
    public const string AuditRead = "audit:read";

    /// <summary>A person of the workspace answering handed-over conversations: the inbox, claim, reply, return, close, stream.</summary>
    public const string Agent = "agent";

    public static IReadOnlyList<string> All { get; } =
        [
            ApiKeysRead, ApiKeysWrite, BotsRead, BotsWrite, ContactsRead, ContactsWrite, ConversationsRead, ConversationsWrite, EventsRead,
            LeadsRead, LeadsWrite, BookingsRead, BookingsWrite,
            ExportsRead, ExportsWrite, ExportPii, AnalyticsRead, ModelProvidersRead, ModelProvidersWrite, WebhooksRead, WebhooksWrite, WorkspaceRead, WorkspaceWrite, Agent,
            UsageRead, UsersRead, UsersWrite, AuditRead,
        ];
}
