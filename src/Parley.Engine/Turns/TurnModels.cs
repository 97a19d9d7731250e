using Parley.Engine.Responders;

namespace Parley.Engine.Turns;

/// <summary>Who wrote a message.</summary>
public enum MessageRole
{
    User,
    Bot,
    Agent,
    System,
}

/// <summary>A button the visitor can press instead of typing; <see cref="Value"/> comes back as the turn's choice.</summary>
public sealed record QuickReply(string Label, string Value);

/// <summary>One message of a turn, before or after it is stored. <see cref="Flags"/> are the guardrail hits on it.</summary>
public sealed record TurnMessage(
    string Id,
    MessageRole Role,
    string Text,
    DateTimeOffset CreatedAt,
    IReadOnlyList<QuickReply> QuickReplies,
    IReadOnlyList<Citation>? Citations = null,
    IReadOnlyList<string>? Flags = null)
{
    /// <summary>This message with <paramref name="flags"/> added to its guardrail flags (each once).</summary>
    public TurnMessage WithFlags(IEnumerable<string> flags) =>
        this with { Flags = [.. (Flags ?? []).Concat(flags).Distinct(StringComparer.Ordinal)] };
}

/// <summary>The settings of a bot that a turn needs.</summary>
public sealed record BotProfile(
    string Id,
    string Name,
    string? Instructions,
    string? Greeting,
    string FallbackText,
    bool HasKnowledge = true);

/// <summary>Where the visitor was when they wrote: stored on the conversation and with events.</summary>
public sealed record TurnMetadata(
    string? PageUrl,
    string? Referrer,
    IReadOnlyDictionary<string, string>? Utm,
    string? Locale,
    string? UserAgent);

/// <summary>What a caller sent: free text, or the value of a quick reply it pressed.</summary>
public sealed record TurnInput(string? Text, string? Choice, TurnMetadata? Metadata);

/// <summary>The state of the conversation a turn runs in, as loaded at capture.</summary>
public sealed record TurnConversation(string Id, string BotId, string ContactId, string Status);
