using Microsoft.EntityFrameworkCore;
using Parley.Data;
using Parley.Data.Entities;

namespace Parley.Server.Features.Exports;

/// <summary>
/// The entities an export covers, by the name used in archive files and streaming URLs. Bots and webhook endpoints are
/// settings, not history: the date range does not apply to them.
/// </summary>
public static class ExportEntities
{
    public static readonly ExportEntity Bots = ExportEntity.Of<Bot>("bots", typeof(BotRecord),
        (db, f) => db.Bots.IgnoreQueryFilters([QueryFilters.NotDeleted]).Where(b => !f.ByBot || f.BotIds.Contains(b.Id)),
        (b, _) => BotRecord.From(b));

    public static readonly ExportEntity ModelProviders = ExportEntity.Of<ModelProvider>("model_providers", typeof(ModelProviderRecord),
        (db, f) => db.ModelProviders,
        (p, _) => ModelProviderRecord.From(p));

    public static readonly ExportEntity Contacts = ExportEntity.Of<Contact>("contacts", typeof(ContactRecord),
        (db, f) => ExportWithoutPii.Contacts(db.Contacts
            .Where(c => (f.Since == null || c.CreatedAt >= f.Since) && (f.Until == null || c.CreatedAt < f.Until))
            .Where(c => !f.ByBot || db.Conversations.Any(v => v.ContactId == c.Id && f.BotIds.Contains(v.BotId))), f),
        (c, f) => ContactRecord.From(c, f.IncludePii));

    public static readonly ExportEntity Conversations = ExportEntity.Of<Conversation>("conversations", typeof(ConversationRecord),
        (db, f) => ExportWithoutPii.Conversations(Narrowed(db.Conversations
            .Where(c => (f.Since == null || c.CreatedAt >= f.Since) && (f.Until == null || c.CreatedAt < f.Until))
            .Where(c => !f.ByBot || f.BotIds.Contains(c.BotId)), db, f), f),
        (c, f) => ConversationRecord.From(c, f.IncludePii));

    public static readonly ExportEntity Messages = ExportEntity.Of<Message>("messages", typeof(MessageRecord),
        (db, f) => ExportWithoutPii.Messages(db.Messages
            .Where(m => (f.Since == null || m.CreatedAt >= f.Since) && (f.Until == null || m.CreatedAt < f.Until))
            .Where(m => !f.ByBot || db.Conversations.Any(c => c.Id == m.ConversationId && f.BotIds.Contains(c.BotId))), f),
        (m, f) => MessageRecord.From(m, f.IncludePii));

    /// <summary>Internal notes agents left on conversations; the visitor never saw them.</summary>
    public static readonly ExportEntity ConversationNotes = ExportEntity.Of<ConversationNote>("conversation_notes", typeof(ConversationNoteRecord),
        (db, f) => ExportWithoutPii.ConversationNotes(db.ConversationNotes
            .Where(n => (f.Since == null || n.CreatedAt >= f.Since) && (f.Until == null || n.CreatedAt < f.Until))
            .Where(n => !f.ByBot || db.Conversations.Any(c => c.Id == n.ConversationId && f.BotIds.Contains(c.BotId))), f),
        (n, f) => ConversationNoteRecord.From(n, f.IncludePii));

    public static readonly ExportEntity CannedResponses = ExportEntity.Of<CannedResponse>("canned_responses", typeof(CannedResponseRecord),
        (db, f) => db.CannedResponses,
        (r, _) => CannedResponseRecord.From(r));

    public static readonly ExportEntity Events = ExportEntity.Of<DomainEventRecord>("events", typeof(EventRecord),
        (db, f) => ExportWithoutPii.Events(db.Events
            .Where(e => (f.Since == null || e.CreatedAt >= f.Since) && (f.Until == null || e.CreatedAt < f.Until))
            .Where(e => !f.ByBot || db.Conversations.Any(c => c.Id == e.ConversationId && f.BotIds.Contains(c.BotId))), f),
        (e, f) => EventRecord.From(e, f.IncludePii));

    public static readonly ExportEntity WebhookEndpoints = ExportEntity.Of<WebhookEndpoint>("webhook_endpoints", typeof(WebhookEndpointRecord),
        (db, f) => db.WebhookEndpoints,
        (w, _) => WebhookEndpointRecord.From(w));

    public static readonly ExportEntity WebhookDeliveries = ExportEntity.Of<WebhookDelivery>("webhook_deliveries", typeof(WebhookDeliveryRecord),
        (db, f) => db.WebhookDeliveries
            .Where(d => (f.Since == null || d.CreatedAt >= f.Since) && (f.Until == null || d.CreatedAt < f.Until))
            .Where(d => !f.ByBot || db.Conversations.Any(c => c.Id == d.ConversationId && f.BotIds.Contains(c.BotId))),
        (d, _) => WebhookDeliveryRecord.From(d));

    public static readonly ExportEntity WebhookAttempts = ExportEntity.Of<WebhookAttempt>("webhook_attempts", typeof(WebhookAttemptRecord),
        (db, f) => ExportWithoutPii.WebhookAttempts(db.WebhookAttempts
            .Where(a => (f.Since == null || a.AttemptedAt >= f.Since) && (f.Until == null || a.AttemptedAt < f.Until))
            .Where(a => !f.ByBot || db.WebhookDeliveries.Any(d => d.Id == a.DeliveryId
                && db.Conversations.Any(c => c.Id == d.ConversationId && f.BotIds.Contains(c.BotId)))), f),
        (a, f) => WebhookAttemptRecord.From(a, f.IncludePii));

    public static readonly ExportEntity Leads = ExportEntity.Of<Lead>("leads", typeof(LeadRecord),
        (db, f) => ExportWithoutPii.Leads(db.Leads
            .Where(l => (f.Since == null || l.CreatedAt >= f.Since) && (f.Until == null || l.CreatedAt < f.Until))
            .Where(l => !f.ByBot || (l.BotId != null && f.BotIds.Contains(l.BotId))), f),
        (l, f) => LeadRecord.From(l, f.IncludePii));

    public static readonly ExportEntity Bookings = ExportEntity.Of<Booking>("bookings", typeof(BookingRecord),
        (db, f) => ExportWithoutPii.Bookings(db.Bookings
            .Where(b => (f.Since == null || b.CreatedAt >= f.Since) && (f.Until == null || b.CreatedAt < f.Until))
            .Where(b => !f.ByBot || f.BotIds.Contains(b.BotId)), f),
        (b, f) => BookingRecord.From(b, f.IncludePii));

    /// <summary>Knowledge sources with their text and chunks: settings, so the date range does not apply. Few to a page, each may be long.</summary>
    public static readonly ExportEntity KnowledgeSources = ExportEntity.OfPages<KnowledgeSource>("knowledge_sources", typeof(KnowledgeSourceRecord),
        (db, f) => db.KnowledgeSources.Where(s => !f.ByBot || f.BotIds.Contains(s.BotId)),
        async (db, sources, _, cancellationToken) =>
        {
            var ids = sources.Select(s => s.Id).ToList();
            var chunks = (await db.KnowledgeChunks.AsNoTracking().Where(c => ids.Contains(c.SourceId)).ToListAsync(cancellationToken))
                .ToLookup(c => c.SourceId, StringComparer.Ordinal);
            return [.. sources.Select(s => (object)KnowledgeSourceRecord.From(s, chunks[s.Id]))];
        },
        pageSize: 20);

    public static readonly ExportEntity ApiKeys = ExportEntity.Of<ApiKey>("api_keys", typeof(ApiKeyRecord),
        (db, f) => db.ApiKeys,
        (k, _) => ApiKeyRecord.From(k));

    /// <summary>Dashboard users of the workspace: settings, so the date range does not apply. No secret of theirs is read.</summary>
    public static readonly ExportEntity Users = ExportEntity.Of<User>("users", typeof(UserRecord),
        (db, f) =>
        {
            var workspaceId = db.ScopedWorkspaceId;
            return db.Users.Where(u => u.WorkspaceId == workspaceId);
        },
        (u, f) => UserRecord.From(u, f.IncludePii));

    public static readonly ExportEntity Invitations = ExportEntity.Of<Invitation>("invitations", typeof(InvitationRecord),
        (db, f) => db.Invitations,
        (i, f) => InvitationRecord.From(i, f.IncludePii));

    /// <summary>The audit log is history: the date range applies. It belongs to the workspace, not to a bot.</summary>
    public static readonly ExportEntity AuditEntries = ExportEntity.Of<AuditEntry>("audit_entries", typeof(AuditEntryRecord),
        (db, f) => db.AuditEntries.Where(a => (f.Since == null || a.CreatedAt >= f.Since) && (f.Until == null || a.CreatedAt < f.Until)),
        (a, f) => AuditEntryRecord.From(a, f.IncludePii));

    /// <summary>
    /// Metered usage, one row per month and metric. Counters are the workspace's, not a bot's: an export narrowed to
    /// bots leaves them out; the date range keeps the months it overlaps.
    /// </summary>
    public static readonly ExportEntity UsageCounters = UsageCounterRecord.Entity;

    /// <summary>Daily analytics per bot: derived data, computed when exported (never imported).</summary>
    public static readonly ExportEntity AnalyticsDaily = Features.Analytics.AnalyticsExport.Entity;

    private static IQueryable<Conversation> Narrowed(IQueryable<Conversation> rows, ParleyDbContext db, ExportFilter filter) =>
        filter.Conversations is { } conversations ? conversations.Apply(rows, db, filter.CallerMayReadPii, filter.ConversationMessageMatches) : rows;

    /// <summary>What <c>GET /v1/export/{entity}</c> serves.</summary>
    public static readonly IReadOnlyDictionary<string, ExportEntity> Streamable = new[]
    {
        Bots, Contacts, Conversations, Messages, Events, WebhookEndpoints, WebhookDeliveries, WebhookAttempts, Leads, Bookings, ModelProviders, KnowledgeSources,
        UsageCounters, ConversationNotes, CannedResponses,
        AnalyticsDaily,
    }.ToDictionary(e => e.Name, StringComparer.Ordinal);
}
