using Microsoft.EntityFrameworkCore;
using Parley.Data;
using Parley.Engine.Events;
using Parley.Engine.Webhooks;
using Parley.Server.Features.Bookings;
using Parley.Server.Infrastructure.Background;

namespace Parley.Server.Features.Notifications;

/// <summary>
/// Sends queued notification emails after commit, woken by the outbox and polling every few seconds as a safety
/// net. A failed send is logged and retried on the same schedule as webhooks; queued emails survive a restart.
/// </summary>
public sealed class EmailDispatcher(
    IServiceScopeFactory scopes, WakeSignal<EmailDispatcher> signal, EmailSender sender, TimeProvider time, ILogger<EmailDispatcher> logger)
    : BackgroundService
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);
    private const int BatchSize = 50;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RunOnceAsync(stoppingToken);
                await signal.WaitAsync(PollInterval, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "Email dispatch pass failed; retrying shortly");
                await Task.Delay(PollInterval, time, stoppingToken);
            }
        }
    }

    private async Task RunOnceAsync(CancellationToken stoppingToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ParleyDbContext>();
        var now = time.GetUtcNow();
        var due = await db.EmailNotifications.IgnoreQueryFilters()
            .Where(n => n.Status == EmailStatus.Pending && n.NextAttemptAt <= now && (n.LeaseUntil == null || n.LeaseUntil < now))
            .OrderBy(n => n.NextAttemptAt)
            .Take(BatchSize)
            .ToListAsync(stoppingToken);
        foreach (var notification in due)
        {
            // Claim before sending, so another node skips it; the lease lapses if this node dies mid-send.
            notification.LeaseUntil = now + Lease;
            await db.SaveChangesAsync(CancellationToken.None);
            var record = await db.Events.IgnoreQueryFilters().AsNoTracking().FirstAsync(e => e.Id == notification.EventId, CancellationToken.None);
            var message = NotificationMessages.For(record.Type, record.Id, record.DataJson);
            notification.Attempts++;
            notification.LeaseUntil = null;
            try
            {
                if (message is { } m)
                {
                    var attachment = record.Type == EventTypes.BookingCreated ? await BookingInvite.AttachmentAsync(db, record.DataJson, CancellationToken.None) : null;
                    await sender.SendAsync(NotificationMessages.Recipients(record.Type, record.DataJson, notification.To), m.Subject, m.Body, CancellationToken.None, attachment);
                }
                notification.Status = EmailStatus.Sent;
                notification.SentAt = time.GetUtcNow();
                notification.LastError = null;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Could not send the {Type} email for event {EventId} (attempt {Attempt})", record.Type, record.Id, notification.Attempts);
                notification.LastError = ex.Message;
                var wait = RetrySchedule.NextDelay(RetrySchedule.Default, notification.Attempts, Random.Shared.NextDouble());
                if (wait is { } delay)
                {
                    notification.NextAttemptAt = time.GetUtcNow() + delay;
                }
                else
                {
                    notification.Status = EmailStatus.Failed;
                }
            }
            await db.SaveChangesAsync(CancellationToken.None);
            if (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }
}
