namespace Parley.Engine.Turns;

/// <summary>The six stages every visitor message goes through, in this order.</summary>
public enum TurnStage
{
    Capture,
    Authenticate,
    Route,
    Generate,
    SideEffects,
    Return,
}

public static class TurnStageNames
{
    /// <summary>Every stage in pipeline order.</summary>
    public static IReadOnlyList<TurnStage> All { get; } = Enum.GetValues<TurnStage>();

    /// <summary>The name of a stage on the wire: in <c>Server-Timing</c>, in the <c>timings</c> object and in spans.</summary>
    public static string WireName(this TurnStage stage) => stage switch
    {
        TurnStage.Capture => "capture",
        TurnStage.Authenticate => "authenticate",
        TurnStage.Route => "route",
        TurnStage.Generate => "generate",
        TurnStage.SideEffects => "side_effects",
        TurnStage.Return => "return",
        _ => throw new ArgumentOutOfRangeException(nameof(stage)),
    };
}
