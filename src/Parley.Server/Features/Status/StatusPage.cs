using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;

namespace Parley.Server.Features.Status;

/// <summary>The status as a small self-contained HTML page: no script, no external asset, every value escaped.</summary>
public static class StatusPage
{
    private static readonly Dictionary<string, string> Titles = new(StringComparer.Ordinal)
    {
        ["api"] = "API",
        ["database"] = "Database",
        ["webhook_delivery"] = "Webhook delivery",
        ["email"] = "Email notifications",
        ["model_providers"] = "Model providers",
        ["knowledge_ingestion"] = "Knowledge ingestion",
    };

    public static string Render(StatusResponse status)
    {
        var html = HtmlEncoder.Default;
        var page = new StringBuilder(2048);
        page.Append("""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
            <title>Parley status</title>
            <style>
            body{font:15px/1.5 system-ui,sans-serif;max-width:720px;margin:2rem auto;padding:0 1rem;color:#1f2937}
            h1{font-size:1.4rem}.overall{padding:.8rem 1rem;border-radius:8px;font-weight:600}
            .operational{background:#ecfdf5;color:#065f46}.degraded{background:#fffbeb;color:#92400e}.down{background:#fef2f2;color:#991b1b}
            table{width:100%;border-collapse:collapse;margin-top:1rem}td,th{padding:.5rem;border-bottom:1px solid #e5e7eb;text-align:left;vertical-align:top}
            .badge{padding:.1rem .5rem;border-radius:99px;font-size:.85rem}small{color:#6b7280}
            h2{font-size:1.15rem;margin-top:2rem}h3{font-size:1rem;margin:1rem 0 .3rem;display:flex;justify-content:space-between}
            .bars{display:flex;gap:1px;align-items:flex-end;height:2rem;list-style:none;margin:0;padding:0}
            .bars li{flex:1;min-width:2px;border-radius:1px}.bars .up{background:#059669}.bars .partial{background:#d97706}
            .bars .low{background:#dc2626}.bars .none{background:none;border:1px solid #d1d5db;height:100%;box-sizing:border-box}
            .sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
            </style></head><body>
            <h1>Parley status</h1>
            """);
        page.Append(CultureInfo.InvariantCulture, $"<p class=\"overall {html.Encode(status.Status)}\">{html.Encode(Overall(status.Status))}</p>");
        page.Append("<table><thead><tr><th>Component</th><th>Status</th><th>Details</th></tr></thead><tbody>");
        foreach (var component in status.Components)
        {
            var details = new List<string> { component.Description };
            if (component.LatencyMs is { } latency)
            {
                details.Add(string.Create(CultureInfo.InvariantCulture, $"latency {latency} ms"));
            }
            details.AddRange((component.Metrics ?? new Dictionary<string, object>())
                .Select(m => string.Create(CultureInfo.InvariantCulture, $"{m.Key.Replace('_', ' ')}: {Format(m.Value)}")));
            page.Append(CultureInfo.InvariantCulture,
                $"<tr><td>{html.Encode(Titles.GetValueOrDefault(component.Name, component.Name))}</td><td><span class=\"badge {html.Encode(component.Status)}\">{html.Encode(component.Status)}</span></td><td>{html.Encode(details[0])}<br><small>{html.Encode(string.Join(" · ", details.Skip(1)))}</small></td></tr>");
        }
        page.Append("</tbody></table>");
        if (status.History is { } history)
        {
            StatusHistoryPage.Render(page, history, name => Titles.GetValueOrDefault(name, name));
        }
        page.Append(CultureInfo.InvariantCulture,
            $"<p><small>Checked at {html.Encode(status.CheckedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture))} UTC. As JSON: request this page with <code>Accept: application/json</code>.</small></p></body></html>");
        return page.ToString();
    }

    private static string Format(object value) => value switch
    {
        bool b => b ? "yes" : "no",
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };

    private static string Overall(string status) => status switch
    {
        "operational" => "All systems operational",
        "degraded" => "Some parts are degraded",
        _ => "Parley is having trouble",
    };
}
