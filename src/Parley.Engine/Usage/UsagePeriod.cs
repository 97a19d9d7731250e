using System.Globalization;

namespace Parley.Engine.Usage;

/// <summary>A metering period: one calendar month in UTC, written <c>YYYY-MM</c>.</summary>
public readonly record struct UsagePeriod(int Year, int Month)
{
    /// <summary>The earliest period that can be asked for; nothing was metered before it.</summary>
    public static readonly UsagePeriod Earliest = new(2000, 1);

    /// <summary>The first instant of the period.</summary>
    public DateTimeOffset Start => new(Year, Month, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The first instant after the period: when its counters reset.</summary>
    public DateTimeOffset End => Start.AddMonths(1);

    /// <summary>The period that holds <paramref name="instant"/>.</summary>
    public static UsagePeriod Of(DateTimeOffset instant)
    {
        var utc = instant.UtcDateTime;
        return new UsagePeriod(utc.Year, utc.Month);
    }

    /// <summary>Reads <c>YYYY-MM</c> (four-digit year, two-digit month); false for anything else.</summary>
    public static bool TryParse(string? text, out UsagePeriod period)
    {
        period = default;
        if (text is not { Length: 7 } || text[4] != '-'
            || !int.TryParse(text.AsSpan(0, 4), NumberStyles.None, CultureInfo.InvariantCulture, out var year)
            || !int.TryParse(text.AsSpan(5, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var month)
            || year < 1 || month is < 1 or > 12)
        {
            return false;
        }
        period = new UsagePeriod(year, month);
        return true;
    }

    public int CompareTo(UsagePeriod other) => (Year * 12 + Month).CompareTo(other.Year * 12 + other.Month);

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Year:D4}-{Month:D2}");
}
