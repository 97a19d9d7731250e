using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;

namespace Parley.Server.Features.Status;

/// <summary>
/// The history part of the status page: a bar per day and component, and the incidents. A bar's height is the day's
/// uptime and each bar carries its figures as text, so nothing is told by colour alone.
/// </summary>
public static class StatusHistoryPage
{
    public static void Render(StringBuilder page, StatusHistory history, Func<string, string> title)
    {
        var html = HtmlEncoder.Default;
        page.Append(CultureInfo.InvariantCulture, $"<h2>Uptime, last {history.WindowDays} days</h2>");
        page.Append("<p><small>One bar per day (UTC), oldest first; its height is the share of minutes the component was operational. "
            + "Green: operational all day; amber: degraded or down for part of it; red: mostly not operational; outlined: no samples.</small></p>");
        foreach (var component in history.Components)
        {
            var name = html.Encode(title(component.Name));
            page.Append(CultureInfo.InvariantCulture,
                $"<section><h3><span>{name}</span><span>{html.Encode(Percent(component.UptimePercent))} uptime</span></h3><ol class=\"bars\" aria-label=\"{name}: uptime per day\">");
            foreach (var day in component.Days)
            {
                var text = Describe(day);
                var (kind, height) = day.UptimePercent switch
                {
                    null => ("none", 100.0),
                    100 => ("up", 100.0),
                    >= 50 and var p => ("partial", p),
                    var p => ("low", Math.Max(p!.Value, 15)),
                };
                page.Append(CultureInfo.InvariantCulture,
                    $"<li class=\"{kind}\" style=\"height:{height:0.##}%\" title=\"{html.Encode(text)}\"><span class=\"sr\">{html.Encode(text)}</span></li>");
            }
            page.Append("</ol></section>");
        }

        page.Append("<h2>Incidents</h2>");
        if (history.Incidents.Count == 0)
        {
            page.Append(CultureInfo.InvariantCulture, $"<p>No incidents in the last {history.WindowDays} days.</p>");
            return;
        }
        page.Append("<table><thead><tr><th>Component</th><th>State</th><th>Started (UTC)</th><th>Ended (UTC)</th><th>Duration</th></tr></thead><tbody>");
        foreach (var incident in history.Incidents)
        {
            page.Append(CultureInfo.InvariantCulture,
                $"<tr><td>{html.Encode(title(incident.Component))}</td><td>{html.Encode(incident.Status)}</td><td>{Time(incident.StartedAt)}</td><td>{(incident.EndedAt is { } end ? Time(end) : "ongoing")}</td><td>{Duration(incident.DurationSeconds)}</td></tr>");
        }
        page.Append("</tbody></table>");
    }

    private static string Describe(ComponentDay day)
    {
        var date = day.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        if (day.UptimePercent is null)
        {
            return date + ": no samples";
        }
        var text = string.Create(CultureInfo.InvariantCulture, $"{date}: {Percent(day.UptimePercent)} operational");
        if (day.DegradedMinutes > 0)
        {
            text += string.Create(CultureInfo.InvariantCulture, $", degraded {day.DegradedMinutes} min");
        }
        if (day.DownMinutes > 0)
        {
            text += string.Create(CultureInfo.InvariantCulture, $", down {day.DownMinutes} min");
        }
        return text;
    }

    private static string Percent(double? percent) =>
        percent is { } p ? string.Create(CultureInfo.InvariantCulture, $"{p:0.##} %") : "no data";

    private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    /// <summary>Minutes, hours and days, to the minute: "3 min", "1 h 5 min", "2 d 4 h".</summary>
    public static string Duration(long seconds)
    {
        var span = TimeSpan.FromSeconds(seconds);
        return span switch
        {
            { TotalDays: >= 1 } => string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalDays} d {span.Hours} h"),
            { TotalHours: >= 1 } => string.Create(CultureInfo.InvariantCulture, $"{span.Hours} h {span.Minutes} min"),
            _ => string.Create(CultureInfo.InvariantCulture, $"{Math.Max(1, (int)span.TotalMinutes)} min"),
        };
    }
}
