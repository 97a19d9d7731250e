namespace Parley.Engine.Guardrails;

/// <summary>
/// The names of guardrail and escalation hits, recorded on messages as <c>flags</c>. They are stable strings: analytics
/// count them and integrations may filter on them.
/// </summary>
public static class GuardrailFlags
{
    public const string OffTopic = "topic.off_topic";
    public const string BlockedTopic = "topic.blocked";
    public const string BlockedTermInput = "blocked_term.input";
    public const string BlockedTermOutput = "blocked_term.output";
    public const string Injection = "injection";
    public const string InstructionsLeak = "output.instructions_leak";
    public const string OutputTruncated = "output.truncated";
    public const string LinkRemoved = "output.link_removed";
    public const string Unanswered = "unanswered";
    public const string PersonRequested = "escalation.person_requested";
    public const string UnansweredStreak = "escalation.unanswered";
    public const string NegativeSentiment = "escalation.sentiment";
    public const string EscalationKeyword = "escalation.keyword";
    public const string LeadScore = "escalation.lead_score";
    public const string FlowHandoff = "escalation.flow";
    public const string ContactDetailsRequested = "handoff.contact_requested";

    /// <summary>The flag of a redacted kind of personal data: <c>pii.card</c>, <c>pii.email</c>, …</summary>
    public static string Pii(string kind) => "pii." + kind;
}
