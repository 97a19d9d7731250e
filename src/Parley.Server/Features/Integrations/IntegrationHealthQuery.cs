using Microsoft.EntityFrameworkCore;
using Parley.Data;
using Parley.Engine.Events;
using Parley.Server.Features.ModelProviders;
using Parley.Server.Features.Notifications;

namespace Parley.Server.Features.Integrations;

/// <summary>
/// Reads the hops' health from the attempt logs the webhook and email dispatchers already keep, and from the hourly
/// tally of each model provider's calls.
/// </summary>
public static class IntegrationHealthQuery
{
    public static async Task<IntegrationHealthResponse> ForAsync(ParleyDbContext db, string workspaceId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var since = now.AddHours(-24);
        var bots = await db.Bots.AsNoTracking().OrderBy(b => b.Id).Select(b => new IntegrationBot(b.Id, b.Name)).ToListAsync(cancellationToken);
        var hops = new List<IntegrationHop>();
        hops.AddRange(await WebhookHopsAsync(db, since, cancellationToken));
        hops.AddRange(await EmailHopsAsync(db, workspaceId, since, cancellationToken));
        hops.AddRange(await ModelHopsAsync(db, since, cancellationToken));
        return new IntegrationHealthResponse(now, bots, hops, hops.Count(h => h.State == IntegrationHopState.Failing));
    }

    private static async Task<List<IntegrationHop>> WebhookHopsAsync(ParleyDbContext db, DateTimeOffset since, CancellationToken cancellationToken)
    {
        var endpoints = await db.WebhookEndpoints.AsNoTracking().OrderBy(e => e.Id).ToListAsync(cancellationToken);
        // Test events are sent by hand and prove nothing about the chain, so they do not colour it.
        var attempts = await (
                from a in db.WebhookAttempts.AsNoTracking()
                join d in db.WebhookDeliveries.AsNoTracking() on a.DeliveryId equals d.Id
                where a.AttemptedAt >= since && d.EventType != EventTypes.WebhookTest
                select new Attempt(a.EndpointId, d.EventType, a.AttemptedAt, a.Succeeded, a.Error))
            .ToListAsync(cancellationToken);
        var hops = new List<IntegrationHop>();
        foreach (var endpoint in endpoints)
        {
            var mine = attempts.Where(a => a.EndpointId == endpoint.Id).ToList();
            // An endpoint on every event shows the types it actually received, or one "*" hop while it received none.
            IEnumerable<string> types = endpoint.Events.Contains("*")
                ? mine.Select(a => a.EventType).Distinct().Order(StringComparer.Ordinal).DefaultIfEmpty("*")
                : endpoint.Events;
            foreach (var type in types)
            {
                var hop = mine.Where(a => type == "*" || a.EventType == type).OrderBy(a => a.At).ToList();
                var label = string.IsNullOrEmpty(endpoint.Description) ? endpoint.Url : endpoint.Description;
                var lastFailure = hop.LastOrDefault(a => !a.Succeeded);
                var state = !endpoint.Enabled ? IntegrationHopState.Disabled
                    : hop.Count == 0 ? IntegrationHopState.Idle
                    : hop[^1].Succeeded ? IntegrationHopState.Healthy : IntegrationHopState.Failing;
                hops.Add(new IntegrationHop(
                    IntegrationHopKind.Webhook, type, endpoint.Id, label, state, endpoint.Enabled ? null : endpoint.DisabledReason,
                    hop.Count, hop.Count(a => !a.Succeeded),
                    hop.LastOrDefault(a => a.Succeeded)?.At, lastFailure?.At, lastFailure?.Error));
            }
        }
        return hops;
    }

    private static async Task<List<IntegrationHop>> EmailHopsAsync(ParleyDbContext db, string workspaceId, DateTimeOffset since, CancellationToken cancellationToken)
    {
        var notifications = await db.EmailNotifications.AsNoTracking()
            .Where(n => n.CreatedAt >= since)
            .Select(n => new { n.EventType, n.Status, n.Attempts, n.LastError, n.SentAt, n.CreatedAt })
            .ToListAsync(cancellationToken);
        var recipients = await db.Workspaces.AsNoTracking().Where(w => w.Id == workspaceId).Select(w => w.NotificationEmails).FirstOrDefaultAsync(cancellationToken) ?? [];
        if (recipients.Count == 0 && notifications.Count == 0)
        {
            return [];
        }
        var hops = new List<IntegrationHop>();
        foreach (var type in NotificationMessages.Types)
        {
            var sent = notifications.Where(n => n.EventType == type).OrderBy(n => n.CreatedAt).ToList();
            var last = sent.LastOrDefault(n => n.Attempts > 0);
            var state = last is null ? IntegrationHopState.Idle
                : last.Status == EmailStatus.Sent ? IntegrationHopState.Healthy : IntegrationHopState.Failing;
            var failures = sent.Sum(n => n.Status == EmailStatus.Sent ? n.Attempts - 1 : n.Attempts);
            // An email's failed attempts keep their error, not their time: last_failure_at stays empty for email hops.
            hops.Add(new IntegrationHop(
                IntegrationHopKind.Email, type, "email", "Notification emails", state, null,
                sent.Sum(n => n.Attempts), failures, sent.Max(n => n.SentAt), null,
                sent.LastOrDefault(n => n.LastError is not null)?.LastError));
        }
        return hops;
    }

    /// <summary>
    /// A hop from each bot to each provider it answers with (its own and its fallback), coloured by the provider's latest
    /// call in the hours that overlap the last 24, whichever bot made it: the tally counts per provider.
    /// </summary>
    private static async Task<List<IntegrationHop>> ModelHopsAsync(ParleyDbContext db, DateTimeOffset since, CancellationToken cancellationToken)
    {
        var bots = await db.Bots.AsNoTracking().OrderBy(b => b.Id)
            .Select(b => new { b.Id, b.Model.Provider, b.Model.FallbackProvider }).ToListAsync(cancellationToken);
        var providers = await db.ModelProviders.AsNoTracking().ToDictionaryAsync(p => p.Id, p => p.Name, cancellationToken);
        var firstHour = ModelCallTally.StartOfHour(since);
        var hours = await db.ModelCallHours.AsNoTracking().Where(h => h.Hour >= firstHour).ToListAsync(cancellationToken);
        var hops = new List<IntegrationHop>();
        foreach (var bot in bots)
        {
            foreach (var providerId in new[] { bot.Provider, bot.FallbackProvider }.OfType<string>().Distinct())
            {
                if (!providers.TryGetValue(providerId, out var name))
                {
                    continue;
                }
                var mine = hours.Where(h => h.ProviderId == providerId).ToList();
                var lastSuccess = mine.Max(h => h.LastSuccessAt);
                var lastFailure = mine.Where(h => h.LastFailureAt is not null).MaxBy(h => h.LastFailureAt);
                var state = lastSuccess is null && lastFailure is null ? IntegrationHopState.Idle
                    : lastFailure is null || lastSuccess > lastFailure.LastFailureAt ? IntegrationHopState.Healthy
                    : IntegrationHopState.Failing;
                hops.Add(new IntegrationHop(
                    IntegrationHopKind.Model, IntegrationHop.ModelReplies, providerId, name, state, null,
                    mine.Sum(h => h.Successes + h.Failures), mine.Sum(h => h.Failures), lastSuccess, lastFailure?.LastFailureAt, lastFailure?.LastFailure,
                    bot.Id));
            }
        }
        return hops;
    }

    private sealed record Attempt(string EndpointId, string EventType, DateTimeOffset At, bool Succeeded, string? Error);
}
