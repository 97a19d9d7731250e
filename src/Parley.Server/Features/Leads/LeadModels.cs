using Parley.Data.Entities;
using Parley.Engine.Leads;
using Parley.Server.Features.Conversations;

namespace Parley.Server.Features.Leads;

/// <summary>What a lead told us. <c>custom</c> holds any other fields, as text.</summary>
public sealed record LeadFields(
    string? Name = null, string? Email = null, string? Phone = null, string? Company = null, Dictionary<string, string>? Custom = null);

/// <summary>
/// Create (or update, when a lead with the same email exists) a lead from a conversation or a contact. With only
/// <c>contact_id</c>, the contact's latest conversation is used.
/// </summary>
public sealed record CreateLeadRequest(string? ConversationId = null, string? ContactId = null, LeadFields? Fields = null);

/// <summary>Change a lead: a new <c>status</c> (along the pipeline) and/or fields; fields left out stay, an empty string clears.</summary>
public sealed record UpdateLeadRequest(string? Status = null, LeadFields? Fields = null);

public sealed record LeadResponse(
    string Id,
    string? BotId,
    string? ConversationId,
    string? ContactId,
    LeadFields Fields,
    int Score,
    string Status,
    string? PageUrl,
    string? Referrer,
    IReadOnlyDictionary<string, string> Utm,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    bool PiiHidden)
{
    public static LeadResponse From(Lead l) => From(l, piiVisible: true);

    /// <summary>
    /// The lead as a caller sees it: without <paramref name="piiVisible"/> (a viewer, a narrow key) name, email,
    /// phone and custom fields are null and <c>pii_hidden</c> is true, as on contacts.
    /// </summary>
    public static LeadResponse From(Lead l, bool piiVisible) => new(
        l.Id, l.BotId, l.ConversationId, l.ContactId,
        piiVisible ? new LeadFields(l.Name, l.Email, l.Phone, l.Company, l.Custom) : new LeadFields(Company: l.Company),
        l.Score, l.Status, l.PageUrl, l.Referrer, l.Utm, l.CreatedAt, l.UpdatedAt, !piiVisible);
}

/// <summary>A lead's score and the rules that produced it, under the rules configured now.</summary>
public sealed record LeadScoreResponse(string LeadId, int Score, int Maximum, IReadOnlyList<LeadScorePart> Parts);

/// <summary>
/// The <c>data</c> of <c>lead.captured</c> and <c>lead.updated</c>: the lead, and with it the conversation's full
/// transcript, page URL, referrer, UTM and the score.
/// </summary>
public sealed record LeadEventData(
    string Id,
    string? BotId,
    string? ConversationId,
    string? ContactId,
    LeadFields Fields,
    int Score,
    string Status,
    string? PageUrl,
    string? Referrer,
    IReadOnlyDictionary<string, string> Utm,
    IReadOnlyList<MessageResponse> Transcript,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    public static LeadEventData From(Lead l, IReadOnlyList<MessageResponse> transcript) => new(
        l.Id, l.BotId, l.ConversationId, l.ContactId, new LeadFields(l.Name, l.Email, l.Phone, l.Company, l.Custom),
        l.Score, l.Status, l.PageUrl, l.Referrer, l.Utm, transcript, l.CreatedAt, l.UpdatedAt);
}

/// <summary>Fields of a lead that are not valid, by field name (<c>fields.email</c>, …).</summary>
public sealed class LeadInputException(IDictionary<string, string[]> errors)
    : Exception(string.Join(" ", errors.SelectMany(e => e.Value)))
{
    public IDictionary<string, string[]> Errors { get; } = errors;
}
