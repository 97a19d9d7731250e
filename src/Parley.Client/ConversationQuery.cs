namespace Parley.Client;

/// <summary>
/// Which conversations to list or export; a null member leaves that filter out. <see cref="Text"/> is the API's
/// <c>q</c>: an exact conversation or contact id, or part of a contact's external id, a lead's company or a message.
/// </summary>
public sealed record ConversationQuery(
    string? BotId = null,
    string? Status = null,
    string? Channel = null,
    DateTimeOffset? CreatedAfter = null,
    DateTimeOffset? CreatedBefore = null,
    bool? HasLead = null,
    bool? Flagged = null,
    bool? Unanswered = null,
    string? Text = null)
{
    /// <summary>
    /// The filters as query parameters. The list (<c>GET /v1/conversations</c>) names the creation range
    /// <paramref name="after"/> <c>created_after</c> and <paramref name="before"/> <c>created_before</c>; the export
    /// (<c>GET /v1/export/conversations.{format}</c>) <c>since</c> and <c>until</c>, with the same meaning.
    /// </summary>
    internal (string Name, string? Value)[] Parameters(string after, string before) =>
    [
        ("bot_id", BotId),
        ("status", Status),
        ("channel", Channel),
        (after, ParleyClient.Timestamp(CreatedAfter)),
        (before, ParleyClient.Timestamp(CreatedBefore)),
        ("has_lead", Flag(HasLead)),
        ("flagged", Flag(Flagged)),
        ("unanswered", Flag(Unanswered)),
        ("q", string.IsNullOrWhiteSpace(Text) ? null : Text.Trim()),
    ];

    private static string? Flag(bool? value) => value switch { true => "true", false => "false", null => null };
}
