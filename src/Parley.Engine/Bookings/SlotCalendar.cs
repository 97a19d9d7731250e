using System.Globalization;

namespace Parley.Engine.Bookings;

/// <summary>One slot of a booking calendar, in UTC.</summary>
public sealed record Slot(DateTimeOffset Start, DateTimeOffset End);

/// <summary>
/// Lays out the slots of a <see cref="BookingSettings"/> calendar. Wall-clock times that do not exist (the hour skipped
/// when clocks go forward) have no slot; wall-clock times that happen twice (the hour repeated when clocks go back)
/// have one slot, at the first occurrence.
/// </summary>
public static class SlotCalendar
{
    /// <summary>
    /// The slots starting in [<paramref name="from"/>, <paramref name="to"/>) that can still be booked at
    /// <paramref name="now"/>; without <paramref name="applyLimits"/>, every slot of the calendar in the range, however
    /// soon or far ahead.
    /// </summary>
    public static IReadOnlyList<Slot> Slots(BookingSettings settings, DateTimeOffset from, DateTimeOffset to, DateTimeOffset now, bool applyLimits = true)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var zone = TimeZoneInfo.FindSystemTimeZoneById(settings.TimeZone);
        var earliest = applyLimits ? Max(from, now.AddMinutes(settings.MinimumNoticeMinutes)) : from;
        var latest = applyLimits ? Min(to, now.AddDays(settings.HorizonDays)) : to;
        var slots = new List<Slot>();
        if (earliest >= latest)
        {
            return slots;
        }
        var closed = (settings.ClosedDates ?? []).ToHashSet(StringComparer.Ordinal);
        var length = TimeSpan.FromMinutes(settings.SlotMinutes);
        var step = length + TimeSpan.FromMinutes(settings.BufferMinutes);
        var firstDay = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(earliest, zone).DateTime).AddDays(-1);
        var lastDay = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(latest, zone).DateTime).AddDays(1);
        for (var day = firstDay; day <= lastDay; day = day.AddDays(1))
        {
            if (closed.Contains(day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))
                || !settings.WeeklyHours.TryGetValue(BookingSettings.DayNames[((int)day.DayOfWeek + 6) % 7], out var ranges))
            {
                continue;
            }
            foreach (var range in ranges.OrderBy(r => r.Start, StringComparer.Ordinal))
            {
                if (!BookingSettings.TryParse(range.Start, out var open) || !BookingSettings.TryParse(range.End, out var close))
                {
                    continue;
                }
                var end = day.ToDateTime(close);
                for (var local = day.ToDateTime(open); local + length <= end; local += step)
                {
                    if (ToUtc(local, zone) is not { } start || start < earliest || start >= latest)
                    {
                        continue;
                    }
                    slots.Add(new Slot(start, start + length));
                }
            }
        }
        return [.. slots.OrderBy(s => s.Start).DistinctBy(s => s.Start)];
    }

    /// <summary>The instant of a local wall-clock time, or null when that time does not exist in the zone.</summary>
    public static DateTimeOffset? ToUtc(DateTime local, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        if (zone.IsInvalidTime(local))
        {
            return null;
        }
        var offset = zone.IsAmbiguousTime(local) ? zone.GetAmbiguousTimeOffsets(local).Max() : zone.GetUtcOffset(local);
        return new DateTimeOffset(local, offset).ToUniversalTime();
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
