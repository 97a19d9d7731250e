using Microsoft.EntityFrameworkCore;
using Parley.Data;
using Parley.Data.Entities;
using Parley.Engine.Events;
using Parley.Engine.Webhooks;
using Parley.Server.Features.Bookings;
using Parley.Server.Infrastructure.Background;

namespace Parley.Server.Features.Notifications;

/// <summary>
/// Sends queued notification emails after commit, woken by the outbox and polling every few seconds as a safety
/// net. Each pass leases the emails it sends, so two nodes never send the same one; a node that dies mid-send leaves
/// its lease to lapse and another node sends the email again, with the same Message-ID. A failed send is logged and
/// retried on the same schedule as webhooks; queued emails survive a restart.
/// </summary>
public sealed class EmailDispatcher(
    IServiceScopeFactory scopes, WakeSignal<EmailDispatcher> signal, EmailSender sender, TimeProvider time, ILogger<EmailDispatcher> logger)
    : LeasedWorker<EmailDispatcher>(scopes, signal, time, logger)
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);

    protected override TimeSpan PollInterval => TimeSpan.FromSeconds(5);

    protected override int BatchSize => 50;

    protected override Task<int> HandBackAsync(ParleyDbContext db, CancellationToken cancellationToken) =>
        LeaseClaims.HandBackAsync(db.EmailNotifications.IgnoreQueryFilters().Where(n => n.Status == EmailStatus.Pending), Owner, cancellationToken);

    public override async Task<int> RunOnceAsync(CancellationToken stopping)
    {
        await using var scope = Scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ParleyDbContext>();
        var now = Time.GetUtcNow();
        var claimed = await LeaseClaims.ClaimAsync(db,
            db.EmailNotifications.IgnoreQueryFilters()
                .Where(n => n.Status == EmailStatus.Pending && n.NextAttemptAt <= now)
                .OrderBy(n => n.NextAttemptAt),
            BatchSize, Owner, now, Lease, stopping);
        if (claimed.Count == 0)
        {
            return 0;
        }
        await WhileHoldingAsync<EmailNotification, bool>([.. claimed.Select(n => n.Id)], Lease, async () =>
        {
            foreach (var notification in claimed)
            {
                if (stopping.IsCancellationRequested)
                {
                    // Not started: back to the queue for this node after a restart, or another node now.
                    LeaseClaims.Release(notification);
                    continue;
                }
                await SendAsync(db, notification);
                // Saved one by one, so a crash resends at most the email under way.
                await db.SaveChangesAsync(CancellationToken.None);
            }
            return true;
        });
        await db.SaveChangesAsync(CancellationToken.None);
        return claimed.Count;
    }

    private async Task SendAsync(ParleyDbContext db, EmailNotification notification)
    {
        var record = await db.Events.IgnoreQueryFilters().AsNoTracking().FirstAsync(e => e.Id == notification.EventId, CancellationToken.None);
        var message = NotificationMessages.For(record.Type, record.Id, record.DataJson);
        notification.Attempts++;
        LeaseClaims.Release(notification);
        try
        {
            if (message is { } m)
            {
                var attachment = record.Type == EventTypes.BookingCreated ? await BookingInvite.AttachmentAsync(db, record.DataJson, CancellationToken.None) : null;
                await sender.SendAsync(NotificationMessages.Recipients(record.Type, record.DataJson, notification.To), m.Subject, m.Body, CancellationToken.None,
                    attachment, messageId: NotificationMessages.MessageId(notification.Id));
            }
            notification.Status = EmailStatus.Sent;
            notification.SentAt = Time.GetUtcNow();
            notification.LastError = null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Could not send the {Type} email for event {EventId} (attempt {Attempt})", record.Type, record.Id, notification.Attempts);
            notification.LastError = ex.Message;
            var wait = RetrySchedule.NextDelay(RetrySchedule.Default, notification.Attempts, Random.Shared.NextDouble());
            if (wait is { } delay)
            {
                notification.NextAttemptAt = Time.GetUtcNow() + delay;
            }
            else
            {
                notification.Status = EmailStatus.Failed;
            }
        }
    }
}
