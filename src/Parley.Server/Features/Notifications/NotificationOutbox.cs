using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Options;
using Parley.Data;
using Parley.Data.Entities;
using Parley.Engine.Ids;
using Parley.Server.Infrastructure.Background;

namespace Parley.Server.Features.Notifications;

/// <summary>
/// When an event that deserves an email is saved (a new lead, a handoff, a disabled webhook endpoint) and SMTP is
/// configured, the email is queued in the same save; the email dispatcher sends it after the commit.
/// </summary>
public sealed class NotificationOutbox(
    NotificationRecipients recipients, WakeSignal<EmailDispatcher> signal, IOptionsMonitor<SmtpOptions> smtp, IdGenerator ids)
    : SaveChangesInterceptor
{
    private readonly ConditionalWeakTable<DbContext, object> _added = [];

    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is not ParleyDbContext db || db.IsImportingHistory || !smtp.CurrentValue.IsConfigured)
        {
            return result;
        }
        var events = db.ChangeTracker.Entries<DomainEventRecord>()
            .Where(e => e.State == EntityState.Added && NotificationMessages.Types.Contains(e.Entity.Type))
            .Select(e => e.Entity)
            .ToList();
        foreach (var record in events)
        {
            var to = await recipients.ForWorkspaceAsync(db, record.WorkspaceId, cancellationToken);
            if (to.Count == 0)
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
            _added.AddOrUpdate(db, this);
        }
        return result;
    }

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result) =>
        SavingChangesAsync(eventData, result).AsTask().GetAwaiter().GetResult();

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is not null && _added.Remove(eventData.Context))
        {
            signal.Notify();
        }
        return ValueTask.FromResult(result);
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result) =>
        SavedChangesAsync(eventData, result).AsTask().GetAwaiter().GetResult();

    public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is not null)
        {
            _added.Remove(eventData.Context);
        }
        return Task.CompletedTask;
    }
}

public static class EmailStatus
{
    public const string Pending = "pending";
    public const string Sent = "sent";
    public const string Failed = "failed";
}
