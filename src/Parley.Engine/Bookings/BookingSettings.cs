using System.Globalization;

namespace Parley.Engine.Bookings;

/// <summary>Opening hours of one day, in the calendar's local time (<c>HH:mm</c>, end after start).</summary>
public sealed record TimeRange(string Start, string End);

/// <summary>
/// A bot's booking calendar. Slots are laid out on local wall-clock time in <see cref="TimeZone"/> (IANA), so
/// "09:00" stays 09:00 across daylight-saving changes.
/// </summary>
/// <param name="WeeklyHours">By lower-case English day name (<c>monday</c> … <c>sunday</c>); days left out are closed.</param>
/// <param name="SlotMinutes">Length of one appointment.</param>
/// <param name="BufferMinutes">Gap after each appointment before the next slot starts.</param>
/// <param name="MinimumNoticeMinutes">How far ahead of now the first bookable slot must start.</param>
/// <param name="HorizonDays">How far ahead slots can be booked.</param>
/// <param name="ClosedDates">Local dates with no slots (holidays).</param>
/// <param name="Capacity">Bookings one slot holds.</param>
public sealed record BookingSettings(
    string TimeZone,
    IReadOnlyDictionary<string, IReadOnlyList<TimeRange>> WeeklyHours,
    int SlotMinutes = 30,
    int BufferMinutes = 0,
    int MinimumNoticeMinutes = 60,
    int HorizonDays = 60,
    IReadOnlyList<string>? ClosedDates = null,
    int Capacity = 1)
{
    public static IReadOnlyList<string> DayNames { get; } = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];

    /// <summary>Problems by field (under <paramref name="prefix"/>); empty when the settings can be used.</summary>
    public IDictionary<string, string[]> Validate(string prefix)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(TimeZone) || !TimeZoneInfo.TryFindSystemTimeZoneById(TimeZone, out _))
        {
            errors[$"{prefix}.time_zone"] = [$"{prefix}.time_zone must be an IANA time zone such as Europe/Berlin."];
        }
        if (WeeklyHours is null || WeeklyHours.Count == 0)
        {
            errors[$"{prefix}.weekly_hours"] = [$"{prefix}.weekly_hours must give the opening hours of at least one day."];
        }
        else
        {
            foreach (var (day, ranges) in WeeklyHours)
            {
                var field = $"{prefix}.weekly_hours.{day}";
                if (!DayNames.Contains(day))
                {
                    errors[field] = [$"{day} is not a day; use monday … sunday."];
                }
                else if (ranges is null || ranges.Any(r => r is null || !TryParse(r.Start, out var s) || !TryParse(r.End, out var e) || e <= s))
                {
                    errors[field] = [$"{field} must be a list of {{\"start\": \"HH:mm\", \"end\": \"HH:mm\"}} with end after start."];
                }
            }
        }
        Range(errors, $"{prefix}.slot_minutes", SlotMinutes, 5, 24 * 60);
        Range(errors, $"{prefix}.buffer_minutes", BufferMinutes, 0, 24 * 60);
        Range(errors, $"{prefix}.minimum_notice_minutes", MinimumNoticeMinutes, 0, 60 * 24 * 365);
        Range(errors, $"{prefix}.horizon_days", HorizonDays, 1, 730);
        Range(errors, $"{prefix}.capacity", Capacity, 1, 1000);
        if (ClosedDates is not null && (ClosedDates.Count > 1000 || ClosedDates.Any(d => !DateOnly.TryParseExact(d, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))))
        {
            errors[$"{prefix}.closed_dates"] = [$"{prefix}.closed_dates must be at most 1000 dates written yyyy-MM-dd."];
        }
        return errors;
    }

    internal static bool TryParse(string? text, out TimeOnly time) =>
        TimeOnly.TryParseExact(text, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out time);

    private static void Range(Dictionary<string, string[]> errors, string field, int value, int min, int max)
    {
        if (value < min || value > max)
        {
            errors[field] = [$"{field} must be between {min} and {max}."];
        }
    }
}
