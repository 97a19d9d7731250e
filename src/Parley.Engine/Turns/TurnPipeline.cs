using System.Diagnostics;

namespace Parley.Engine.Turns;

/// <summary>
/// Runs the six stages of a turn in order, timing each one and tracing it as a span of
/// <see cref="ActivitySourceName"/>. Stages are supplied by the host; the pipeline owns only the order.
/// </summary>
public sealed class TurnPipeline
{
    /// <summary>The name of the <see cref="ActivitySource"/> whose spans are the stages of each turn.</summary>
    public const string ActivitySourceName = "Parley.Turn";

    private static readonly ActivitySource Source = new(ActivitySourceName);
    private readonly ITurnStage[] _stages;

    /// <summary>
    /// The parts of the turn in the order they run, as the host lists them. A stage may have several parts (generate,
    /// then its guardrail filters): parts of one stage run in the order given and their times add up to the stage's
    /// time. Every stage needs a part, and the parts must come in stage order: the list is the pipeline, read top down.
    /// </summary>
    public TurnPipeline(IEnumerable<ITurnStage> stages)
    {
        _stages = [.. stages];
        if (!TurnStageNames.All.All(expected => _stages.Any(s => s.Stage == expected)))
        {
            throw new ArgumentException("The pipeline needs every stage.", nameof(stages));
        }
        for (var i = 1; i < _stages.Length; i++)
        {
            if (_stages[i].Stage < _stages[i - 1].Stage)
            {
                throw new ArgumentException(
                    $"{_stages[i].GetType().Name} ({_stages[i].Stage.WireName()}) is listed after a part of {_stages[i - 1].Stage.WireName()}: list the parts in stage order.",
                    nameof(stages));
            }
        }
    }

    /// <summary>The parts in the order they run.</summary>
    public IReadOnlyList<ITurnStage> Parts => _stages;

    public async ValueTask RunAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        using var turnActivity = Source.StartActivity("turn");
        turnActivity?.SetTag("parley.conversation_id", turn.ConversationId);
        foreach (var stage in _stages)
        {
            using var activity = Source.StartActivity(stage.Stage.WireName());
            var started = Stopwatch.GetTimestamp();
            try
            {
                await stage.RunAsync(turn, cancellationToken);
            }
            catch (Exception ex)
            {
                activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
                turnActivity?.SetStatus(ActivityStatusCode.Error, ex.Message);
                throw;
            }
            finally
            {
                turn.Timings.Add(stage.Stage, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        }
    }
}
