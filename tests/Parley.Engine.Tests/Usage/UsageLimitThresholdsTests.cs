using Parley.Engine.Usage;

namespace Parley.Engine.Tests.Usage;

public sealed class UsageLimitThresholdsTests
{
    [Theory]
    [InlineData(7, 10, new int[0])]
    [InlineData(8, 10, new[] { 80 })]
    [InlineData(9, 10, new[] { 80 })]
    [InlineData(10, 10, new[] { 80, 100 })]
    [InlineData(12, 10, new[] { 80, 100 })]
    [InlineData(7, 9, new int[0])]
    [InlineData(8, 9, new[] { 80 })]
    [InlineData(0, 0, new[] { 80, 100 })]
    [InlineData(long.MaxValue, long.MaxValue, new[] { 80, 100 })]
    public void At_UsedAgainstLimit_TheThresholdsReached(long used, long limit, int[] expected) =>
        Assert.Equal(expected, UsageLimitThresholds.At(used, limit));

    [Fact]
    public void At_NoLimit_None() => Assert.Empty(UsageLimitThresholds.At(1_000_000, null));
}
