namespace Parley.Engine.Analytics;

/// <summary>
/// A histogram over fixed, log-spaced buckets: ten per decade from <see cref="MinValue"/> to <see cref="MaxValue"/>,
/// plus one bucket for everything at or below the first bound and one above the last. Every histogram has the same
/// buckets, so histograms of different days merge by adding counts, and percentiles over any range of days come from
/// the merged counts. An estimate is off by at most half a bucket: about 12 % of the value.
/// </summary>
/// <remarks>Counts are kept sparsely by bucket index; empty buckets take no space.</remarks>
public sealed class LogHistogram
{
    /// <summary>The upper bound of bucket 0: values at or below it (zero included) fall there.</summary>
    public const double MinValue = 0.01;

    /// <summary>The lower bound of the last bucket: values above it fall there.</summary>
    public const double MaxValue = 10_000_000;

    /// <summary>Buckets per factor of ten.</summary>
    public const int BucketsPerDecade = 10;

    /// <summary>Bucket 0 (≤ <see cref="MinValue"/>), 90 log-spaced buckets, and the overflow bucket.</summary>
    public static readonly int BucketCount = (int)Math.Round(Math.Log10(MaxValue / MinValue) * BucketsPerDecade) + 2;

    private readonly SortedDictionary<int, long> _counts = [];

    public LogHistogram()
    {
    }

    /// <summary>A histogram holding <paramref name="counts"/> (bucket index → count), as stored.</summary>
    public LogHistogram(IReadOnlyDictionary<int, long>? counts)
    {
        if (counts is null)
        {
            return;
        }
        foreach (var (bucket, count) in counts)
        {
            if (bucket < 0 || bucket >= BucketCount)
            {
                throw new ArgumentOutOfRangeException(nameof(counts), $"Bucket {bucket} is outside 0 … {BucketCount - 1}.");
            }
            if (count > 0)
            {
                _counts[bucket] = _counts.GetValueOrDefault(bucket) + count;
            }
        }
    }

    /// <summary>How many values were added.</summary>
    public long Count => _counts.Values.Sum();

    /// <summary>The non-empty buckets, by index, for storing.</summary>
    public IReadOnlyDictionary<int, long> Counts => _counts;

    /// <summary>The bucket a value falls in; negative values and NaN count as zero.</summary>
    public static int BucketOf(double value)
    {
        if (double.IsNaN(value) || value <= MinValue)
        {
            return 0;
        }
        if (value > MaxValue)
        {
            return BucketCount - 1;
        }
        // Bucket i (1 … BucketCount − 2) holds (MinValue·10^((i−1)/10), MinValue·10^(i/10)].
        var index = (int)Math.Ceiling(Math.Round(Math.Log10(value / MinValue) * BucketsPerDecade, 9));
        return Math.Clamp(index, 1, BucketCount - 2);
    }

    /// <summary>The lower and upper bound of a bucket (the overflow bucket's upper bound is infinity).</summary>
    public static (double Lower, double Upper) Bounds(int bucket)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bucket);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(bucket, BucketCount);
        if (bucket == 0)
        {
            return (0, MinValue);
        }
        if (bucket == BucketCount - 1)
        {
            return (MaxValue, double.PositiveInfinity);
        }
        return (MinValue * Math.Pow(10, (bucket - 1) / (double)BucketsPerDecade), MinValue * Math.Pow(10, bucket / (double)BucketsPerDecade));
    }

    public void Add(double value, long count = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (count == 0)
        {
            return;
        }
        var bucket = BucketOf(value);
        _counts[bucket] = _counts.GetValueOrDefault(bucket) + count;
    }

    /// <summary>Adds the counts of <paramref name="other"/> to this one.</summary>
    public void Merge(LogHistogram other)
    {
        foreach (var (bucket, count) in other._counts)
        {
            _counts[bucket] = _counts.GetValueOrDefault(bucket) + count;
        }
    }

    /// <summary>
    /// The estimated <paramref name="quantile"/> (0 … 1; 0.5 is the median, 0.95 the 95th percentile), or null when the
    /// histogram is empty. The nearest-rank sample is found in its bucket, and its value is read on the bucket's log
    /// scale from its position among the bucket's samples: a lone sample reads as the bucket's geometric middle.
    /// </summary>
    public double? Quantile(double quantile)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(quantile, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(quantile, 1);
        var total = Count;
        if (total == 0)
        {
            return null;
        }
        var rank = Math.Max(1, (long)Math.Ceiling(quantile * total));
        long before = 0;
        foreach (var (bucket, count) in _counts)
        {
            if (before + count < rank)
            {
                before += count;
                continue;
            }
            var position = (rank - before - 0.5) / count;
            var (lower, upper) = Bounds(bucket);
            if (bucket == 0)
            {
                return upper * position;
            }
            if (bucket == BucketCount - 1)
            {
                return lower;
            }
            return lower * Math.Pow(upper / lower, position);
        }
        throw new InvalidOperationException("The counts changed while reading them.");
    }
}
