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
