using Parley.Engine.Turns;

namespace Parley.Engine.Responders;

/// <summary>
/// What a responder is asked: the bot, the conversation so far, and the visitor's new message. Optionally the contact's
/// known attributes (for a model's context), <see cref="Deltas"/>, where a responder that produces its reply piece by
/// piece writes each piece as it arrives (token streaming), and <see cref="KnowledgeSourceIds"/>, which limits knowledge
/// search to those sources (a flow's AI answer block). <see cref="Knowledge"/> holds passages already searched for
/// <see cref="UserText"/> (the route stage's), which the responder uses instead of searching again.
/// </summary>
public sealed record ResponderRequest(
    BotProfile Bot,
    IReadOnlyList<TurnMessage> History,
    string UserText,
    IReadOnlyDictionary<string, string>? ContactAttributes = null,
    ReplyDeltaWriter? Deltas = null,
    IReadOnlyList<string>? KnowledgeSourceIds = null,
    string? GuardrailInstructions = null,
    Knowledge.KnowledgeSearch? Knowledge = null);

/// <summary>Receives the pieces of one reply as a responder produces them; the pieces join to the reply's text.</summary>
public delegate ValueTask ReplyDeltaWriter(string delta, CancellationToken cancellationToken);

/// <summary>
/// The bot's answer to one message, with the sources it quotes. <see cref="Unanswered"/> says the responder could not
/// answer from what it knows (the owner hears of it as a <c>question.unanswered</c> event).
/// </summary>
public sealed record ResponderReply(
    string Text,
    IReadOnlyList<QuickReply> QuickReplies,
    IReadOnlyList<Citation>? Citations = null,
    bool Unanswered = false,
    TokenUsage? Usage = null);

/// <summary>Produces the bot's reply to a visitor's message (stage 4 of the turn pipeline).</summary>
public interface IResponder
{
    ValueTask<ResponderReply> RespondAsync(ResponderRequest request, CancellationToken cancellationToken);
}
