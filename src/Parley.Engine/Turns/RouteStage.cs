namespace Parley.Engine.Turns;

/// <summary>
/// Stage 3: decides who answers. A conversation handed to a person gets no bot reply; one whose flow is still running
/// is answered by the flow; otherwise the responder answers.
/// </summary>
public sealed class RouteStage : ITurnStage
{
    public TurnStage Stage => TurnStage.Route;

    public ValueTask RunAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        var conversation = turn.Conversation ?? throw new InvalidOperationException("Capture must load the conversation.");
        turn.Route = conversation.Status == ConversationStatus.Handoff ? TurnRoute.HumanAgent
            : turn.Flow is { State.Finished: false } ? TurnRoute.Flow
            : TurnRoute.Responder;
        return ValueTask.CompletedTask;
    }
}
