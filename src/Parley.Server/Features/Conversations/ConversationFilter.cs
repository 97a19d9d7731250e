using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Parley.Data;
using Parley.Data.Entities;
using Parley.Engine.Events;
using Parley.Engine.Guardrails;
using Parley.Engine.Turns;

namespace Parley.Server.Features.Conversations;

/// <summary>
/// The filters that narrow conversations by what happened in them, read from the query string by the list
/// (<c>GET /v1/conversations</c>) and by the conversations export (<c>GET /v1/export/conversations.{format}</c>), so
/// both return the same conversations. Each is optional; given together, a conversation must match all of them.
/// </summary>
/// <remarks>
/// <see cref="Q"/> matches a conversation whose id or contact id is exactly the term, whose contact's <c>external_id</c>
/// contains it, with a lead whose company contains it, or with a message whose text contains it (case-insensitive).
/// The <c>external_id</c> and message text are personal data: they are searched only for callers who may read them,
/// or others could probe them a character at a time. Message text is encrypted at rest, so the database cannot search
/// it: <see cref="MessageMatchesAsync"/> finds those conversations first (<see cref="ConversationTextSearch"/>) and
/// <see cref="Apply"/> takes their ids.
/// </remarks>
public sealed record ConversationFilter(
    [FromQuery(Name = "status")] string? Status = null,
    [FromQuery(Name = "channel")] string? Channel = null,
    [FromQuery(Name = "has_lead")] bool? HasLead = null,
    [FromQuery(Name = "flagged")] bool? Flagged = null,
    [FromQuery(Name = "unanswered")] bool? Unanswered = null,
    [FromQuery(Name = "q")] string? Q = null)
{
    public const int MaxTextLength = 200;

    /// <summary>
    /// The messages with a guardrail hit (<see cref="GuardrailFlags"/>: topic, blocked term, injection, output and PII
    /// flags), not escalation or handoff marks. Flags are stored as a JSON array of strings, matched here as text.
    /// </summary>
    private const string GuardrailHitsSql = "SELECT * FROM \"Messages\" WHERE \"Flags\" LIKE '%\"" + GuardrailFlags.Injection + "\"%'"
        + " OR \"Flags\" LIKE '%\"topic.%' OR \"Flags\" LIKE '%\"blocked_term.%' OR \"Flags\" LIKE '%\"output.%' OR \"Flags\" LIKE '%\"pii.%'";

    public static readonly IReadOnlyList<string> Statuses = [ConversationStatus.Open, ConversationStatus.Handoff, ConversationStatus.Closed];

    public static readonly IReadOnlyList<string> Channels = [ConversationStarter.ApiChannel, ConversationStarter.WidgetChannel];

    /// <summary>The query parameters this filter reads, for endpoints that must say they do not apply.</summary>
    public static readonly IReadOnlyList<string> Parameters = ["status", "channel", "has_lead", "flagged", "unanswered", "q"];

    /// <summary>Whether any filter is given.</summary>
    public bool IsEmpty => string.IsNullOrEmpty(Status) && string.IsNullOrEmpty(Channel) && HasLead is null && Flagged is null
        && Unanswered is null && string.IsNullOrWhiteSpace(Q);

    /// <summary>Adds a message per parameter whose value is not allowed.</summary>
    public void Validate(IDictionary<string, string[]> errors)
    {
        if (!string.IsNullOrEmpty(Status) && !Statuses.Contains(Status))
        {
            errors["status"] = [$"status must be one of {string.Join(", ", Statuses)}."];
        }
        if (!string.IsNullOrEmpty(Channel) && !Channels.Contains(Channel))
        {
            errors["channel"] = [$"channel must be one of {string.Join(", ", Channels)}."];
        }
        if (Q is { Length: > MaxTextLength })
        {
            errors["q"] = [$"q must be at most {MaxTextLength} characters."];
        }
    }

    /// <summary>
    /// The conversations of <paramref name="rows"/> whose messages contain <see cref="Q"/>, newest first (with
    /// <paramref name="enough"/>, only the newest that many), for <see cref="Apply"/>; null when <see cref="Q"/> is not
    /// given or the caller may not read personal data, so message text is not searched. The other filters narrow the
    /// conversations read.
    /// </summary>
    public async Task<IReadOnlyList<string>?> MessageMatchesAsync(
        IQueryable<Conversation> rows, ParleyDbContext db, bool piiVisible, int? enough, CancellationToken cancellationToken)
    {
        if (!piiVisible || Q?.Trim() is not { Length: > 0 } term)
        {
            return null;
        }
        var candidates = (this with { Q = null }).Apply(rows, db, piiVisible);
        return await ConversationTextSearch.MatchingIdsAsync(db, candidates, term, enough, cancellationToken);
    }

    /// <summary>
    /// The conversations of <paramref name="rows"/> that match; each test is an indexed lookup per conversation.
    /// <paramref name="piiVisible"/>: whether the caller may read personal data, so <see cref="Q"/> may search contacts' external ids;
    /// <paramref name="messageMatches"/>: the conversations whose messages contain <see cref="Q"/> (<see cref="MessageMatchesAsync"/>).
    /// </summary>
    public IQueryable<Conversation> Apply(
        IQueryable<Conversation> rows, ParleyDbContext db, bool piiVisible, IReadOnlyList<string>? messageMatches = null)
    {
        if (!string.IsNullOrEmpty(Status))
        {
            rows = rows.Where(c => c.Status == Status);
        }
        if (!string.IsNullOrEmpty(Channel))
        {
            rows = rows.Where(c => c.Channel == Channel);
        }
        if (HasLead is { } hasLead)
        {
            rows = hasLead
                ? rows.Where(c => db.Leads.Any(l => l.ConversationId == c.Id))
                : rows.Where(c => !db.Leads.Any(l => l.ConversationId == c.Id));
        }
        if (Flagged is { } flagged)
        {
            var hits = db.Messages.FromSqlRaw(GuardrailHitsSql);
            rows = flagged
                ? rows.Where(c => hits.Any(m => m.ConversationId == c.Id))
                : rows.Where(c => !hits.Any(m => m.ConversationId == c.Id));
        }
        if (Unanswered is { } unanswered)
        {
            rows = unanswered
                ? rows.Where(c => db.Events.Any(e => e.ConversationId == c.Id && e.Type == EventTypes.QuestionUnanswered))
                : rows.Where(c => !db.Events.Any(e => e.ConversationId == c.Id && e.Type == EventTypes.QuestionUnanswered));
        }
        if (Q?.Trim() is { Length: > 0 } term)
        {
            var lower = term.ToLowerInvariant();
            // SQL lower() on both providers; the StringComparison overload the analyzer suggests does not translate to SQL.
#pragma warning disable CA1862
            string[] inMessages = [.. messageMatches ?? []];
            rows = piiVisible
                ? rows.Where(c => c.Id == term || c.ContactId == term || inMessages.Contains(c.Id)
                    || db.Contacts.Any(p => p.Id == c.ContactId && p.ExternalId != null && p.ExternalId.ToLower().Contains(lower))
                    || db.Leads.Any(l => l.ConversationId == c.Id && l.Company != null && l.Company.ToLower().Contains(lower)))
                : rows.Where(c => c.Id == term || c.ContactId == term
                    || db.Leads.Any(l => l.ConversationId == c.Id && l.Company != null && l.Company.ToLower().Contains(lower)));
#pragma warning restore CA1862
        }
        return rows;
    }
}
