namespace Parley.Engine.Events;

/// <summary>The domain event types recorded in the event log and delivered to webhooks.</summary>
public static class EventTypes
{
    public const string ConversationStarted = "conversation.started";
    public const string MessageCreated = "message.created";
    public const string ConversationClosed = "conversation.closed";
    public const string HandoffRequested = "handoff.requested";
    public const string LeadCaptured = "lead.captured";
    public const string LeadUpdated = "lead.updated";
    public const string BookingCreated = "booking.created";
    public const string BookingCancelled = "booking.cancelled";
    public const string QuestionUnanswered = "question.unanswered";
    public const string ContactErased = "contact.erased";
    public const string WebhookTest = "webhook.test";
    public const string WebhookEndpointDisabled = "webhook_endpoint.disabled";
    public const string ConversationAssigned = "conversation.assigned";
    public const string ConversationReturnedToBot = "conversation.returned_to_bot";
    public const string UsageLimitApproaching = "usage.limit_approaching";
    public const string UsageLimitReached = "usage.limit_reached";

    /// <summary>A conversation went back to the queue: its holder did not reply within the workspace's time.</summary>
    public const string ConversationUnassigned = "conversation.unassigned";

    /// <summary>Every type a webhook endpoint can subscribe to.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        ConversationStarted, MessageCreated, ConversationClosed, HandoffRequested, LeadCaptured, LeadUpdated,
        BookingCreated, BookingCancelled, QuestionUnanswered, ContactErased, WebhookTest, WebhookEndpointDisabled,
        ConversationAssigned, ConversationReturnedToBot, ConversationUnassigned, UsageLimitApproaching, UsageLimitReached,
    ];
}
