namespace Parley.Client.Models;

/// <summary>What a lead told us; <c>Custom</c> holds any other fields, as text.</summary>
public sealed record LeadFields(
    string? Name = null, string? Email = null, string? Phone = null, string? Company = null, IReadOnlyDictionary<string, string>? Custom = null);

/// <summary>A lead; its personal data is null (and <c>PiiHidden</c> true) unless the caller may read it.</summary>
public sealed record LeadResponse(
    string Id, string? BotId, string? ConversationId, string? ContactId, LeadFields Fields, int Score, string Status,
    string? PageUrl, string? Referrer, IReadOnlyDictionary<string, string> Utm, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, bool PiiHidden);

/// <summary>A new <c>Status</c> along the pipeline and/or fields; fields left out stay.</summary>
public sealed record UpdateLeadRequest(string? Status = null, LeadFields? Fields = null);

/// <summary>One rule's share of a lead's score.</summary>
public sealed record LeadScorePart(string Rule, int Points, string Detail);

/// <summary>A lead's score and the rules that produced it.</summary>
public sealed record LeadScoreResponse(string LeadId, int Score, int Maximum, IReadOnlyList<LeadScorePart> Parts);
