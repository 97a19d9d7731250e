using Parley.Engine.Turns;

namespace Parley.Engine.Responders;

/// <summary>What a responder is asked: the bot, the conversation so far, and the visitor's new message.</summary>
/// <remarks><see cref="KnowledgeSourceIds"/>, when given, limits knowledge search to those sources (a flow's AI answer block).</remarks>
public sealed record ResponderRequest(
    BotProfile Bot, IReadOnlyList<TurnMessage> History, string UserText, IReadOnlyList<string>? KnowledgeSourceIds = null);

/// <summary>
/// The bot's answer to one message, with the sources it quotes. <see cref="Unanswered"/> says the responder could not
/// answer from what it knows (the owner hears of it as a <c>question.unanswered</c> event).
/// </summary>
public sealed record ResponderReply(
    string Text,
    IReadOnlyList<QuickReply> QuickReplies,
    IReadOnlyList<Citation>? Citations = null,
    bool Unanswered = false);

/// <summary>Produces the bot's reply to a visitor's message (stage 4 of the turn pipeline).</summary>
public interface IResponder
{
    ValueTask<ResponderReply> RespondAsync(ResponderRequest request, CancellationToken cancellationToken);
}
