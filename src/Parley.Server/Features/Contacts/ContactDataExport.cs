using Microsoft.EntityFrameworkCore;
using Parley.Data;
using Parley.Server.Features.Exports;
using Parley.Server.Infrastructure.Errors;

namespace Parley.Server.Features.Contacts;

public sealed class ContactDataExport(ParleyDbContext db, TimeProvider time)
{
    /// <summary>Everything about one contact; its, their leads' and bookings' personal fields only when <paramref name="includePii"/>.</summary>
    public async Task<ContactExport> ExportAsync(string contactId, bool includePii, CancellationToken cancellationToken)
    {
        var contact = await db.Contacts.AsNoTracking().FirstOrDefaultAsync(c => c.Id == contactId, cancellationToken)
            ?? throw ApiException.NotFound("contact", contactId);
        var conversations = await db.Conversations.AsNoTracking()
            .Where(c => c.ContactId == contactId).OrderBy(c => c.Id).ToListAsync(cancellationToken);
        var conversationIds = conversations.Select(c => c.Id).ToList();
        var messages = await db.Messages.AsNoTracking()
            .Where(m => conversationIds.Contains(m.ConversationId)).OrderBy(m => m.Id).ToListAsync(cancellationToken);
        var events = await db.Events.AsNoTracking()
            .Where(e => e.ConversationId != null && conversationIds.Contains(e.ConversationId)).OrderBy(e => e.Id).ToListAsync(cancellationToken);
        var leads = await db.Leads.AsNoTracking().Where(l => l.ContactId == contactId).OrderBy(l => l.Id).ToListAsync(cancellationToken);
        var bookings = await db.Bookings.AsNoTracking().Where(b => b.ContactId == contactId).OrderBy(b => b.Id).ToListAsync(cancellationToken);
        return new ContactExport(
            ContactRecord.From(contact, includePii),
            [.. conversations.Select(ConversationRecord.From)],
            [.. messages.Select(MessageRecord.From)],
            [.. events.Select(EventRecord.From)],
            time.GetUtcNow(),
            [.. leads.Select(l => LeadRecord.From(l, includePii))],
            [.. bookings.Select(b => BookingRecord.From(b, includePii))]);
    }
}
