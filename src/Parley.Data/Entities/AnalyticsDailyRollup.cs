namespace Parley.Data.Entities;

/// <summary>
/// One bot's figures for one UTC day, derived from conversations, messages, events and bookings (docs/analytics.md).
/// Every figure adds up across days: counts add, histograms merge bucket by bucket. Recomputing a day writes the
/// same row.
/// </summary>
public sealed class AnalyticsDailyRollup : IWorkspaceOwned
{
    public required string WorkspaceId { get; init; }
    public required string BotId { get; init; }
    public DateOnly Day { get; init; }

    public int ConversationsStarted { get; set; }

    /// <summary>Conversations whose first visitor message was on this day.</summary>
    public int EngagedConversations { get; set; }
    public int VisitorMessages { get; set; }
    public int BotMessages { get; set; }
    public int AgentMessages { get; set; }

    /// <summary>Visitor messages answered from the knowledge base or by a model, without <c>question.unanswered</c>.</summary>
    public int QuestionsAnswered { get; set; }
    public int QuestionsUnanswered { get; set; }
    public int HandoffsRequested { get; set; }

    /// <summary>Handoffs whose first agent reply was on this day; their waits are in <see cref="HandoffWaitSeconds"/>.</summary>
    public int HandoffsAnswered { get; set; }
    public double HandoffWaitSecondsTotal { get; set; }

    /// <summary>Seconds from handoff request to first agent reply, as <c>LogHistogram</c> bucket → count.</summary>
    public Dictionary<int, long> HandoffWaitSeconds { get; set; } = [];
    public int ConversationsClosed { get; set; }
    public int LeadsCaptured { get; set; }
    public int BookingsMade { get; set; }

    /// <summary>Guardrail and escalation flags on messages of the day, by flag.</summary>
    public Dictionary<string, long> GuardrailFlags { get; set; } = [];

    /// <summary>Tokens of model replies, one entry per provider and model.</summary>
    public List<AnalyticsTokenTotals> Tokens { get; set; } = [];

    /// <summary>Milliseconds per turn stage of bot replies, by stage, as <c>LogHistogram</c> bucket → count.</summary>
    public Dictionary<string, Dictionary<int, long>> StageLatency { get; set; } = [];

    public DateTimeOffset ComputedAt { get; set; }
}

/// <summary>The tokens one provider and model used on a day.</summary>
public sealed record AnalyticsTokenTotals(string Provider, string Model, long Replies, long PromptTokens, long CompletionTokens);

/// <summary>A day (UTC) of a workspace whose data changed after it ended: its roll-up is recomputed, then this row goes.</summary>
public sealed class AnalyticsStaleDay : IWorkspaceOwned
{
    public required string Id { get; init; }
    public required string WorkspaceId { get; init; }
    public DateOnly Day { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
}

/// <summary>How far a workspace's roll-ups go: every day up to <see cref="RolledUpThrough"/> has its rows.</summary>
public sealed class AnalyticsRollupState : IWorkspaceOwned
{
    public required string WorkspaceId { get; init; }
    public DateOnly RolledUpThrough { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}
