using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Parley.Data;
using Parley.Server.Infrastructure.Auth;
using Parley.Server.Infrastructure.Errors;
using Parley.Server.Infrastructure.Idempotency;
using Parley.Server.Infrastructure.Paging;

namespace Parley.Server.Features.Bookings;

public static class BookingEndpoints
{
    private const int MaxAvailabilityDays = 62;

    public static IEndpointRouteBuilder MapBookings(this IEndpointRouteBuilder api)
    {
        api.MapGet("/bots/{id}/availability", GetAvailability).RequireScope(Scopes.BookingsRead).WithTags("Bookings")
            .WithName("GetAvailability").WithSummary("List a bot's free slots")
            .WithDescription($"Slots with a seat left that start in [`from`, `to`) (ISO 8601; default: the next 7 days, at most {MaxAvailabilityDays} days), honouring minimum notice, horizon and closed dates. Times are UTC; the bot's `time_zone` is returned alongside.");
        var bookings = api.MapGroup("/bookings").WithTags("Bookings");
        bookings.MapPost("/", CreateBooking).RequireScope(Scopes.BookingsWrite)
            .WithName("CreateBooking").WithSummary("Book a slot")
            .WithDescription("Books the slot starting at `start` for the person given (name, email, phone, or a contact / conversation that has them). "
                + "The database guarantees a slot never takes more bookings than its capacity, across nodes: a full slot answers 409 `conflict`. Records `booking.created`; with SMTP configured, the person gets a confirmation email with the invite attached.")
            .ProducesProblem(StatusCodes.Status409Conflict);
        bookings.MapGet("/", ListBookings).RequireScope(Scopes.BookingsRead)
            .WithName("ListBookings").WithSummary("List bookings")
            .WithDescription("Newest first. Filter by `bot_id`, `status` (confirmed, cancelled), `contact_id`, and slot start with `start_after` / `start_before` (ISO 8601). "
                + "Name, email, phone and notes are personal data: null, with `pii_hidden` true, for callers without the `agent` or `export:pii` scope (viewers, narrow keys), as on contacts.");
        bookings.MapGet("/{id}", GetBooking).RequireScope(Scopes.BookingsRead)
            .WithName("GetBooking").WithSummary("Get a booking");
        bookings.MapPost("/{id}/cancel", CancelBooking).RequireScope(Scopes.BookingsWrite)
            .WithName("CancelBooking").WithSummary("Cancel a booking")
            .WithDescription("Frees the booking's seat and records `booking.cancelled`. Cancelling a cancelled booking changes nothing.");
        bookings.MapGet("/{id}/invite.ics", GetInvite).RequireScope(Scopes.BookingsRead)
            .WithName("GetBookingInvite").WithSummary("Download the booking's calendar invite")
            .WithDescription("An iCalendar (RFC 5545) event with the slot in the bot's time zone (TZID and VTIMEZONE). "
                + "The booking's notes are its description only for callers who may read personal data (`agent` or `export:pii` scope).")
            .Produces<string>(StatusCodes.Status200OK, BookingInvite.ContentType);
        return api;
    }

    public static async Task<Ok<AvailabilityResponse>> GetAvailability(
        string id, DateTimeOffset? from, DateTimeOffset? to, ParleyDbContext db, BookingService bookings, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var bot = await db.Bots.AsNoTracking().FirstOrDefaultAsync(b => b.Id == id, cancellationToken) ?? throw ApiException.NotFound("bot", id);
        var settings = BookingSettingsJson.Read(bot.BookingJson)
            ?? throw ApiException.Invalid("id", "This bot takes no bookings: set its booking calendar first (PATCH /v1/bots/{id} with booking).");
        var start = from ?? time.GetUtcNow();
        var end = to ?? (DateTimeOffset.MaxValue - start > TimeSpan.FromDays(7) ? start.AddDays(7) : DateTimeOffset.MaxValue);
        if (end <= start)
        {
            throw ApiException.Invalid("to", "to must be after from.");
        }
        if (end - start > TimeSpan.FromDays(MaxAvailabilityDays))
        {
            throw ApiException.Invalid("to", $"The range may span at most {MaxAvailabilityDays} days.");
        }
        var slots = await bookings.FreeSlotsAsync(id, start, end, cancellationToken);
        return TypedResults.Ok(new AvailabilityResponse(id, settings.TimeZone, slots));
    }

    public static async Task<Created<BookingResponse>> CreateBooking(
        CreateBookingRequest request, ParleyDbContext db, BookingService bookings, IdempotencyScope idempotency, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(request.BotId))
        {
            throw ApiException.Invalid("bot_id", "bot_id is required: the bot whose calendar to book.");
        }
        if (request.Start is not { } start)
        {
            throw ApiException.Invalid("start", "start is required: the start of a free slot (ISO 8601), from GET /v1/bots/{id}/availability.");
        }
        var outcome = await bookings.BookAsync(
            new BookingRequest(request.BotId, start, request.ContactId, request.ConversationId, request.Name, request.Email, request.Phone, request.Notes),
            (booking, ct) => idempotency.SaveChangesAsync(201, () => BookingResponse.From(booking), ct, $"/v1/bookings/{booking.Id}"),
            cancellationToken);
        return outcome switch
        {
            BookingOutcome.Booked booked => TypedResults.Created($"/v1/bookings/{booked.BookingId}",
                BookingResponse.From(db.Bookings.Local.First(b => b.Id == booked.BookingId))),
            BookingOutcome.SlotUnavailable unavailable => throw ApiException.Conflict(unavailable.Reason),
            BookingOutcome.Invalid invalid => throw ApiException.Invalid(invalid.Field, invalid.Reason),
            _ => throw new InvalidOperationException("Unknown booking outcome."),
        };
    }

    public static async Task<CursorPage<BookingResponse>> ListBookings(
        ParleyDbContext db, Caller caller,
        [FromQuery(Name = "bot_id")] string? botId,
        [FromQuery(Name = "contact_id")] string? contactId,
        string? status,
        [FromQuery(Name = "start_after")] DateTimeOffset? startAfter,
        [FromQuery(Name = "start_before")] DateTimeOffset? startBefore,
        int? limit, string? after, CancellationToken cancellationToken)
    {
        if (status is not null and not (BookingStatus.Confirmed or BookingStatus.Cancelled))
        {
            throw ApiException.Invalid("status", "status must be confirmed or cancelled.");
        }
        var query = db.Bookings.AsNoTracking();
        query = botId is null ? query : query.Where(b => b.BotId == botId);
        query = contactId is null ? query : query.Where(b => b.ContactId == contactId);
        query = status is null ? query : query.Where(b => b.Status == status);
        query = startAfter is null ? query : query.Where(b => b.Start >= startAfter);
        query = startBefore is null ? query : query.Where(b => b.Start < startBefore);
        var piiVisible = caller.MayReadPii();
        return await Paging.NewestFirstAsync(query, limit, after, b => BookingResponse.From(b, piiVisible), cancellationToken);
    }

    public static async Task<Ok<BookingResponse>> GetBooking(string id, ParleyDbContext db, Caller caller, CancellationToken cancellationToken)
    {
        var booking = await db.Bookings.AsNoTracking().FirstOrDefaultAsync(b => b.Id == id, cancellationToken) ?? throw ApiException.NotFound("booking", id);
        return TypedResults.Ok(BookingResponse.From(booking, caller.MayReadPii()));
    }

    public static async Task<Ok<BookingResponse>> CancelBooking(
        string id, CancelBookingRequest? request, BookingService bookings, CancellationToken cancellationToken)
    {
        if (request?.Reason is { Length: > 500 })
        {
            throw ApiException.Invalid("reason", "reason may be at most 500 characters.");
        }
        var booking = await bookings.CancelAsync(id, request?.Reason, cancellationToken) ?? throw ApiException.NotFound("booking", id);
        return TypedResults.Ok(BookingResponse.From(booking));
    }

    public static async Task<IResult> GetInvite(string id, ParleyDbContext db, Caller caller, CancellationToken cancellationToken)
    {
        var booking = await db.Bookings.AsNoTracking().FirstOrDefaultAsync(b => b.Id == id, cancellationToken) ?? throw ApiException.NotFound("booking", id);
        var botName = await db.Bots.IgnoreQueryFilters([Data.QueryFilters.NotDeleted]).Where(b => b.Id == booking.BotId).Select(b => b.Name).FirstOrDefaultAsync(cancellationToken) ?? "us";
        return Results.Text(BookingInvite.For(booking, botName, caller.MayReadPii()), BookingInvite.ContentType + "; charset=utf-8");
    }
}
