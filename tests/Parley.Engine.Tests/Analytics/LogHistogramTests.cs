using Parley.Engine.Analytics;

namespace Parley.Engine.Tests.Analytics;

public sealed class LogHistogramTests
{
    /// <summary>Half a bucket of ten per decade, as a ratio: the most an estimate may be off.</summary>
    private static readonly double HalfBucket = Math.Pow(10, 0.05);

    [Fact]
    public void BucketOf_BoundsAreExclusiveBelowInclusiveAbove()
    {
        Assert.Equal(0, LogHistogram.BucketOf(0));
        Assert.Equal(0, LogHistogram.BucketOf(-5));
        Assert.Equal(0, LogHistogram.BucketOf(double.NaN));
        Assert.Equal(0, LogHistogram.BucketOf(LogHistogram.MinValue));
        Assert.Equal(1, LogHistogram.BucketOf(0.0101));
        // 1 ms is exactly the upper bound of bucket 20 (0.01 · 10^(20/10)).
        Assert.Equal(20, LogHistogram.BucketOf(1));
        Assert.Equal(21, LogHistogram.BucketOf(1.0001));
        Assert.Equal(LogHistogram.BucketCount - 2, LogHistogram.BucketOf(LogHistogram.MaxValue));
        Assert.Equal(LogHistogram.BucketCount - 1, LogHistogram.BucketOf(LogHistogram.MaxValue * 1.01));
        Assert.Equal(92, LogHistogram.BucketCount);
    }

    [Fact]
    public void BucketOf_EveryValueLiesWithinItsBucketsBounds()
    {
        var random = new Random(7);
        for (var i = 0; i < 10_000; i++)
        {
            var value = Math.Pow(10, random.NextDouble() * 10 - 2.5);
            var (lower, upper) = LogHistogram.Bounds(LogHistogram.BucketOf(value));
            Assert.True(value > lower || (lower == 0 && value >= 0), $"{value} below {lower}");
            Assert.True(value <= upper * (1 + 1e-9), $"{value} above {upper}");
        }
    }

    [Fact]
    public void Quantile_Empty_Null()
    {
        Assert.Null(new LogHistogram().Quantile(0.5));
    }

    [Fact]
    public void Quantile_OneValue_WithinHalfABucket()
    {
        var histogram = new LogHistogram();
        histogram.Add(250);

        Assert.InRange(histogram.Quantile(0.5)!.Value, 250 / HalfBucket / HalfBucket, 250 * HalfBucket * HalfBucket);
        Assert.Equal(histogram.Quantile(0.5), histogram.Quantile(0.95));
    }

    [Fact]
    public void Quantile_KnownDistribution_MedianAndP95WithinOneBucketOfExact()
    {
        var histogram = new LogHistogram();
        // 1 … 1000 ms: the exact median is 500, the nearest-rank 95th percentile 950.
        for (var ms = 1; ms <= 1000; ms++)
        {
            histogram.Add(ms);
        }

        Assert.Equal(1000, histogram.Count);
        var bucket = Math.Pow(10, 0.1);
        Assert.InRange(histogram.Quantile(0.5)!.Value, 500 / bucket, 500 * bucket);
        Assert.InRange(histogram.Quantile(0.95)!.Value, 950 / bucket, 950 * bucket);
        Assert.InRange(histogram.Quantile(1)!.Value, 1000 / bucket, 1000 * bucket);
        Assert.True(histogram.Quantile(0.5) < histogram.Quantile(0.95));
    }

    [Fact]
    public void Merge_DailyHistograms_SameQuantilesAsOneOverAllValues()
    {
        var random = new Random(42);
        var all = new LogHistogram();
        var merged = new LogHistogram();
        for (var day = 0; day < 30; day++)
        {
            var daily = new LogHistogram();
            for (var i = 0; i < 200; i++)
            {
                var ms = Math.Exp(random.NextDouble() * 8);
                daily.Add(ms);
                all.Add(ms);
            }
            // As stored and read back: bucket → count.
            merged.Merge(new LogHistogram(daily.Counts.ToDictionary()));
        }

        Assert.Equal(6000, merged.Count);
        Assert.Equal(all.Counts, merged.Counts);
        Assert.Equal(all.Quantile(0.5), merged.Quantile(0.5));
        Assert.Equal(all.Quantile(0.95), merged.Quantile(0.95));
    }

    [Fact]
    public void Quantile_Skewed_P95FindsTheSlowTail()
    {
        var histogram = new LogHistogram();
        histogram.Add(10, 90);
        histogram.Add(2000, 10);

        Assert.InRange(histogram.Quantile(0.5)!.Value, 10 / HalfBucket / HalfBucket, 10 * HalfBucket * HalfBucket);
        Assert.InRange(histogram.Quantile(0.95)!.Value, 2000 / HalfBucket / HalfBucket, 2000 * HalfBucket * HalfBucket);
        Assert.InRange(histogram.Quantile(0.9)!.Value, 10 / HalfBucket / HalfBucket, 10 * HalfBucket * HalfBucket);
    }

    [Fact]
    public void Constructor_BucketOutOfRange_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new LogHistogram(new Dictionary<int, long> { [LogHistogram.BucketCount] = 1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LogHistogram().Quantile(1.5));
    }
}
