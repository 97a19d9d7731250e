using Parley.Engine.Events;
using Parley.Server.Infrastructure.Outbound;

namespace Parley.Server.Features.Webhooks;

internal static class WebhookEndpointValidation
{
    public static void CheckUrl(Dictionary<string, string[]> errors, string? url, bool allowPrivate)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            errors["url"] = ["url is required: where Parley POSTs the events."];
        }
        else if (OutboundAddressPolicy.Problem(url, allowPrivate) is { } problem)
        {
            errors["url"] = [$"url {problem}."];
        }
    }

    public static List<string> CheckEvents(Dictionary<string, string[]> errors, List<string>? events)
    {
        if (events is null || events.Count == 0)
        {
            errors["events"] = ["events is required: a list of event types, or [\"*\"] for all."];
            return [];
        }
        var unknown = events.Where(e => e != "*" && !EventTypes.All.Contains(e)).ToList();
        if (unknown.Count > 0)
        {
            errors["events"] = [$"Unknown event types: {string.Join(", ", unknown)}. Known: {string.Join(", ", EventTypes.All)}."];
        }
        return [.. events.Distinct()];
    }
}
