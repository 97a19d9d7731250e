using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Parley.Data;
using Parley.Engine.Events;
using Parley.Engine.Turns;
using Parley.Server.Features.Events;
using Parley.Server.Infrastructure.Errors;

namespace Parley.Server.Features.Contacts;

/// <summary>
/// Erases one person's personal data in one transaction. The rows stay (conversation counts and analytics still add
/// up) but every value that identified the person (on the contact, their leads and bookings), and everything they typed,
/// is replaced by <see cref="Marker"/> or cleared.
/// </summary>
public sealed class ContactEraser(ParleyDbContext db, EventLog events, TimeProvider time)
{
    public const string Marker = "[erased]";

    public async Task<ContactErasureResult> EraseAsync(string contactId, CancellationToken cancellationToken)
    {
        var contact = await db.Contacts.FirstOrDefaultAsync(c => c.Id == contactId, cancellationToken)
            ?? throw ApiException.NotFound("contact", contactId);
        var conversationIds = await db.Conversations.Where(c => c.ContactId == contactId).Select(c => c.Id).ToListAsync(cancellationToken);
        var messages = await db.Messages.AsNoTracking()
            .Where(m => conversationIds.Contains(m.ConversationId)).Select(m => new { m.Id, m.Role, m.Text }).ToListAsync(cancellationToken);

        var leads = await db.Leads.Where(l => l.ContactId == contactId).ToListAsync(cancellationToken);
        var bookings = await db.Bookings.Where(b => b.ContactId == contactId).ToListAsync(cancellationToken);
        var erasedValues = new PersonalValues(
            [contact.Name, contact.Email, contact.Phone, contact.ExternalId, .. contact.Attributes.Values,
             .. leads.SelectMany(l => new[] { l.Name, l.Email, l.Phone }.Concat(l.Custom.Values)),
             .. bookings.SelectMany(b => new[] { b.Name, b.Email, b.Phone, b.Notes }),
             .. messages.Where(m => m.Role == MessageRole.User && m.Text != Marker).Select(m => m.Text)]);

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var messagesRedacted = 0;
        foreach (var message in messages)
        {
            var text = message.Role == MessageRole.User ? Marker : erasedValues.Redact(message.Text);
            if (text != message.Text)
            {
                messagesRedacted += await db.Messages.Where(m => m.Id == message.Id)
                    .ExecuteUpdateAsync(s => s.SetProperty(m => m.Text, text), cancellationToken);
            }
        }

        var eventsScrubbed = 0;
        // Payloads are encrypted, so the events outside the person's conversations that name them are found after
        // decryption rather than by the database.
        var relatedEvents = (await db.Events.AsNoTracking()
            .Where(e => (e.ConversationId != null && conversationIds.Contains(e.ConversationId))
                || (e.ConversationId == null && e.Type != EventTypes.WebhookTest && e.Type != EventTypes.WebhookEndpointDisabled))
            .Select(e => new { e.Id, e.ConversationId, e.DataJson }).ToListAsync(cancellationToken))
            .Where(e => e.ConversationId != null || e.DataJson.Contains(contactId, StringComparison.Ordinal));
        foreach (var related in relatedEvents)
        {
            var data = erasedValues.Redact(JsonNode.Parse(related.DataJson))?.ToJsonString() ?? "{}";
            if (data != related.DataJson)
            {
                eventsScrubbed += await db.Events.Where(e => e.Id == related.Id)
                    .ExecuteUpdateAsync(s => s.SetProperty(e => e.DataJson, data), cancellationToken);
            }
        }

        // Replayable responses may hold the contact as it was; they are a cache, so they go.
        var replays = (await db.IdempotencyRecords.AsNoTracking().Select(r => new { r.Key, r.ResponseJson }).ToListAsync(cancellationToken))
            .Where(r => r.ResponseJson.Contains(contactId, StringComparison.Ordinal)).Select(r => r.Key).ToList();
        await db.IdempotencyRecords.Where(r => replays.Contains(r.Key)).ExecuteDeleteAsync(cancellationToken);

        contact.Name = null;
        contact.Email = null;
        contact.Phone = null;
        contact.ExternalId = null;
        contact.Attributes = [];
        foreach (var lead in leads)
        {
            lead.Name = null;
            lead.Email = null;
            lead.Phone = null;
            lead.Custom = [];
        }
        foreach (var booking in bookings)
        {
            booking.Name = null;
            booking.Email = null;
            booking.Phone = null;
            booking.Notes = null;
        }
        var alreadyErased = (await db.Events.Where(e => e.Type == EventTypes.ContactErased).Select(e => e.DataJson).ToListAsync(cancellationToken))
            .Any(data => data.Contains(contactId, StringComparison.Ordinal));
        if (!alreadyErased)
        {
            events.Add(EventTypes.ContactErased, null, new ContactErasedEvent(contactId, conversationIds, messagesRedacted, eventsScrubbed));
        }
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new ContactErasureResult(contactId, true, time.GetUtcNow(), messagesRedacted, eventsScrubbed);
    }
}
