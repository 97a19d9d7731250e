using Parley.Data.Entities;

namespace Parley.Server.Features.Exports;

/// <summary>
/// The rows of an export without PII, read without their encrypted columns: the database never returns them, so
/// nothing is decrypted. The columns left out are the records' <c>PiiFields</c>.
/// </summary>
public static class ExportWithoutPii
{
    public static IQueryable<Contact> Contacts(IQueryable<Contact> rows, ExportFilter filter) => filter.IncludePii ? rows : rows.Select(c => new Contact
    {
        Id = c.Id, WorkspaceId = c.WorkspaceId, ExternalId = c.ExternalId, CreatedAt = c.CreatedAt, LastSeenAt = c.LastSeenAt,
    });

    public static IQueryable<Conversation> Conversations(IQueryable<Conversation> rows, ExportFilter filter) => filter.IncludePii ? rows : rows.Select(c => new Conversation
    {
        Id = c.Id, WorkspaceId = c.WorkspaceId, BotId = c.BotId, ContactId = c.ContactId, Channel = c.Channel, Status = c.Status,
        Locale = c.Locale, Device = c.Device, MessageCount = c.MessageCount, FlowVersion = c.FlowVersion, Version = c.Version,
        CreatedAt = c.CreatedAt, UpdatedAt = c.UpdatedAt, LastMessageAt = c.LastMessageAt, HandoffRequestedAt = c.HandoffRequestedAt,
        HandoffReason = c.HandoffReason, AssignedKeyId = c.AssignedKeyId, AssignedUserId = c.AssignedUserId, AssignedAt = c.AssignedAt, FirstAgentReplyAt = c.FirstAgentReplyAt,
        ResolvedAt = c.ResolvedAt, AwaitingContactDetails = c.AwaitingContactDetails,
    });

    public static IQueryable<Message> Messages(IQueryable<Message> rows, ExportFilter filter) => filter.IncludePii ? rows : rows.Select(m => new Message
    {
        Id = m.Id, WorkspaceId = m.WorkspaceId, ConversationId = m.ConversationId, Role = m.Role, Text = "", QuickReplies = m.QuickReplies,
        Citations = m.Citations, Timings = m.Timings, Usage = m.Usage, CreatedAt = m.CreatedAt, Flags = m.Flags, AuthorKeyId = m.AuthorKeyId,
        AuthorUserId = m.AuthorUserId,
    });

    public static IQueryable<DomainEventRecord> Events(IQueryable<DomainEventRecord> rows, ExportFilter filter) => filter.IncludePii ? rows : rows.Select(e => new DomainEventRecord
    {
        Id = e.Id, WorkspaceId = e.WorkspaceId, Type = e.Type, ConversationId = e.ConversationId, DataJson = "{}", CreatedAt = e.CreatedAt,
    });

    public static IQueryable<WebhookAttempt> WebhookAttempts(IQueryable<WebhookAttempt> rows, ExportFilter filter) => filter.IncludePii ? rows : rows.Select(a => new WebhookAttempt
    {
        Id = a.Id, WorkspaceId = a.WorkspaceId, DeliveryId = a.DeliveryId, EndpointId = a.EndpointId, AttemptedAt = a.AttemptedAt,
        DurationMs = a.DurationMs, StatusCode = a.StatusCode, Error = a.Error, Succeeded = a.Succeeded,
    });

    public static IQueryable<Lead> Leads(IQueryable<Lead> rows, ExportFilter filter) => filter.IncludePii ? rows : rows.Select(l => new Lead
    {
        Id = l.Id, WorkspaceId = l.WorkspaceId, BotId = l.BotId, ConversationId = l.ConversationId, ContactId = l.ContactId, Company = l.Company,
        EmailIndex = l.EmailIndex, Status = l.Status, Score = l.Score, Version = l.Version, CreatedAt = l.CreatedAt, UpdatedAt = l.UpdatedAt,
    });

    public static IQueryable<Booking> Bookings(IQueryable<Booking> rows, ExportFilter filter) => filter.IncludePii ? rows : rows.Select(b => new Booking
    {
        Id = b.Id, WorkspaceId = b.WorkspaceId, BotId = b.BotId, ContactId = b.ContactId, ConversationId = b.ConversationId, Start = b.Start,
        End = b.End, TimeZone = b.TimeZone, Seat = b.Seat, Status = b.Status, CreatedAt = b.CreatedAt, CancelledAt = b.CancelledAt,
        CancelReason = b.CancelReason,
    });

    public static IQueryable<ConversationNote> ConversationNotes(IQueryable<ConversationNote> rows, ExportFilter filter) => filter.IncludePii ? rows : rows.Select(n => new ConversationNote
    {
        Id = n.Id, WorkspaceId = n.WorkspaceId, ConversationId = n.ConversationId, Text = "", AuthorKeyId = n.AuthorKeyId, AuthorUserId = n.AuthorUserId,
        CreatedAt = n.CreatedAt,
    });
}
