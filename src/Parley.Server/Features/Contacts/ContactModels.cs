using Parley.Server.Features.Exports;

namespace Parley.Server.Features.Contacts;

/// <summary>Everything Parley holds about one person, in the records of the export format.</summary>
public sealed record ContactExport(
    ContactRecord Contact, IReadOnlyList<ConversationRecord> Conversations, IReadOnlyList<MessageRecord> Messages,
    IReadOnlyList<EventRecord> Events, DateTimeOffset ExportedAt,
    IReadOnlyList<LeadRecord>? Leads = null, IReadOnlyList<BookingRecord>? Bookings = null);

public sealed record ContactErasureResult(string Id, bool Erased, DateTimeOffset ErasedAt, int MessagesRedacted, int EventsScrubbed);

/// <summary>The <c>contact.erased</c> event: ids and counts only, never what was erased.</summary>
public sealed record ContactErasedEvent(string ContactId, IReadOnlyList<string> ConversationIds, int MessagesRedacted, int EventsScrubbed);

/// <summary>
/// A contact as the dashboard's contact panel shows it. <c>external_id</c>, <c>name</c>, <c>email</c>, <c>phone</c> and <c>attributes</c>
/// are personal data: in clear only for callers who answer visitors (<c>agent</c>) or may export personal data
/// (<c>export:pii</c>); for others they are null and <c>pii_hidden</c> is true.
/// </summary>
public sealed record ContactResponse(
    string Id, string? ExternalId, string? Name, string? Email, string? Phone, IReadOnlyDictionary<string, string>? Attributes, bool PiiHidden,
    DateTimeOffset CreatedAt, DateTimeOffset LastSeenAt);
