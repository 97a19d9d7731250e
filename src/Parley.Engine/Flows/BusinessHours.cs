using System.Globalization;
using System.Text.Json;

namespace Parley.Engine.Flows;

/// <summary>
/// Reads a bot's <c>business_hours</c>: <c>{"time_zone": "Europe/Paris", "weekly": {"monday": [{"open": "09:00",
/// "close": "17:30"}], …}, "closed_dates": ["2026-12-25"]}</c>. Days may be full names or three-letter short names.
/// </summary>
public static class BusinessHours
{
    /// <summary>Whether the business is open at <paramref name="now"/>; a bot without (readable) hours counts as closed.</summary>
    public static bool IsOpen(string? json, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return false;
        }
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            var zone = FlowSettings.String(root, "time_zone") is { } id ? TimeZoneInfo.FindSystemTimeZoneById(id) : TimeZoneInfo.Utc;
            var local = TimeZoneInfo.ConvertTime(now, zone);
            var today = DateOnly.FromDateTime(local.DateTime).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            if (FlowSettings.Strings(root, "closed_dates").Contains(today))
            {
                return false;
            }
            if (FlowSettings.Element(root, "weekly") is not { ValueKind: JsonValueKind.Object } weekly)
            {
                return false;
            }
            var full = local.DayOfWeek.ToString().ToLowerInvariant();
            var time = TimeOnly.FromDateTime(local.DateTime);
            foreach (var day in weekly.EnumerateObject())
            {
                var name = day.Name.ToLowerInvariant();
                if ((name != full && name != full[..3]) || day.Value.ValueKind != JsonValueKind.Array)
                {
                    continue;
                }
                foreach (var range in day.Value.EnumerateArray())
                {
                    if (TimeOnly.TryParse(FlowSettings.String(range, "open"), CultureInfo.InvariantCulture, out var open)
                        && TimeOnly.TryParse(FlowSettings.String(range, "close"), CultureInfo.InvariantCulture, out var close)
                        && time >= open && time < close)
                    {
                        return true;
                    }
                }
            }
            return false;
        }
        catch (Exception ex) when (ex is JsonException or TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return false;
        }
    }
}
