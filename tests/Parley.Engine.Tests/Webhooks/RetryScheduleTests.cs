using CsCheck;
using Parley.Engine.Webhooks;

namespace Parley.Engine.Tests.Webhooks;

public sealed class RetryScheduleTests
{
    [Fact]
    public void Default_SevenRetriesOverAboutTwentyEightHours()
    {
        Assert.Equal(7, RetrySchedule.Default.Count);
        Assert.Equal(TimeSpan.FromSeconds(5), RetrySchedule.Default[0]);
        Assert.Equal(TimeSpan.FromHours(10), RetrySchedule.Default[^1]);
        Assert.InRange(RetrySchedule.Default.Aggregate(TimeSpan.Zero, (sum, wait) => sum + wait), TimeSpan.FromHours(27), TimeSpan.FromHours(28));
    }

    [Theory]
    [InlineData(1, 5)]
    [InlineData(2, 300)]
    [InlineData(7, 36000)]
    public void NextDelay_MiddleOfTheJitter_TheScheduledWait(int attemptsMade, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), RetrySchedule.NextDelay(RetrySchedule.Default, attemptsMade, 0.5));

    [Fact]
    public void NextDelay_JitterEnds_TenPercentEitherSide()
    {
        Assert.Equal(TimeSpan.FromMinutes(27), RetrySchedule.NextDelay(RetrySchedule.Default, 3, 0));
        Assert.Equal(TimeSpan.FromMinutes(33).TotalSeconds, RetrySchedule.NextDelay(RetrySchedule.Default, 3, 0.999999)!.Value.TotalSeconds, 0.01);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(8)]
    public void NextDelay_BeforeFirstAttemptOrScheduleUsedUp_Null(int attemptsMade) =>
        Assert.Null(RetrySchedule.NextDelay(RetrySchedule.Default, attemptsMade, 0.5));

    [Fact]
    public void NextDelay_AnyRandom_WithinTenPercentOfTheWaitAndGrowingWithIt() =>
        Gen.Select(Gen.Int[1, 7], Gen.Double[0, 0.999999]).Sample((attempt, random) =>
        {
            var wait = RetrySchedule.Default[attempt - 1];
            var delay = RetrySchedule.NextDelay(RetrySchedule.Default, attempt, random)!.Value;
            var later = RetrySchedule.NextDelay(RetrySchedule.Default, attempt, Math.Min(random + 0.1, 0.999999))!.Value;
            return delay >= wait * 0.9 && delay < wait * 1.1 && later >= delay;
        }, iter: 200);
}
