using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Parley.Data;
using Parley.Engine.Ids;
using Parley.Server.Features.Knowledge;
using Parley.Server.Features.ModelProviders;
using Parley.Server.Features.Notifications;
using Parley.Server.Features.Webhooks;

namespace Parley.Server.Features.Status;

// The checks behind the public status page. Each reads the whole server (every workspace) and reports counts and ages
// only: never a workspace, an id, a URL or a provider's name. Their descriptions are fixed sentences.

/// <summary>The webhook outbox: how many deliveries wait, how overdue the oldest is, and how receivers answered lately.</summary>
public sealed class WebhookDeliveryCheck(ParleyDbContext db, TimeProvider time, IOptions<StatusOptions> options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var pending = db.WebhookDeliveries.IgnoreQueryFilters().AsNoTracking().Where(d => d.Status == WebhookDeliveryStatus.Pending);
        var backlog = await pending.CountAsync(cancellationToken);
        var oldest = await pending.OrderBy(d => d.CreatedAt).Select(d => (DateTimeOffset?)d.CreatedAt).FirstOrDefaultAsync(cancellationToken);
        // Deliveries whose next attempt is due: a dispatcher that keeps up leaves none waiting long.
        var overdue = await pending.Where(d => d.NextAttemptAt <= now).OrderBy(d => d.NextAttemptAt)
            .Select(d => (DateTimeOffset?)d.NextAttemptAt).FirstOrDefaultAsync(cancellationToken);
        // Ids begin with their creation time: "the last hour" is a range of the primary key, not a scan of the table.
        var since = IdGenerator.LowestFor(IdPrefix.WebhookAttempt, now - options.Value.FailureWindow);
        var attempts = db.WebhookAttempts.IgnoreQueryFilters().AsNoTracking().Where(a => string.Compare(a.Id, since) >= 0);
        var total = await attempts.CountAsync(cancellationToken);
        var failed = await attempts.CountAsync(a => !a.Succeeded, cancellationToken);

        var data = new Dictionary<string, object>
        {
            ["backlog"] = backlog,
            ["oldest_pending_age_seconds"] = oldest is { } o ? Math.Max(0, (long)(now - o).TotalSeconds) : 0L,
            ["attempts_recent"] = total,
            ["failure_rate_recent"] = total == 0 ? 0.0 : Math.Round((double)failed / total, 3),
        };
        var lag = overdue is { } due ? now - due : TimeSpan.Zero;
        return lag > options.Value.DeliveryLagDegraded
            ? HealthCheckResult.Degraded("Webhook deliveries are going out late.", data: data)
            : HealthCheckResult.Healthy("Webhook deliveries are going out.", data: data);
    }
}

/// <summary>Notification email: configured or not, and whether the SMTP server is refusing what is due.</summary>
public sealed class EmailCheck(ParleyDbContext db, TimeProvider time, IOptionsMonitor<SmtpOptions> smtp, IOptions<StatusOptions> options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!smtp.CurrentValue.IsConfigured)
        {
            return HealthCheckResult.Healthy("Email notifications are not configured.", data: new Dictionary<string, object> { ["configured"] = false });
        }
        var emails = db.EmailNotifications.IgnoreQueryFilters().AsNoTracking();
        var pending = await emails.CountAsync(n => n.Status == EmailStatus.Pending, cancellationToken);
        var retrying = await emails.CountAsync(n => n.Status == EmailStatus.Pending && n.Attempts > 0, cancellationToken);
        // Emails written in the window (a range of the time-ordered ids), by how they ended.
        var since = IdGenerator.LowestFor(IdPrefix.EmailNotification, time.GetUtcNow() - options.Value.FailureWindow);
        var recent = emails.Where(n => string.Compare(n.Id, since) >= 0);
        var failedRecently = await recent.CountAsync(n => n.Status == EmailStatus.Failed, cancellationToken);
        var sentRecently = await recent.CountAsync(n => n.Status == EmailStatus.Sent, cancellationToken);
        var data = new Dictionary<string, object>
        {
            ["configured"] = true,
            ["pending"] = pending,
            ["retrying"] = retrying,
            ["sent_recent"] = sentRecently,
            ["failed_recent"] = failedRecently,
        };
        return retrying > 0 || (failedRecently > 0 && sentRecently == 0)
            ? HealthCheckResult.Degraded("The mail server is refusing or not answering; emails are retried.", data: data)
            : HealthCheckResult.Healthy("Email notifications are going out.", data: data);
    }
}

/// <summary>Model providers: this node's connections and how many of their circuit breakers are open, as counts.</summary>
public sealed class ModelProviderCheck(ModelProviderClients clients) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var (connections, open, halfOpen) = clients.CircuitStates();
        var data = new Dictionary<string, object>
        {
            ["connections"] = connections,
            ["circuits_open"] = open,
            ["circuits_half_open"] = halfOpen,
        };
        return Task.FromResult(open > 0
            ? HealthCheckResult.Degraded("Some model providers are failing; their bots answer from a fallback until they recover.", data: data)
            : HealthCheckResult.Healthy("Model providers are answering (the built-in answerer needs none).", data: data));
    }
}

/// <summary>Knowledge ingestion: how many sources wait to be read and indexed, and for how long the oldest has.</summary>
public sealed class KnowledgeIngestionCheck(ParleyDbContext db, TimeProvider time, IOptions<StatusOptions> options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var processing = db.KnowledgeSources.IgnoreQueryFilters().AsNoTracking().Where(s => s.Status == KnowledgeSourceKinds.Processing);
        var queued = await processing.CountAsync(cancellationToken);
        var oldest = await processing.OrderBy(s => s.UpdatedAt).Select(s => (DateTimeOffset?)s.UpdatedAt).FirstOrDefaultAsync(cancellationToken);
        var age = oldest is { } o ? now - o : TimeSpan.Zero;
        var data = new Dictionary<string, object>
        {
            ["queued"] = queued,
            ["oldest_queued_age_seconds"] = Math.Max(0, (long)age.TotalSeconds),
        };
        return age > options.Value.IngestionLagDegraded
            ? HealthCheckResult.Degraded("Knowledge sources are waiting longer than usual to be indexed.", data: data)
            : HealthCheckResult.Healthy("Knowledge sources are being indexed.", data: data);
    }
}
