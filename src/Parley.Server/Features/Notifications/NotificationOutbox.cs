using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Parley.Data;
using Parley.Data.Entities;
using Parley.Engine.Events;
using Parley.Engine.Ids;
using Parley.Server.Infrastructure.Background;

namespace Parley.Server.Features.Notifications;

/// <summary>
/// When an event that deserves an email is saved (a new lead, a handoff, a disabled webhook endpoint) and SMTP is
/// configured, the email is queued in the same save; the email dispatcher sends it after the commit. Imported
/// history sends nothing.
/// </summary>
public sealed class NotificationOutbox(
    NotificationRecipients recipients, WakeSignal<EmailDispatcher> signal, IOptionsMonitor<SmtpOptions> smtp, IdGenerator ids)
    : IOutboxContributor
{
    public void Committed(ParleyDbContext db, bool contributed)
    {
        if (contributed)
        {
            signal.Notify();
        }
    }

    public async ValueTask<bool> SavingAsync(ParleyDbContext db, SaveMode mode, CancellationToken cancellationToken)
    {
        if (mode == SaveMode.ImportedHistory || !smtp.CurrentValue.IsConfigured)
        {
            return false;
        }
        var added = false;
        var events = db.ChangeTracker.Entries<DomainEventRecord>()
            .Where(e => e.State == EntityState.Added && NotificationMessages.Types.Contains(e.Entity.Type))
            .Select(e => e.Entity)
            .ToList();
        foreach (var record in events)
        {
            var to = await recipients.ForWorkspaceAsync(db, record.WorkspaceId, cancellationToken);
            // The person who booked is not stored with the email (the outbox row is not encrypted): the dispatcher
            // reads them from the event when it sends.
            if (to.Count == 0 && !(record.Type == EventTypes.BookingCreated && NotificationMessages.BookerEmail(record.DataJson) is not null))
            {
                continue;
            }
            db.EmailNotifications.Add(new EmailNotification
            {
                Id = ids.New(IdPrefix.EmailNotification),
                WorkspaceId = record.WorkspaceId,
                EventId = record.Id,
                EventType = record.Type,
                To = [.. to],
                Status = EmailStatus.Pending,
                NextAttemptAt = record.CreatedAt,
                CreatedAt = record.CreatedAt,
            });
            added = true;
        }
        return added;
    }
}

public static class EmailStatus
{
    public const string Pending = "pending";
    public const string Sent = "sent";
    public const string Failed = "failed";
}
