using Parley.Engine.Turns;

namespace Parley.Engine.Tests.Turns;

public sealed class StageTimingsTests
{
    [Fact]
    public void ToServerTimingHeader_RecordedStagesInOrder()
    {
        var timings = new StageTimings();
        timings.Record(TurnStage.Generate, 2.5);
        timings.Record(TurnStage.Capture, 0.4123);
        timings.Add(TurnStage.Capture, 0.1);
        Assert.Equal("capture;dur=0.512, generate;dur=2.5", timings.ToServerTimingHeader());
    }

    [Fact]
    public void ToDictionary_Empty_Empty() => Assert.Empty(new StageTimings().ToDictionary());
}
