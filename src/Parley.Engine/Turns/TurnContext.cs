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

    public TurnRoute Route { get; set; }

    public TurnMessage? UserMessage { get; set; }

    public List<TurnMessage> Replies { get; } = [];

    /// <summary>The visitor's question when the responder could not answer it, for the owner's list of knowledge gaps.</summary>
    public string? UnansweredQuestion { get; set; }

    public StageTimings Timings { get; } = new();

    /// <summary>What the return stage hands back to the caller.</summary>
    public object? Result { get; set; }

    /// <summary>The flow this conversation runs on and where it is in it; null when the bot answers every turn.</summary>
    public FlowSession? Flow { get; set; }

    /// <summary>Why the turn asks for a person (a flow's handoff block, an escalation trigger), or null.</summary>
    public string? HandoffReason { get; set; }
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

    /// <summary>The bot's published flow, at the block waiting for the visitor's answer.</summary>
    Flow,
}
