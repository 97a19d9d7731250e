using Parley.Engine.Usage;

namespace Parley.Engine.Tests.Usage;

public sealed class UsagePeriodTests
{
    [Theory]
    [InlineData("2026-11", 2026, 11)]
    [InlineData("2000-01", 2000, 1)]
    [InlineData("0999-12", 999, 12)]
    public void TryParse_YearDashMonth_Parsed(string text, int year, int month)
    {
        Assert.True(UsagePeriod.TryParse(text, out var period));
        Assert.Equal(new UsagePeriod(year, month), period);
        Assert.Equal(text, period.ToString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("2026-13")]
    [InlineData("2026-00")]
    [InlineData("2026-1")]
    [InlineData("2026/11")]
    [InlineData("+026-11")]
    [InlineData("2026-1 ")]
    [InlineData("0000-05")]
    [InlineData("2026-11-01")]
    public void TryParse_Anything_Else_False(string? text) => Assert.False(UsagePeriod.TryParse(text, out _));

    [Fact]
    public void Of_InstantWithAnOffset_TheUtcMonth()
    {
        // 00:30 on 1 December in Berlin is still November in UTC.
        var period = UsagePeriod.Of(new DateTimeOffset(2026, 12, 1, 0, 30, 0, TimeSpan.FromHours(1)));
        Assert.Equal(new UsagePeriod(2026, 11), period);
        Assert.Equal(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero), period.Start);
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero), period.End);
    }

    [Fact]
    public void End_December_JanuaryOfTheNextYear() =>
        Assert.Equal(new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero), new UsagePeriod(2026, 12).End);

    [Fact]
    public void CompareTo_OrdersByYearThenMonth()
    {
        Assert.True(new UsagePeriod(2025, 12).CompareTo(new UsagePeriod(2026, 1)) < 0);
        Assert.True(new UsagePeriod(2026, 2).CompareTo(new UsagePeriod(2026, 1)) > 0);
        Assert.Equal(0, new UsagePeriod(2026, 2).CompareTo(new UsagePeriod(2026, 2)));
    }
}

public sealed class PlanLimitsTests
{
    [Fact]
    public void Allows_BelowTheLimit_TrueAtTheLimit_False()
    {
        var plan = new PlanLimits(Messages: 3);
        Assert.True(plan.Allows(UsageMetrics.Messages, 2));
        Assert.False(plan.Allows(UsageMetrics.Messages, 3));
        Assert.False(plan.Allows(UsageMetrics.Messages, 4));
        Assert.True(plan.Allows(UsageMetrics.ConversationsStarted, long.MaxValue));
    }

    [Fact]
    public void For_EveryMetric_ItsOwnLimit()
    {
        var plan = new PlanLimits(1, 2, 3, 4, 5, 6, 7, 8);
        Assert.Equal([1L, 2, 3, 4, 5, 6, 7, 8], UsageMetrics.All.Select(m => plan.For(m)!.Value));
        Assert.Null(plan.For("unknown"));
        Assert.All(UsageMetrics.All, m => Assert.Null(PlanLimits.Unlimited.For(m)));
    }

    [Theory]
    [InlineData(0, null, null)]
    [InlineData(412, 500L, 82.4)]
    [InlineData(1, 3L, 33.3)]
    [InlineData(2, 3L, 66.7)]
    [InlineData(600, 500L, 120.0)]
    [InlineData(0, 0L, 100.0)]
    public void PercentUsed_OneDecimal(long used, long? limit, double? expected) =>
        Assert.Equal(expected, PlanLimits.PercentUsed(used, limit));
}
