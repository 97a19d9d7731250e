using System.Text;
using System.Text.Json.Nodes;
using Parley.Engine.Events;

namespace Parley.Server.Features.Notifications;

/// <summary>The subject and plain-text body of the email for an event; null for events that send no email.</summary>
public static class NotificationMessages
{
    public static IReadOnlyList<string> Types { get; } =
        [
            EventTypes.LeadCaptured, EventTypes.HandoffRequested, EventTypes.WebhookEndpointDisabled, EventTypes.BookingCreated,
            EventTypes.UsageLimitApproaching, EventTypes.UsageLimitReached,
        ];

    /// <summary>The email address of the person in a <c>booking.created</c> event, if they gave one.</summary>
    public static string? BookerEmail(string dataJson) => Text(JsonNode.Parse(dataJson)?["email"]) is { Length: > 0 } email ? email : null;

    /// <summary>
    /// Who an event's email goes to: the team, and for <c>booking.created</c> first the person who booked (their
    /// confirmation, with the invite).
    /// </summary>
    public static IReadOnlyList<string> Recipients(string type, string dataJson, IReadOnlyList<string> team) =>
        type == EventTypes.BookingCreated && BookerEmail(dataJson) is { } booker
            ? [booker, .. team.Where(t => !string.Equals(t, booker, StringComparison.OrdinalIgnoreCase))]
            : team;

    /// <summary>
    /// The Message-ID of a notification's email, the same on every attempt: if a node dies mid-send and another sends
    /// the email again, mail clients and servers see one message.
    /// </summary>
    public static string MessageId(string notificationId) => notificationId + "@parley.notifications";

    public static (string Subject, string Body)? For(string type, string eventId, string dataJson)
    {
        var data = JsonNode.Parse(dataJson);
        return type switch
        {
            EventTypes.LeadCaptured => (
                $"New lead: {Text(data?["fields"]?["name"]) ?? Text(data?["fields"]?["email"]) ?? "a visitor"}",
                Lines("A visitor left their details.", Pairs(data?["fields"]), $"Score: {Text(data?["score"]) ?? "n/a"}",
                    $"Page: {Text(data?["page_url"]) ?? "unknown"}", $"Conversation: {Text(data?["conversation_id"])}", $"Event: {eventId}")),
            EventTypes.HandoffRequested => (
                "A visitor is waiting for a person",
                Lines("A conversation was handed over to your team.", $"Conversation: {Text(data?["conversation_id"]) ?? Text(data?["id"])}",
                    $"Reason: {Text(data?["reason"]) ?? "the visitor asked for a person"}", $"Event: {eventId}")),
            EventTypes.BookingCreated => (
                $"Appointment confirmed: {Text(data?["start"])}",
                Lines("Your appointment is booked.", $"Starts: {Text(data?["start"])} (UTC); time zone {Text(data?["time_zone"])}",
                    $"Ends: {Text(data?["end"])} (UTC)", $"Booking: {Text(data?["id"])}",
                    "The invite is attached: open it to add the appointment to your calendar.")),
            EventTypes.WebhookEndpointDisabled => (
                $"Webhook endpoint disabled: {Text(data?["endpoint"]?["url"])}",
                Lines("Parley stopped sending events to one of your webhook endpoints.", $"Endpoint: {Text(data?["endpoint"]?["id"])}",
                    $"URL: {Text(data?["endpoint"]?["url"])}", $"Reason: {Text(data?["reason"])}",
                    "Fix the receiver, then enable the endpoint again (PATCH enabled=true); pending deliveries resume.", $"Event: {eventId}")),
            EventTypes.UsageLimitApproaching or EventTypes.UsageLimitReached => UsageLimit(type, eventId, data),
            _ => null,
        };
    }

    private static (string Subject, string Body) UsageLimit(string type, string eventId, JsonNode? data)
    {
        var metric = Text(data?["metric"]);
        var reached = type == EventTypes.UsageLimitReached;
        var enforced = data?["enforced"]?.GetValue<bool>() == true;
        return (
            reached ? $"Plan limit reached: {metric}" : $"Plan limit at {Text(data?["threshold_percent"])}%: {metric}",
            Lines(
                reached ? $"This workspace has used all of its plan's {metric} for {Text(data?["period"])}."
                    : $"This workspace has used {Text(data?["percent_used"])}% of its plan's {metric} for {Text(data?["period"])}.",
                $"Used: {Text(data?["value"])} of {Text(data?["limit"])} (plan {Text(data?["plan"])})",
                $"Resets: {Text(data?["resets_at"])}",
                reached && enforced ? "Until then Parley refuses more of it (429 quota_exceeded). Raise the plan's limit to continue."
                    : enforced ? "At the limit Parley refuses more of it until the reset. Raise the plan's limit if you need more."
                    : "This limit is reported, not enforced: nothing is refused.",
                $"Event: {eventId}"));
    }

    private static string? Text(JsonNode? node) => node is null ? null : node.GetValueKind() == System.Text.Json.JsonValueKind.String ? (string?)node : node.ToJsonString();

    private static string Pairs(JsonNode? fields)
    {
        if (fields is not JsonObject obj)
        {
            return "";
        }
        var builder = new StringBuilder();
        foreach (var (key, value) in obj)
        {
            builder.Append(key).Append(": ").AppendLine(Text(value));
        }
        return builder.ToString().TrimEnd();
    }

    private static string Lines(params string[] lines) => string.Join("\n", lines.Where(l => l.Length > 0)) + "\n";
}
