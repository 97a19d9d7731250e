namespace Parley.Engine.Turns;

/// <summary>One stage of the turn pipeline. A stage rejects a turn by throwing a <see cref="TurnRejectedException"/>.</summary>
public interface ITurnStage
{
    TurnStage Stage { get; }

    ValueTask RunAsync(TurnContext turn, CancellationToken cancellationToken);
}
