using System.Globalization;
using System.Text.Json;
using Parley.Engine.Guardrails;

namespace Parley.Engine.Escalation;

/// <summary>An opening interval of one weekday, in the bot's local time.</summary>
public sealed record OpeningInterval(TimeOnly Open, TimeOnly Close);

/// <summary>
/// When a person can answer (the <c>business_hours</c> object of a bot): an IANA time zone, opening intervals per
/// weekday (<c>"mon": ["09:00-12:30", "13:30-17:00"]</c>) and closed dates (<c>"2026-12-25"</c>). No business hours
/// means always open.
/// </summary>
public sealed record BusinessHours(TimeZoneInfo TimeZone, IReadOnlyDictionary<DayOfWeek, IReadOnlyList<OpeningInterval>> Weekly, IReadOnlySet<DateOnly> ClosedDates)
{
    private static readonly (string Name, DayOfWeek Day)[] Days =
    [
        ("mon", DayOfWeek.Monday), ("tue", DayOfWeek.Tuesday), ("wed", DayOfWeek.Wednesday), ("thu", DayOfWeek.Thursday),
        ("fri", DayOfWeek.Friday), ("sat", DayOfWeek.Saturday), ("sun", DayOfWeek.Sunday),
    ];

    public bool IsOpen(DateTimeOffset at)
    {
        var local = TimeZoneInfo.ConvertTime(at, TimeZone);
        var date = DateOnly.FromDateTime(local.DateTime);
        if (ClosedDates.Contains(date) || !Weekly.TryGetValue(local.DayOfWeek, out var intervals))
        {
            return false;
        }
        var time = TimeOnly.FromDateTime(local.DateTime);
        return intervals.Any(i => time >= i.Open && time < i.Close);
    }

    /// <summary>The next moment the business opens after <paramref name="at"/>, within two weeks; null if never.</summary>
    public DateTimeOffset? NextOpening(DateTimeOffset at)
    {
        var local = TimeZoneInfo.ConvertTime(at, TimeZone);
        for (var d = 0; d <= 14; d++)
        {
            var date = DateOnly.FromDateTime(local.DateTime).AddDays(d);
            if (ClosedDates.Contains(date) || !Weekly.TryGetValue(date.DayOfWeek, out var intervals))
            {
                continue;
            }
            foreach (var interval in intervals.OrderBy(i => i.Open))
            {
                var start = date.ToDateTime(interval.Open);
                var offset = TimeZone.GetUtcOffset(start);
                var candidate = new DateTimeOffset(start, offset);
                if (candidate > at)
                {
                    return candidate.ToUniversalTime();
                }
            }
        }
        return null;
    }

    /// <summary>The stored settings, or null for "always open".</summary>
    public static BusinessHours? FromJson(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return null;
        }
        using var document = JsonDocument.Parse(json);
        return Read(document.RootElement, new Dictionary<string, string[]>());
    }

    public static BusinessHours? Read(JsonElement element, Dictionary<string, string[]> errors)
    {
        var r = new SettingsReader("business_hours", errors);
        if (element.ValueKind != JsonValueKind.Object)
        {
            errors["business_hours"] = ["business_hours must be a JSON object."];
            return null;
        }
        r.OnlyKnown(element, "", "time_zone", "timezone", "weekly", "closed_dates");
        TimeZoneInfo? zone = null;
        // "timezone" is accepted as a spelling of "time_zone": bots saved before the shape was checked used it.
        var zoneName = r.Text(element, "", "time_zone", 100) ?? r.Text(element, "", "timezone", 100);
        if (zoneName is null)
        {
            r.Error("time_zone", "business_hours.time_zone is required: an IANA time zone such as Europe/Berlin.");
        }
        else if (!TimeZoneInfo.TryFindSystemTimeZoneById(zoneName, out zone))
        {
            r.Error("time_zone", $"'{zoneName}' is not a known IANA time zone (for example Europe/Berlin or America/New_York).");
        }

        var weekly = new Dictionary<DayOfWeek, IReadOnlyList<OpeningInterval>>();
        if (r.Child(element, "weekly") is { } week)
        {
            r.OnlyKnown(week, "weekly", [.. Days.Select(d => d.Name)]);
            foreach (var (name, day) in Days)
            {
                var intervals = new List<OpeningInterval>();
                foreach (var text in r.List(week, "weekly", name, 10, 11))
                {
                    var parts = text.Split('-');
                    if (parts.Length != 2
                        || !TimeOnly.TryParseExact(parts[0], "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var open)
                        || !TimeOnly.TryParseExact(parts[1], "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var close)
                        || close <= open)
                    {
                        r.Error($"weekly.{name}", $"business_hours.weekly.{name} must hold intervals such as \"09:00-17:00\" (opening before closing).");
                        break;
                    }
                    intervals.Add(new OpeningInterval(open, close));
                }
                if (intervals.Count > 0)
                {
                    weekly[day] = intervals;
                }
            }
        }
        var closed = new HashSet<DateOnly>();
        foreach (var text in r.List(element, "", "closed_dates", 400, 10))
        {
            if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                r.Error("closed_dates", "business_hours.closed_dates must hold dates such as \"2026-12-25\".");
                break;
            }
            closed.Add(date);
        }
        return zone is null ? null : new BusinessHours(zone, weekly, closed);
    }
}
