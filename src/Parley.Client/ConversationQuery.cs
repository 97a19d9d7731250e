using System.Globalization;

namespace Parley.Client;

/// <summary>
/// Which conversations to list or export; a null member leaves that filter out. <see cref="Text"/> is the API's
/// <c>q</c>: an exact conversation or contact id, or part of a contact's external id or a lead's company.
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
    /// <summary>The query string of <c>GET /v1/conversations</c>, without the leading <c>?</c>.</summary>
    public string ToListQuery() => Join(Parameters("created_after", "created_before"));

    /// <summary>
    /// The query string of <c>GET /v1/export/conversations.{format}</c>: the export names the creation range
    /// <c>since</c> and <c>until</c>, with the same meaning.
    /// </summary>
    public string ToExportQuery() => Join(Parameters("since", "until"));

    private IEnumerable<(string Name, string Value)> Parameters(string after, string before)
    {
        if (!string.IsNullOrEmpty(BotId))
        {
            yield return ("bot_id", BotId);
        }
        if (!string.IsNullOrEmpty(Status))
        {
            yield return ("status", Status);
        }
        if (!string.IsNullOrEmpty(Channel))
        {
            yield return ("channel", Channel);
        }
        if (CreatedAfter is { } since)
        {
            yield return (after, Timestamp(since));
        }
        if (CreatedBefore is { } until)
        {
            yield return (before, Timestamp(until));
        }
        if (HasLead is { } hasLead)
        {
            yield return ("has_lead", Flag(hasLead));
        }
        if (Flagged is { } flagged)
        {
            yield return ("flagged", Flag(flagged));
        }
        if (Unanswered is { } unanswered)
        {
            yield return ("unanswered", Flag(unanswered));
        }
        if (!string.IsNullOrWhiteSpace(Text))
        {
            yield return ("q", Text.Trim());
        }
    }

    private static string Timestamp(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    private static string Flag(bool value) => value ? "true" : "false";

    private static string Join(IEnumerable<(string Name, string Value)> parameters) =>
        string.Join('&', parameters.Select(p => p.Name + "=" + Uri.EscapeDataString(p.Value)));
}
