using Parley.Engine.Knowledge;

namespace Parley.Engine.Prompts;

/// <summary>Who speaks a message of a prompt. Instructions only ever travel as <see cref="System"/>.</summary>
public enum PromptRole
{
    System,
    User,
    Assistant,
}

/// <summary>One message of a prompt.</summary>
public sealed record PromptMessage(PromptRole Role, string Text);

/// <summary>A knowledge passage as the model sees it: the <see cref="Id"/> (<c>1</c>, <c>2</c>, …) it cites as <c>[1]</c>.</summary>
public sealed record PromptPassage(int Id, KnowledgePassage Passage);

/// <summary>
/// A prompt ready to send: the system message first, then the kept history and the visitor's message.
/// <see cref="DroppedHistory"/> counts the oldest history messages left out to stay within the token budget.
/// </summary>
public sealed record Prompt(
    IReadOnlyList<PromptMessage> Messages,
    IReadOnlyList<PromptPassage> Passages,
    int EstimatedTokens,
    int DroppedHistory)
{
    public string SystemText => Messages[0].Text;
}
