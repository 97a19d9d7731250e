using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Parley.Data;
using Parley.Data.Entities;
using Parley.Data.Tenancy;
using Parley.Engine.Bookings;
using Parley.Engine.Events;
using Parley.Engine.Ids;
using Parley.Server.Features.Events;
using Parley.Server.Features.Leads;
using Parley.Server.Infrastructure.Errors;

namespace Parley.Server.Features.Bookings;

/// <summary>
/// Free slots and bookings of a bot's calendar. Double booking is prevented by the database, not by a lock here: a
/// booking claims one seat of its slot in <see cref="BookingSlotClaim"/>, whose key (bot, slot start, seat) can be
/// committed once, on any node. A claim that loses the race retries with the next free seat until the slot is full.
/// </summary>
public sealed class BookingService(
    ParleyDbContext db, WorkspaceScope workspace, IServiceScopeFactory scopes, IdGenerator ids, TimeProvider time,
    IOptionsMonitor<LeadOptions> leadOptions)
{
    /// <summary>Slots starting in [<paramref name="from"/>, <paramref name="to"/>) with a seat left; empty for a bot without a calendar.</summary>
    public async Task<IReadOnlyList<BookingSlot>> FreeSlotsAsync(string botId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var bot = await db.Bots.AsNoTracking().FirstOrDefaultAsync(b => b.Id == botId, cancellationToken);
        if (BookingSettingsJson.Read(bot?.BookingJson) is not { } settings)
        {
            return [];
        }
        var slots = SlotCalendar.Slots(settings, from, to, time.GetUtcNow());
        if (slots.Count == 0)
        {
            return [];
        }
        var first = slots[0].Start;
        var last = slots[^1].Start;
        var taken = await db.BookingSlotClaims.AsNoTracking()
            .Where(c => c.BotId == botId && c.SlotStart >= first && c.SlotStart <= last)
            .GroupBy(c => c.SlotStart).Select(g => new { Start = g.Key, Count = g.Count() })
            .ToListAsync(cancellationToken);
        var takenByStart = taken.ToDictionary(t => t.Start.UtcTicks, t => t.Count);
        return [.. slots
            .Select(s => new BookingSlot(s.Start, s.End, settings.Capacity - takenByStart.GetValueOrDefault(s.Start.UtcTicks)))
            .Where(s => s.Remaining > 0)];
    }

    /// <summary>
    /// Books in its own unit of work (a separate context, so a caller's staged changes are neither saved nor lost) and
    /// records <c>booking.created</c> with it.
    /// </summary>
    public async Task<BookingOutcome> BookAsync(BookingRequest request, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        if (workspace.WorkspaceId is { } workspaceId)
        {
            scope.ServiceProvider.GetRequiredService<WorkspaceScope>().Enter(workspaceId);
        }
        var own = scope.ServiceProvider.GetRequiredService<BookingService>();
        var ownDb = scope.ServiceProvider.GetRequiredService<ParleyDbContext>();
        return await own.BookAsync(request, (_, ct) => ownDb.SaveChangesAsync(ct), cancellationToken);
    }

    /// <summary>
    /// Books through this request's context; <paramref name="commit"/> saves it (the API commits with its
    /// idempotency record). Retries on a lost seat race; other failures propagate.
    /// </summary>
    public async Task<BookingOutcome> BookAsync(BookingRequest request, Func<Booking, CancellationToken, Task> commit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(commit);
        var bot = await db.Bots.AsNoTracking().FirstOrDefaultAsync(b => b.Id == request.BotId, cancellationToken);
        if (bot is null)
        {
            return new BookingOutcome.Invalid("bot_id", $"No bot with id '{request.BotId}' exists in this workspace.");
        }
        if (BookingSettingsJson.Read(bot.BookingJson) is not { } settings)
        {
            return new BookingOutcome.Invalid("bot_id", "This bot takes no bookings: set its booking calendar first (PATCH /v1/bots/{id} with booking).");
        }
        var start = request.Start.ToUniversalTime();
        var now = time.GetUtcNow();
        var slot = SlotCalendar.Slots(settings, start.AddDays(-1), start.AddDays(1), now, applyLimits: false).FirstOrDefault(s => s.Start == start);
        if (slot is null)
        {
            return new BookingOutcome.Invalid("start", $"{start:yyyy-MM-ddTHH:mm:ssZ} is not the start of a slot of this bot's calendar; see GET /v1/bots/{{id}}/availability.");
        }
        if (start < now.AddMinutes(settings.MinimumNoticeMinutes))
        {
            return new BookingOutcome.SlotUnavailable($"This slot starts too soon: bookings need {settings.MinimumNoticeMinutes} minutes' notice.");
        }
        if (start > now.AddDays(settings.HorizonDays))
        {
            return new BookingOutcome.SlotUnavailable($"This slot is too far ahead: bookings open {settings.HorizonDays} days in advance.");
        }
        var (who, invalid) = await WhoAsync(request, cancellationToken);
        if (invalid is not null)
        {
            return invalid;
        }

        // Each round reads the taken seats and claims the lowest free one; the key decides between racing requests.
        for (var attempt = 0; attempt <= settings.Capacity + 3; attempt++)
        {
            var taken = await db.BookingSlotClaims.AsNoTracking()
                .Where(c => c.BotId == bot.Id && c.SlotStart == start).Select(c => c.Seat).ToListAsync(cancellationToken);
            var seat = Enumerable.Range(0, settings.Capacity).Cast<int?>().FirstOrDefault(s => !taken.Contains(s!.Value));
            if (seat is null)
            {
                return new BookingOutcome.SlotUnavailable("This slot is fully booked; choose another from the availability.");
            }
            var booking = new Booking
            {
                Id = ids.New(IdPrefix.Booking),
                WorkspaceId = bot.WorkspaceId,
                BotId = bot.Id,
                ContactId = who.ContactId,
                ConversationId = who.ConversationId,
                Start = slot.Start,
                End = slot.End,
                TimeZone = settings.TimeZone,
                Seat = seat.Value,
                Status = BookingStatus.Confirmed,
                Name = who.Name,
                Email = who.Email,
                Phone = who.Phone,
                Notes = who.Notes,
                CreatedAt = now,
            };
            var claim = new BookingSlotClaim { WorkspaceId = bot.WorkspaceId, BotId = bot.Id, SlotStart = slot.Start, Seat = seat.Value, BookingId = booking.Id };
            db.Bookings.Add(booking);
            db.BookingSlotClaims.Add(claim);
            var record = new EventLog(db, workspace, ids, time).Add(EventTypes.BookingCreated, booking.ConversationId, BookingResponse.From(booking), bot.WorkspaceId);
            try
            {
                await commit(booking, cancellationToken);
                return new BookingOutcome.Booked(booking.Id, booking.Start, booking.End, booking.TimeZone, booking.Seat);
            }
            catch (DbUpdateException ex) when (UniqueViolation.IsUniqueViolation(ex))
            {
                // Someone else took this seat first: forget this attempt and look again.
                db.Entry(booking).State = EntityState.Detached;
                db.Entry(claim).State = EntityState.Detached;
                db.Entry(record).State = EntityState.Detached;
            }
        }
        return new BookingOutcome.SlotUnavailable("This slot is fully booked; choose another from the availability.");
    }

    /// <summary>Cancels a booking and frees its seat, with <c>booking.cancelled</c>; a cancelled booking stays as it is.</summary>
    public async Task<Booking?> CancelAsync(string bookingId, string? reason, CancellationToken cancellationToken)
    {
        var booking = await db.Bookings.FirstOrDefaultAsync(b => b.Id == bookingId, cancellationToken);
        if (booking is null || booking.Status == BookingStatus.Cancelled)
        {
            return booking;
        }
        booking.Status = BookingStatus.Cancelled;
        booking.CancelledAt = time.GetUtcNow();
        booking.CancelReason = string.IsNullOrWhiteSpace(reason) ? null : reason.Trim();
        db.BookingSlotClaims.RemoveRange(await db.BookingSlotClaims.Where(c => c.BookingId == bookingId).ToListAsync(cancellationToken));
        new EventLog(db, workspace, ids, time).Add(EventTypes.BookingCancelled, booking.ConversationId, BookingResponse.From(booking), booking.WorkspaceId);
        await db.SaveChangesAsync(cancellationToken);
        return booking;
    }

    /// <summary>The request with its fields checked and filled in from the (conversation's) contact, or what is wrong with it.</summary>
    private async Task<(BookingRequest Who, BookingOutcome.Invalid? Invalid)> WhoAsync(BookingRequest request, CancellationToken cancellationToken)
    {
        var contactId = request.ContactId;
        if (request.ConversationId is { Length: > 0 } conversationId)
        {
            var conversation = await db.Conversations.AsNoTracking().FirstOrDefaultAsync(c => c.Id == conversationId, cancellationToken);
            if (conversation is null || conversation.BotId != request.BotId)
            {
                return Invalid("conversation_id", $"No conversation with id '{conversationId}' with this bot exists in this workspace.");
            }
            contactId ??= conversation.ContactId;
        }
        Contact? contact = null;
        if (contactId is { Length: > 0 })
        {
            contact = await db.Contacts.AsNoTracking().FirstOrDefaultAsync(c => c.Id == contactId, cancellationToken);
            if (contact is null)
            {
                return Invalid("contact_id", $"No contact with id '{contactId}' exists in this workspace.");
            }
        }
        var region = leadOptions.CurrentValue.DefaultPhoneRegion;
        // A contact's phone was stored as given: use it in E.164 when it parses, else as it is.
        var contactPhone = contact?.Phone is { } stored ? LeadFieldRules.ToE164(stored, region) ?? stored : null;
        LeadFields fields;
        try
        {
            fields = LeadFieldRules.Normalize(new LeadFields(request.Name ?? contact?.Name, request.Email ?? contact?.Email, request.Phone), region, prefix: "booking");
            fields = fields with { Phone = fields.Phone ?? contactPhone };
        }
        catch (LeadInputException invalid)
        {
            var (field, messages) = invalid.Errors.First();
            return Invalid(field.Replace("booking.", "", StringComparison.Ordinal), messages[0]);
        }
        var notes = request.Notes?.Trim();
        if (notes is { Length: > 2000 })
        {
            return Invalid("notes", "notes may be at most 2000 characters.");
        }
        if (fields.Name is null && fields.Email is null && fields.Phone is null)
        {
            return Invalid("name", "Say who the booking is for: name, email or phone (or a contact that has them).");
        }
        return (request with
        {
            ContactId = contact?.Id, Name = fields.Name, Email = fields.Email, Phone = fields.Phone, Notes = string.IsNullOrEmpty(notes) ? null : notes,
        }, null);

        (BookingRequest, BookingOutcome.Invalid?) Invalid(string field, string reason) => (request, new BookingOutcome.Invalid(field, reason));
    }
}
