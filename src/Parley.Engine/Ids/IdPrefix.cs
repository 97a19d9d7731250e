namespace Parley.Engine.Ids;

/// <summary>The prefixes that say what an id is.</summary>
public static class IdPrefix
{
    public const string Workspace = "ws";
    public const string ApiKey = "key";
    public const string Bot = "bot";
    public const string Contact = "ct";
    public const string Conversation = "conv";
    public const string Message = "msg";
    public const string Event = "evt";
    public const string Request = "req";
    public const string WebhookEndpoint = "we";
    public const string WebhookDelivery = "whd";
    public const string WebhookAttempt = "wha";
    public const string KnowledgeSource = "ks";
    public const string EmailNotification = "eml";
    public const string Export = "exp";
    public const string Import = "imp";
    public const string Lead = "lead";
    public const string Booking = "bk";
    public const string ModelProvider = "mp";
    public const string User = "usr";
    public const string Invitation = "inv";
    public const string AuditEntry = "aud";
    public const string ConversationNote = "note";
    public const string CannedResponse = "cr";
}
