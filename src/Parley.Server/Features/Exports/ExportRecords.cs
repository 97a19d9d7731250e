using System.Text.Json;
using System.Text.Json.Serialization;
using Parley.Data.Entities;
using Parley.Engine.Keys;
using Parley.Engine.Responders;
using Parley.Engine.Turns;

namespace Parley.Server.Features.Exports;

// The export format, one record per row (docs/export-format.md). Each record maps an entity out (From) and back
// (ToEntity) so that an archive imported elsewhere exports to the same bytes: the round trip is lossless.

/// <summary>The workspace and its settings; <see cref="AssignmentRules"/> is null when they were never set (and in older archives).</summary>
public sealed record WorkspaceRecord(
    string Id, string Name, IReadOnlyList<string> NotificationEmails, DateTimeOffset CreatedAt, AssignmentRulesRecord? AssignmentRules = null)
{
    public static WorkspaceRecord From(Workspace w, WorkspaceAssignmentRules? rules) =>
        new(w.Id, w.Name, w.NotificationEmails, w.CreatedAt, rules is null ? null : AssignmentRulesRecord.From(rules));
}

/// <summary>How handoffs are shared (docs/inbox.md); where the round-robin stands is not kept: it starts afresh.</summary>
public sealed record AssignmentRulesRecord(int? Capacity, bool AutoAssign, int? ReassignAfterMinutes, DateTimeOffset UpdatedAt)
{
    public static AssignmentRulesRecord From(WorkspaceAssignmentRules r) => new(r.Capacity, r.AutoAssign, r.ReassignAfterMinutes, r.UpdatedAt);

    public Engine.Assignment.AssignmentRules ToRules() => new(Capacity, AutoAssign, ReassignAfterMinutes);

    public WorkspaceAssignmentRules ToEntity(string workspaceId) => new()
    {
        Id = workspaceId,
        WorkspaceId = workspaceId,
        Capacity = Capacity,
        AutoAssign = AutoAssign,
        ReassignAfterMinutes = ReassignAfterMinutes,
        UpdatedAt = UpdatedAt,
    };
}

/// <summary>Key metadata only: neither the secret, nor its hash, nor a publishable token leave the server.</summary>
public sealed record ApiKeyRecord(
    string Id, ApiKeyKind Kind, string Name, string Prefix, IReadOnlyList<string> Scopes, IReadOnlyList<string> AllowedOrigins,
    string? BotId, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt)
{
    public static ApiKeyRecord From(ApiKey k) =>
        new(k.Id, k.Kind, k.Name, k.Prefix, k.Scopes, k.AllowedOrigins, k.BotId, k.CreatedAt, k.LastUsedAt, k.RevokedAt);
}

public sealed record BotModelRecord(string Provider, string? Name, double? Temperature, int? MaxTokens, string? FallbackProvider = null);

public sealed record BotThemeRecord(string? PrimaryColor, string? Position, string? LauncherText, string? AvatarUrl, string? Title);

/// <summary>A published flow version in <c>bots.json</c>.</summary>
public sealed record FlowVersionRecord(int Version, JsonElement Flow, DateTimeOffset PublishedAt);

public sealed record BotRecord(
    string Id, string Name, string? Instructions, string? Greeting, string FallbackText, BotModelRecord Model, BotThemeRecord Theme,
    JsonElement? Guardrails, JsonElement? Escalation, JsonElement? BusinessHours,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? DeletedAt, JsonElement? Booking = null,
    JsonElement? FlowDraft = null, IReadOnlyList<FlowVersionRecord>? FlowVersions = null)
{
    public static BotRecord From(Bot b) => new(
        b.Id, b.Name, b.Instructions, b.Greeting, b.FallbackText,
        new BotModelRecord(b.Model.Provider, b.Model.Name, b.Model.Temperature, b.Model.MaxTokens, b.Model.FallbackProvider),
        new BotThemeRecord(b.Theme.PrimaryColor, b.Theme.Position, b.Theme.LauncherText, b.Theme.AvatarUrl, b.Theme.Title),
        ParseJson(b.GuardrailsJson), ParseJson(b.EscalationJson), ParseJson(b.BusinessHoursJson),
        b.CreatedAt, b.UpdatedAt, b.DeletedAt, ParseJson(b.BookingJson),
        ParseJson(b.FlowDraftJson), [.. b.FlowVersions.Select(v => new FlowVersionRecord(v.Number, ParseJson(v.Graph)!.Value, v.PublishedAt))]);

    public Bot ToEntity(string workspaceId) => new()
    {
        Id = Id,
        WorkspaceId = workspaceId,
        Name = Name,
        Instructions = Instructions,
        Greeting = Greeting,
        FallbackText = FallbackText,
        Model = new BotModelSettings
        {
            Provider = Model.Provider, Name = Model.Name, Temperature = Model.Temperature, MaxTokens = Model.MaxTokens, FallbackProvider = Model.FallbackProvider,
        },
        Theme = new BotTheme { PrimaryColor = Theme.PrimaryColor, Position = Theme.Position, LauncherText = Theme.LauncherText, AvatarUrl = Theme.AvatarUrl, Title = Theme.Title },
        GuardrailsJson = Guardrails?.GetRawText(),
        EscalationJson = Escalation?.GetRawText(),
        BusinessHoursJson = BusinessHours?.GetRawText(),
        BookingJson = Booking?.GetRawText(),
        FlowDraftJson = FlowDraft?.GetRawText(),
        FlowVersions = [.. (FlowVersions ?? []).Select(v => new FlowVersion { Number = v.Version, Graph = v.Flow.GetRawText(), PublishedAt = v.PublishedAt })],
        CreatedAt = CreatedAt,
        UpdatedAt = UpdatedAt,
        DeletedAt = DeletedAt,
    };

    internal static JsonElement? ParseJson(string? json)
    {
        if (json is null)
        {
            return null;
        }
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}

/// <summary>A contact. Without the <c>export:pii</c> scope the PII fields (name, email, phone, attributes) are left out.</summary>
public sealed record ContactRecord(
    string Id, string? ExternalId,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Name = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Email = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Phone = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyDictionary<string, string>? Attributes = null,
    [property: JsonRequired] DateTimeOffset CreatedAt = default, [property: JsonRequired] DateTimeOffset LastSeenAt = default)
{
    public static readonly IReadOnlyList<string> PiiFields = ["name", "email", "phone", "attributes"];

    public static ContactRecord From(Contact c, bool includePii) => includePii
        ? new(c.Id, c.ExternalId, c.Name, c.Email, c.Phone, c.Attributes, c.CreatedAt, c.LastSeenAt)
        : new(c.Id, c.ExternalId, null, null, null, null, c.CreatedAt, c.LastSeenAt);

    public Contact ToEntity(string workspaceId) => new()
    {
        Id = Id,
        WorkspaceId = workspaceId,
        ExternalId = ExternalId,
        Name = Name,
        Email = Email,
        Phone = Phone,
        Attributes = Attributes?.ToDictionary() ?? [],
        CreatedAt = CreatedAt,
        LastSeenAt = LastSeenAt,
    };
}

/// <summary>
/// A conversation. Without the <c>export:pii</c> scope the metadata that can identify a visitor (page URL, referrer,
/// UTM, user agent) and the flow state (the answers a flow collected) are left out.
/// </summary>
public sealed record ConversationRecord(
    string Id, string BotId, string ContactId, string Channel, string Status,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? PageUrl = null, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Referrer = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyDictionary<string, string>? Utm = null, [property: JsonRequired] string? Locale = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? UserAgent = null, [property: JsonRequired] string? Device = null, [property: JsonRequired] int MessageCount = 0,
    [property: JsonRequired] DateTimeOffset CreatedAt = default, [property: JsonRequired] DateTimeOffset UpdatedAt = default,
    [property: JsonRequired] DateTimeOffset? LastMessageAt = null,
    DateTimeOffset? HandoffRequestedAt = null, string? HandoffReason = null, string? AssignedKeyId = null, DateTimeOffset? AssignedAt = null,
    DateTimeOffset? FirstAgentReplyAt = null, DateTimeOffset? ResolvedAt = null, bool AwaitingContactDetails = false,
    int? FlowVersion = null, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] JsonElement? FlowState = null,
    string? AssignedUserId = null)
{
    public static readonly IReadOnlyList<string> PiiFields = ["page_url", "referrer", "utm", "user_agent", "flow_state"];

    public static ConversationRecord From(Conversation c) => From(c, includePii: true);

    public static ConversationRecord From(Conversation c, bool includePii) => new(
        c.Id, c.BotId, c.ContactId, c.Channel, c.Status, includePii ? c.PageUrl : null, includePii ? c.Referrer : null, includePii ? c.Utm : null,
        c.Locale, includePii ? c.UserAgent : null, c.Device,
        c.MessageCount, c.CreatedAt, c.UpdatedAt, c.LastMessageAt,
        c.HandoffRequestedAt, c.HandoffReason, c.AssignedKeyId, c.AssignedAt, c.FirstAgentReplyAt, c.ResolvedAt, c.AwaitingContactDetails,
        c.FlowVersion, includePii ? BotRecord.ParseJson(c.FlowStateJson) : null, c.AssignedUserId);

    public Conversation ToEntity(string workspaceId, string botId, string contactId) => new()
    {
        Id = Id,
        WorkspaceId = workspaceId,
        BotId = botId,
        ContactId = contactId,
        Channel = Channel,
        Status = Status,
        PageUrl = PageUrl,
        Referrer = Referrer,
        Utm = Utm?.ToDictionary() ?? [],
        Locale = Locale,
        UserAgent = UserAgent,
        Device = Device,
        MessageCount = MessageCount,
        FlowVersion = FlowVersion,
        FlowStateJson = FlowState?.GetRawText(),
        CreatedAt = CreatedAt,
        UpdatedAt = UpdatedAt,
        LastMessageAt = LastMessageAt,
        HandoffRequestedAt = HandoffRequestedAt,
        HandoffReason = HandoffReason,
        AssignedKeyId = AssignedKeyId,
        AssignedUserId = AssignedUserId,
        AssignedAt = AssignedAt,
        FirstAgentReplyAt = FirstAgentReplyAt,
        ResolvedAt = ResolvedAt,
        AwaitingContactDetails = AwaitingContactDetails,
    };
}

/// <summary>A message. Without the <c>export:pii</c> scope its text (the transcript) is left out.</summary>
public sealed record MessageRecord(
    string Id, string ConversationId, MessageRole Role, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Text = null,
    [property: JsonRequired] IReadOnlyList<QuickReply>? QuickReplies = null,
    [property: JsonRequired] IReadOnlyDictionary<string, double>? Timings = null, [property: JsonRequired] DateTimeOffset CreatedAt = default,
    IReadOnlyList<string>? Flags = null, string? AuthorKeyId = null, TokenUsage? Usage = null, string? AuthorUserId = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? AuthorName = null)
{
    public static readonly IReadOnlyList<string> PiiFields = ["text", "author_name"];

    public static MessageRecord From(Message m) => From(m, includePii: true);

    public static MessageRecord From(Message m, bool includePii) => new(
        m.Id, m.ConversationId, m.Role, includePii ? m.Text : null, m.QuickReplies, m.Timings, m.CreatedAt, m.Flags is { Count: > 0 } ? m.Flags : null,
        m.AuthorKeyId, m.Usage, m.AuthorUserId, includePii ? m.AuthorName : null);

    public Message ToEntity(string workspaceId, string conversationId) => new()
    {
        Id = Id,
        WorkspaceId = workspaceId,
        ConversationId = conversationId,
        Role = Role,
        Text = Text ?? "",
        QuickReplies = [.. QuickReplies ?? []],
        Timings = Timings?.ToDictionary(),
        Usage = Usage,
        CreatedAt = CreatedAt,
        Flags = Flags is { Count: > 0 } ? [.. Flags] : null,
        AuthorKeyId = AuthorKeyId,
        AuthorUserId = AuthorUserId,
        AuthorName = AuthorName,
    };
}

/// <summary>
/// A domain event; <c>data</c> is the payload exactly as webhooks delivered it. Payloads are encrypted at rest, and
/// without the <c>export:pii</c> scope <c>data</c> is left out.
/// </summary>
public sealed record EventRecord(
    string Id, string Type, [property: JsonRequired] string? ConversationId = null, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] JsonElement? Data = null,
    [property: JsonRequired] DateTimeOffset CreatedAt = default)
{
    public static readonly IReadOnlyList<string> PiiFields = ["data"];

    public static EventRecord From(DomainEventRecord e) => From(e, includePii: true);

    public static EventRecord From(DomainEventRecord e, bool includePii) =>
        new(e.Id, e.Type, e.ConversationId, includePii ? BotRecord.ParseJson(e.DataJson)!.Value : null, e.CreatedAt);

    public DomainEventRecord ToEntity(string workspaceId, string? conversationId) => new()
    {
        Id = Id,
        WorkspaceId = workspaceId,
        Type = Type,
        ConversationId = conversationId,
        DataJson = Data?.GetRawText() ?? "{}",
        CreatedAt = CreatedAt,
    };
}

/// <summary>A webhook subscription without its signing secrets; an import gives it a new secret.</summary>
public sealed record WebhookEndpointRecord(
    string Id, string Url, string? Description, IReadOnlyList<string> Events, bool Enabled, string? DisabledReason,
    DateTimeOffset? FailingSince, int ConsecutiveFailures, DateTimeOffset? LastFailureAt, string? LastFailure,
    DateTimeOffset? LastSuccessAt, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static WebhookEndpointRecord From(WebhookEndpoint w) => new(
        w.Id, w.Url, w.Description, w.Events, w.Enabled, w.DisabledReason, w.FailingSince, w.ConsecutiveFailures,
        w.LastFailureAt, w.LastFailure, w.LastSuccessAt, w.CreatedAt, w.UpdatedAt);

    public WebhookEndpoint ToEntity(string workspaceId, string secretProtected) => new()
    {
        Id = Id,
        WorkspaceId = workspaceId,
        Url = Url,
        Description = Description,
        Events = [.. Events],
        Enabled = Enabled,
        DisabledReason = DisabledReason,
        SecretProtected = secretProtected,
        FailingSince = FailingSince,
        ConsecutiveFailures = ConsecutiveFailures,
        LastFailureAt = LastFailureAt,
        LastFailure = LastFailure,
        LastSuccessAt = LastSuccessAt,
        CreatedAt = CreatedAt,
        UpdatedAt = UpdatedAt,
    };
}

public sealed record WebhookDeliveryRecord(
    string Id, string EndpointId, string EventId, string EventType, string? ConversationId, string Status, int Attempts,
    DateTimeOffset NextAttemptAt, DateTimeOffset? LastAttemptAt, int? LastStatusCode, string? LastError,
    DateTimeOffset? DeliveredAt, DateTimeOffset CreatedAt)
{
    public static WebhookDeliveryRecord From(WebhookDelivery d) => new(
        d.Id, d.EndpointId, d.EventId, d.EventType, d.ConversationId, d.Status, d.Attempts, d.NextAttemptAt,
        d.LastAttemptAt, d.LastStatusCode, d.LastError, d.DeliveredAt, d.CreatedAt);

    public WebhookDelivery ToEntity(string workspaceId, string endpointId, string eventId, string? conversationId) => new()
    {
        Id = Id,
        WorkspaceId = workspaceId,
        EndpointId = endpointId,
        EventId = eventId,
        EventType = EventType,
        ConversationId = conversationId,
        Status = Status,
        Attempts = Attempts,
        NextAttemptAt = NextAttemptAt,
        LastAttemptAt = LastAttemptAt,
        LastStatusCode = LastStatusCode,
        LastError = LastError,
        DeliveredAt = DeliveredAt,
        CreatedAt = CreatedAt,
    };
}

/// <summary>An HTTP attempt. Receivers often answer with the payload they got: without the <c>export:pii</c> scope the excerpt of the answer is left out.</summary>
public sealed record WebhookAttemptRecord(
    string Id, string DeliveryId, string EndpointId, DateTimeOffset AttemptedAt, double DurationMs, int? StatusCode,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ResponseExcerpt = null, [property: JsonRequired] string? Error = null, [property: JsonRequired] bool Succeeded = false)
{
    public static readonly IReadOnlyList<string> PiiFields = ["response_excerpt"];

    public static WebhookAttemptRecord From(WebhookAttempt a, bool includePii) =>
        new(a.Id, a.DeliveryId, a.EndpointId, a.AttemptedAt, a.DurationMs, a.StatusCode, includePii ? a.ResponseExcerpt : null, a.Error, a.Succeeded);

    public WebhookAttempt ToEntity(string workspaceId, string deliveryId, string endpointId) => new()
    {
        Id = Id,
        WorkspaceId = workspaceId,
        DeliveryId = deliveryId,
        EndpointId = endpointId,
        AttemptedAt = AttemptedAt,
        DurationMs = DurationMs,
        StatusCode = StatusCode,
        ResponseExcerpt = ResponseExcerpt,
        Error = Error,
        Succeeded = Succeeded,
    };
}

/// <summary>A lead. Without the <c>export:pii</c> scope the PII fields (name, email, phone, custom, page URL, referrer, UTM) are left out.</summary>
public sealed record LeadRecord(
    string Id, string? BotId, string? ConversationId, string? ContactId,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Name = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Email = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Phone = null,
    string? Company = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyDictionary<string, string>? Custom = null,
    [property: JsonRequired] string Status = "", [property: JsonRequired] int Score = 0,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? PageUrl = null, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Referrer = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyDictionary<string, string>? Utm = null,
    [property: JsonRequired] DateTimeOffset CreatedAt = default, [property: JsonRequired] DateTimeOffset UpdatedAt = default)
{
    public static readonly IReadOnlyList<string> PiiFields = ["name", "email", "phone", "custom", "page_url", "referrer", "utm"];

    public static LeadRecord From(Lead l, bool includePii) => includePii
        ? new(l.Id, l.BotId, l.ConversationId, l.ContactId, l.Name, l.Email, l.Phone, l.Company, l.Custom, l.Status, l.Score, l.PageUrl, l.Referrer, l.Utm, l.CreatedAt, l.UpdatedAt)
        : new(l.Id, l.BotId, l.ConversationId, l.ContactId, null, null, null, l.Company, null, l.Status, l.Score, null, null, null, l.CreatedAt, l.UpdatedAt);

    public Lead ToEntity(string workspaceId, string? botId, string? conversationId, string? contactId) => new()
    {
        Id = Id,
        WorkspaceId = workspaceId,
        BotId = botId,
        ConversationId = conversationId,
        ContactId = contactId,
        Name = Name,
        Email = Email,
        Phone = Phone,
        Company = Company,
        Custom = Custom?.ToDictionary() ?? [],
        Status = Status,
        Score = Score,
        PageUrl = PageUrl,
        Referrer = Referrer,
        Utm = Utm?.ToDictionary() ?? [],
        CreatedAt = CreatedAt,
        UpdatedAt = UpdatedAt,
    };
}

/// <summary>A model provider connection without its API key, which never leaves the server.</summary>
public sealed record ModelProviderRecord(
    string Id, string Name, string Kind, string? BaseUrl, string? DefaultModel, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static ModelProviderRecord From(ModelProvider p) => new(p.Id, p.Name, p.Kind, p.BaseUrl, p.DefaultModel, p.CreatedAt, p.UpdatedAt);

    public ModelProvider ToEntity(string workspaceId) => new()
    {
        Id = Id,
        WorkspaceId = workspaceId,
        Name = Name,
        Kind = Kind,
        BaseUrl = BaseUrl,
        DefaultModel = DefaultModel,
        CreatedAt = CreatedAt,
        UpdatedAt = UpdatedAt,
    };
}

/// <summary>A booking, with the seat it holds. Without the <c>export:pii</c> scope the PII fields (name, email, phone, notes) are left out.</summary>
public sealed record BookingRecord(
    string Id, string BotId, string? ContactId, string? ConversationId,
    [property: JsonRequired] DateTimeOffset Start = default, [property: JsonRequired] DateTimeOffset End = default,
    [property: JsonRequired] string TimeZone = "", [property: JsonRequired] int Seat = 0, [property: JsonRequired] string Status = "",
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Name = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Email = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Phone = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Notes = null,
    [property: JsonRequired] DateTimeOffset CreatedAt = default, DateTimeOffset? CancelledAt = null, string? CancelReason = null)
{
    public static readonly IReadOnlyList<string> PiiFields = ["name", "email", "phone", "notes"];

    public static BookingRecord From(Booking b, bool includePii) => new(
        b.Id, b.BotId, b.ContactId, b.ConversationId, b.Start, b.End, b.TimeZone, b.Seat, b.Status,
        includePii ? b.Name : null, includePii ? b.Email : null, includePii ? b.Phone : null, includePii ? b.Notes : null,
        b.CreatedAt, b.CancelledAt, b.CancelReason);

    public Booking ToEntity(string workspaceId, string botId, string? contactId, string? conversationId) => new()
    {
        Id = Id,
        WorkspaceId = workspaceId,
        BotId = botId,
        ContactId = contactId,
        ConversationId = conversationId,
        Start = Start,
        End = End,
        TimeZone = TimeZone,
        Seat = Seat,
        Status = Status,
        Name = Name,
        Email = Email,
        Phone = Phone,
        Notes = Notes,
        CreatedAt = CreatedAt,
        CancelledAt = CancelledAt,
        CancelReason = CancelReason,
    };
}

/// <summary>
/// A knowledge source with its text and its passages. <c>content</c> is the text given or extracted from a PDF (null
/// for a URL source, whose text lives only in its chunks); <c>chunks</c> are the passages search reads, in order, so an
/// import restores them exactly as they were (a URL is not fetched again) and indexes them for search at once.
/// </summary>
public sealed record KnowledgeSourceRecord(
    string Id, string BotId, string Type, string Title, string? Url, string? Content, string Status, string? FailureReason,
    long ContentLength, int? CrawlMaxDepth, int? CrawlMaxPages, int PageCount,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? SyncedAt, IReadOnlyList<KnowledgeChunkRecord> Chunks)
{
    public static KnowledgeSourceRecord From(KnowledgeSource s, IEnumerable<KnowledgeChunk> chunks) => new(
        s.Id, s.BotId, s.Type, s.Title, s.Url, s.Content, s.Status, s.FailureReason, s.ContentLength, s.CrawlMaxDepth, s.CrawlMaxPages,
        s.PageCount, s.CreatedAt, s.UpdatedAt, s.SyncedAt,
        [.. chunks.OrderBy(c => c.Ordinal).Select(c => new KnowledgeChunkRecord(
            c.Ordinal, Parley.Data.Knowledge.KnowledgeIndex.SplitHeadingPath(c.HeadingPath), c.Text, c.TokenCount))]);

    public KnowledgeSource ToEntity(string workspaceId, string botId) => new()
    {
        Id = Id,
        WorkspaceId = workspaceId,
        BotId = botId,
        Type = Type,
        Title = Title,
        Url = Url,
        Content = Content,
        Status = Status,
        FailureReason = FailureReason,
        ChunkCount = Chunks.Count,
        ContentLength = ContentLength,
        CrawlMaxDepth = CrawlMaxDepth,
        CrawlMaxPages = CrawlMaxPages,
        PageCount = PageCount,
        CreatedAt = CreatedAt,
        UpdatedAt = UpdatedAt,
        SyncedAt = SyncedAt,
    };

    /// <summary>The source's chunks with their search terms, computed the way indexing computes them.</summary>
    public IEnumerable<KnowledgeChunk> ChunkEntities(string workspaceId, string botId, string sourceId) => Chunks.Select(c => new KnowledgeChunk
    {
        WorkspaceId = workspaceId,
        BotId = botId,
        SourceId = sourceId,
        Ordinal = c.Ordinal,
        HeadingPath = string.Join(Parley.Data.Knowledge.KnowledgeIndex.HeadingSeparator, c.HeadingPath),
        Text = c.Text,
        TokenCount = c.TokenCount,
        SearchHeading = Parley.Engine.Knowledge.SearchTerms.ToIndexText(string.Join(' ', c.HeadingPath.Prepend(Title))),
        SearchBody = Parley.Engine.Knowledge.SearchTerms.ToIndexText(c.Text),
    });
}

/// <summary>One passage of a knowledge source: its place, the headings above it (outermost first), its text and size.</summary>
public sealed record KnowledgeChunkRecord(int Ordinal, IReadOnlyList<string> HeadingPath, string Text, int TokenCount);
