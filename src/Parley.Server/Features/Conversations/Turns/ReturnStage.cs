using Parley.Data.Entities;
using Parley.Engine.Turns;

namespace Parley.Server.Features.Conversations.Turns;

/// <summary>Stage 6: shapes the committed turn into the response the caller receives.</summary>
public sealed class ReturnStage : ITurnStage
{
    public TurnStage Stage => TurnStage.Return;

    public ValueTask RunAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        turn.Result = TurnResponses.Build(turn, (Conversation)turn.Result!);
        return ValueTask.CompletedTask;
    }
}

public static class TurnResponses
{
    /// <summary>The response of a turn. Bot messages share the turn's live timings, which the last stages still fill in.</summary>
    public static TurnResponse Build(TurnContext turn, Conversation conversation) => new(
        [.. turn.Replies.Select(r => Message(turn, r, turn.Timings))],
        Message(turn, turn.UserMessage!, null),
        ConversationResponse.From(conversation));

    private static MessageResponse Message(TurnContext turn, TurnMessage message, StageTimings? timings) => new(
        message.Id, turn.ConversationId, message.Role, message.Text,
        [.. message.QuickReplies.Select(q => new QuickReplyResponse(q.Label, q.Value))], timings, message.CreatedAt,
        CitationResponse.FromAll(message.Citations), message.Flags is { Count: > 0 } flags ? flags : null);
}
