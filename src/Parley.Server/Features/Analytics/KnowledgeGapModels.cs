namespace Parley.Server.Features.Analytics;

/// <summary>The unanswered questions of a range, grouped (docs/analytics.md, "Knowledge gaps").</summary>
public sealed record KnowledgeGapsResponse(
    string? BotId,
    DateOnly From,
    DateOnly To,
    int UnansweredQuestions,
    int Groups,
    IReadOnlyList<KnowledgeGap> Data);

/// <summary>
/// Questions of one bot that ask the same thing: the most frequent wording, how often and when they were asked, up to
/// five wordings and conversations, and the knowledge source that answers them once one is added.
/// </summary>
public sealed record KnowledgeGap(
    string BotId,
    string Question,
    int Count,
    DateTimeOffset FirstAskedAt,
    DateTimeOffset LastAskedAt,
    IReadOnlyList<string> Wordings,
    IReadOnlyList<string> ConversationIds,
    string? AnsweredBySourceId,
    DateTimeOffset? AnsweredAt);
