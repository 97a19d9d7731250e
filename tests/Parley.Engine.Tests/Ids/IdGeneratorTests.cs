using Microsoft.Extensions.Time.Testing;
using Parley.Engine.Ids;

namespace Parley.Engine.Tests.Ids;

public sealed class IdGeneratorTests
{
    [Fact]
    public void New_ManyInOneMillisecond_StrictlyIncreasingInOrdinalOrder()
    {
        var generator = new IdGenerator(new FakeTimeProvider(DateTimeOffset.Parse("2026-11-24T13:45:00Z", System.Globalization.CultureInfo.InvariantCulture)));
        var ids = Enumerable.Range(0, 10_000).Select(_ => generator.New("msg")).ToList();
        for (var i = 1; i < ids.Count; i++)
        {
            Assert.True(string.CompareOrdinal(ids[i - 1], ids[i]) < 0, $"{ids[i - 1]} !< {ids[i]}");
        }
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    [Fact]
    public void New_GeneratorsOnTheSameMillisecond_RandomPartsDiffer()
    {
        // Nothing but the random bits tells these ids apart: a random byte used twice would make two of them equal.
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-05T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var ids = Enumerable.Range(0, 1_000).Select(_ => new IdGenerator(clock).New("msg")).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.Equal(ids.Count, ids.Select(id => id[^13..]).Distinct().Count());
    }

    [Fact]
    public void New_ClockMovesBackwards_StillIncreasing()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddYears(56));
        var generator = new IdGenerator(clock);
        var first = generator.New("evt");
        clock.AdjustTime(clock.GetUtcNow().AddSeconds(-5));
        var second = generator.New("evt");
        Assert.True(string.CompareOrdinal(first, second) < 0);
    }

    [Fact]
    public void New_HasPrefixAndTimestamp()
    {
        var now = DateTimeOffset.FromUnixTimeMilliseconds(1_795_000_000_123);
        var id = new IdGenerator(new FakeTimeProvider(now)).New("conv");
        Assert.StartsWith("conv_", id, StringComparison.Ordinal);
        Assert.Equal(5 + 26, id.Length);
        Assert.Equal(now, IdGenerator.TimestampOf(id));
    }

    [Fact]
    public void LowestFor_SortsBetweenIdsMadeBeforeAndAfter()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddYears(56));
        var generator = new IdGenerator(clock);
        var before = generator.New("conv");
        clock.Advance(TimeSpan.FromMilliseconds(2));
        var boundary = IdGenerator.LowestFor("conv", clock.GetUtcNow());
        var after = generator.New("conv");
        Assert.True(string.CompareOrdinal(before, boundary) < 0);
        Assert.True(string.CompareOrdinal(boundary, after) <= 0);
    }

    [Fact]
    public void TimestampOf_NotAnId_Null() => Assert.Null(IdGenerator.TimestampOf("conv_nope"));
}
