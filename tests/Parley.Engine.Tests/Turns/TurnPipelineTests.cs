using System.Diagnostics;
using Parley.Engine.Turns;

namespace Parley.Engine.Tests.Turns;

public sealed class TurnPipelineTests
{
    private sealed class RecordingStage(TurnStage stage, List<TurnStage> log, Exception? failWith = null) : ITurnStage
    {
        public TurnStage Stage => stage;

        public async ValueTask RunAsync(TurnContext turn, CancellationToken cancellationToken)
        {
            log.Add(stage);
            await Task.Yield();
            if (failWith is not null)
            {
                throw failWith;
            }
        }
    }

    private static TurnContext NewTurn() => new("conv_1", new TurnInput("hi", null, null));

    [Fact]
    public async Task RunAsync_StagesInOrder_RunInThatOrderAndAreTimed()
    {
        var log = new List<TurnStage>();
        var stages = TurnStageNames.All.Select(s => new RecordingStage(s, log));
        var turn = NewTurn();

        await new TurnPipeline(stages).RunAsync(turn, CancellationToken.None);

        Assert.Equal(TurnStageNames.All, log);
        Assert.All(TurnStageNames.All, s => Assert.NotNull(turn.Timings.Of(s)));
        Assert.Equal(["capture", "authenticate", "route", "generate", "side_effects", "return"], turn.Timings.ToDictionary().Keys);
    }

    [Fact]
    public void Constructor_StagesOutOfOrder_ThrowsNamingThePart()
    {
        var error = Assert.Throws<ArgumentException>(() => new TurnPipeline(TurnStageNames.All.Reverse().Select(s => new RecordingStage(s, []))));
        Assert.Contains("list the parts in stage order", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_MissingStage_Throws() =>
        Assert.Throws<ArgumentException>(() => new TurnPipeline(TurnStageNames.All.Skip(1).Select(s => new RecordingStage(s, []))));

    [Fact]
    public async Task RunAsync_StageWithSeveralParts_PartsRunInGivenOrderWithinTheStage()
    {
        var log = new List<TurnStage>();
        var parts = new List<string>();
        var stages = TurnStageNames.All.Select(s => (ITurnStage)new RecordingStage(s, log)).ToList();
        // Generate is the fourth stage: its parts go around it, before side effects.
        stages.Insert(3, new PartStage(TurnStage.Generate, "filter-in", parts));
        stages.Insert(4, new PartStage(TurnStage.Generate, "generate-part", parts));
        stages.Insert(6, new PartStage(TurnStage.Generate, "filter-out", parts));

        await new TurnPipeline(stages).RunAsync(NewTurn(), CancellationToken.None);

        Assert.Equal(TurnStageNames.All, log);
        Assert.Equal(["filter-in", "generate-part", "filter-out"], parts);
    }

    private sealed class PartStage(TurnStage stage, string name, List<string> log) : ITurnStage
    {
        public TurnStage Stage => stage;

        public ValueTask RunAsync(TurnContext turn, CancellationToken cancellationToken)
        {
            log.Add(name);
            return ValueTask.CompletedTask;
        }
    }

    [Fact]
    public async Task RunAsync_StageThrows_LaterStagesDoNotRunAndFailingStageIsTimed()
    {
        var log = new List<TurnStage>();
        var rejection = new TurnRejectedException(TurnRejection.Conflict, "closed");
        var stages = TurnStageNames.All.Select(s => new RecordingStage(s, log, s == TurnStage.Authenticate ? rejection : null));
        var turn = NewTurn();

        var thrown = await Assert.ThrowsAsync<TurnRejectedException>(() => new TurnPipeline(stages).RunAsync(turn, CancellationToken.None).AsTask());

        Assert.Same(rejection, thrown);
        Assert.Equal([TurnStage.Capture, TurnStage.Authenticate], log);
        Assert.NotNull(turn.Timings.Of(TurnStage.Authenticate));
        Assert.Null(turn.Timings.Of(TurnStage.Route));
    }

    [Fact]
    public async Task RunAsync_WithListener_EmitsOneSpanPerStageUnderTheTurn()
    {
        var spans = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == TurnPipeline.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Add,
        };
        ActivitySource.AddActivityListener(listener);

        await new TurnPipeline(TurnStageNames.All.Select(s => new RecordingStage(s, []))).RunAsync(NewTurn(), CancellationToken.None);

        var turnSpan = Assert.Single(spans, s => s.OperationName == "turn");
        var stageSpans = spans.Where(s => s.OperationName != "turn").ToList();
        Assert.Equal(TurnStageNames.All.Select(s => s.WireName()), stageSpans.Select(s => s.OperationName));
        Assert.All(stageSpans, s => Assert.Equal(turnSpan.SpanId, s.ParentSpanId));
    }
}
