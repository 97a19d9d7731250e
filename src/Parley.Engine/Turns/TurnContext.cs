using Parley.Engine.Escalation;
using Parley.Engine.Guardrails;

namespace Parley.Engine.Turns;

/// <summary>Everything one turn knows, filled in stage by stage.</summary>
public sealed class TurnContext(string conversationId, TurnInput input)
{
    public string ConversationId { get; } = conversationId;

    public TurnInput Input { get; } = input;

    /// <summary>The text of the visitor's message after validation: the typed text or the chosen reply.</summary>
    public string? UserText { get; set; }

    public TurnConversation? Conversation { get; set; }

    public BotProfile? Bot { get; set; }

    /// <summary>Earlier messages of the conversation, oldest first, for the responder's context.</summary>
    public IReadOnlyList<TurnMessage> History { get; set; } = [];

    /// <summary>
    /// The knowledge-base passages for the visitor's message, searched in the route stage when the bot's responder
    /// answers; null when nothing was searched (the responder then searches itself, as a flow's AI block does).
    /// </summary>
    public TurnKnowledge? Knowledge { get; set; }

    /// <summary>What is known about the contact (name and custom attributes), for a model's context.</summary>
    public IReadOnlyDictionary<string, string>? ContactAttributes { get; set; }

    /// <summary>
    /// Set by a caller that streams: receives each piece of a bot reply as the responder produces it, before the turn
    /// commits. Null for callers that wait for the whole answer.
    /// </summary>
    public IReplyDeltaSink? DeltaSink { get; set; }

    public TurnRoute Route { get; set; }

    public TurnMessage? UserMessage { get; set; }

    public List<TurnMessage> Replies { get; } = [];

    /// <summary>The visitor's question when the responder could not answer it, for the owner's list of knowledge gaps.</summary>
    public string? UnansweredQuestion { get; set; }

    public StageTimings Timings { get; } = new();

    /// <summary>The bot's guardrails, loaded at capture.</summary>
    public GuardrailSettings Guardrails { get; set; } = GuardrailSettings.None;

    /// <summary>The bot's escalation triggers, loaded at capture.</summary>
    public EscalationSettings Escalation { get; set; } = EscalationSettings.Default;

    /// <summary>
    /// Why this conversation should go to a person. Any stage before side effects may set it (a flow's handoff block,
    /// a guardrail, an escalation trigger); the conversation then moves to <see cref="ConversationStatus.Handoff"/>, the
    /// <c>handoff.requested</c> event is raised, and the visitor is told what happens next instead of a bot answer.
    /// </summary>
    public string? HandoffReason { get; set; }

    /// <summary>
    /// Set when the flow itself asked for the handoff (a handoff block): its messages of this turn, the block's text
    /// among them, are kept and the notice follows them, instead of the notice replacing the bot's answer.
    /// </summary>
    public bool HandoffKeepsReplies { get; set; }

    /// <summary>
    /// The score of the lead this conversation produced: the stored one, loaded at capture (when the bot has a
    /// <c>lead_score_above</c> trigger), raised by a lead a flow's capture-lead block scores during the turn. The
    /// <c>escalation.lead_score_above</c> trigger compares it (before generate, and again after it in the handoff stage).
    /// </summary>
    public double? LeadScore { get; set; }

    /// <summary>Guardrail rules a model should follow (tone, topics, length, links), for the responder's instructions.</summary>
    public string? GuardrailInstructions { get; set; }

    /// <summary>The flow this conversation runs on and where it is in it; null when the bot answers every turn.</summary>
    public FlowSession? Flow { get; set; }
}

/// <summary>Knowledge searched for <see cref="Query"/>: it answers the message only while the message still reads so.</summary>
public sealed record TurnKnowledge(string Query, Knowledge.KnowledgeSearch Search)
{
    /// <summary>The search, when it was made for <paramref name="text"/> (a guardrail may have changed the text since).</summary>
    public Knowledge.KnowledgeSearch? For(string? text) => string.Equals(text, Query, StringComparison.Ordinal) ? Search : null;
}

/// <summary>A conversation's pinned flow version, its state, and what the flow's conditions read.</summary>
public sealed record FlowSession(int Version, Flows.FlowGraph Graph, Flows.FlowState State, Flows.FlowContext Context);

/// <summary>Who answers a turn.</summary>
public enum TurnRoute
{
    /// <summary>The bot's responder (the built-in answerer or a model).</summary>
    Responder,

    /// <summary>Nobody: a person has taken the conversation over, so the bot stays quiet.</summary>
    HumanAgent,

    /// <summary>A guardrail already answered (a refusal), so the responder is not asked.</summary>
    Guardrail,

    /// <summary>The bot's published flow, at the block waiting for the visitor's answer.</summary>
    Flow,
}

/// <summary>Where the pieces of bot replies go while a turn is still being generated (token streaming).</summary>
public interface IReplyDeltaSink
{
    ValueTask WriteAsync(string messageId, string delta, CancellationToken cancellationToken);
}
