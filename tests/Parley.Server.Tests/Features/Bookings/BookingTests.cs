using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Features.Bookings;

public sealed class BookingTests(ParleyApp app) : IClassFixture<ParleyApp>
{
    private static readonly string[] EveryDay = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];

    /// <summary>A UTC calendar open every day 00:00–23:00 in one-hour slots, no notice.</summary>
    private static object AllDay(int capacity = 1) => new
    {
        time_zone = "UTC",
        weekly_hours = EveryDay.ToDictionary(d => d, _ => new[] { new { start = "00:00", end = "23:00" } }),
        slot_minutes = 60,
        minimum_notice_minutes = 0,
        horizon_days = 30,
        capacity,
    };

    /// <summary>10:00 UTC two days from now: a slot of <see cref="AllDay"/>.</summary>
    private static DateTimeOffset SlotStart => new DateTimeOffset(DateTime.UtcNow.Date, TimeSpan.Zero).AddDays(2).AddHours(10);

    private async Task<(HttpClient Client, string BotId)> BotAsync(object? booking)
    {
        var (_, key) = await app.CreateWorkspaceAsync();
        var client = app.Client(key);
        var bot = await client.CreateBotAsync();
        if (booking is not null)
        {
            await (await client.PatchJsonAsync($"/v1/bots/{bot}", new { booking })).JsonAsync(HttpStatusCode.OK);
        }
        return (client, bot);
    }

    private static Task<HttpResponseMessage> BookAsync(HttpClient client, string botId, DateTimeOffset start, string name = "Ada") =>
        client.PostJsonAsync("/v1/bookings", new { bot_id = botId, start, name, email = "ada@example.com", phone = "+49 30 1234567", notes = "first visit" });

    private static DateTimeOffset Time(JsonNode? node) => DateTimeOffset.Parse((string)node!, CultureInfo.InvariantCulture);

    [Fact]
    public async Task UpdateBot_BookingSettings_StoredWithDefaultsAndReturned()
    {
        var (client, bot) = await BotAsync(null);

        var updated = await (await client.PatchJsonAsync($"/v1/bots/{bot}", new
        {
            booking = new { time_zone = "Europe/Berlin", weekly_hours = new { monday = new[] { new { start = "09:00", end = "12:00" } } } },
        })).JsonAsync(HttpStatusCode.OK);

        var booking = updated["booking"]!;
        Assert.Equal("Europe/Berlin", (string?)booking["time_zone"]);
        Assert.Equal(30, (int)booking["slot_minutes"]!);
        Assert.Equal(1, (int)booking["capacity"]!);
        var removed = await (await client.PatchJsonAsync($"/v1/bots/{bot}", new { booking = false })).JsonAsync(HttpStatusCode.OK);
        Assert.Null(removed["booking"]);
    }

    [Fact]
    public async Task UpdateBot_InvalidBookingSettings_400PerFieldAndNothingChanged()
    {
        var (client, bot) = await BotAsync(AllDay());
        var before = await (await client.GetAsync($"/v1/bots/{bot}")).JsonAsync(HttpStatusCode.OK);

        var problem = await (await client.PatchJsonAsync($"/v1/bots/{bot}", new
        {
            name = "Renamed",
            booking = new { time_zone = "Moon/Base", weekly_hours = new { someday = Array.Empty<object>(), monday = new[] { new { start = "18:00", end = "09:00" } } }, capacity = 0 },
        })).ProblemAsync(HttpStatusCode.BadRequest, "invalid_request");

        var errors = problem["errors"]!.AsObject().Select(e => e.Key).Order(StringComparer.Ordinal);
        Assert.Equal(["booking.capacity", "booking.time_zone", "booking.weekly_hours.monday", "booking.weekly_hours.someday"], errors);
        var after = await (await client.GetAsync($"/v1/bots/{bot}")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(before.ToJsonString(), after.ToJsonString());
        await (await client.PatchJsonAsync($"/v1/bots/{bot}", new { booking = "yes" })).ProblemAsync(HttpStatusCode.BadRequest, "invalid_request");
    }

    [Fact]
    public async Task CreateBooking_FiftyParallelForOneSlot_ExactlyOneCreatedTheRestConflict()
    {
        var (client, bot) = await BotAsync(AllDay(capacity: 1));
        var start = SlotStart;

        var responses = await Task.WhenAll(Enumerable.Range(0, 50).Select(i => BookAsync(client, bot, start, $"Visitor {i}")));

        var statuses = responses.Select(r => r.StatusCode).ToList();
        Assert.Equal(1, statuses.Count(s => s == HttpStatusCode.Created));
        Assert.Equal(49, statuses.Count(s => s == HttpStatusCode.Conflict));
        foreach (var conflict in responses.Where(r => r.StatusCode == HttpStatusCode.Conflict).Take(3))
        {
            await conflict.ProblemAsync(HttpStatusCode.Conflict, "conflict");
        }
        var list = await (await client.GetAsync($"/v1/bookings?bot_id={bot}")).JsonAsync(HttpStatusCode.OK);
        Assert.Single(list["data"]!.AsArray());
        Assert.Single((await (await client.GetAsync("/v1/events?type=booking.created")).JsonAsync(HttpStatusCode.OK))["data"]!.AsArray());
        Assert.Equal(1, await app.DbAsync(db => db.BookingSlotClaims.IgnoreQueryFilters().CountAsync(c => c.BotId == bot)));
    }

    [Fact]
    public async Task CreateBooking_ParallelForASlotOfCapacityThree_ExactlyThreeCreated()
    {
        var (client, bot) = await BotAsync(AllDay(capacity: 3));
        var start = SlotStart;

        var responses = await Task.WhenAll(Enumerable.Range(0, 30).Select(i => BookAsync(client, bot, start, $"Visitor {i}")));

        Assert.Equal(3, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
        Assert.Equal(27, responses.Count(r => r.StatusCode == HttpStatusCode.Conflict));
        var seats = await app.DbAsync(db => db.BookingSlotClaims.IgnoreQueryFilters().Where(c => c.BotId == bot).Select(c => c.Seat).OrderBy(s => s).ToListAsync());
        Assert.Equal([0, 1, 2], seats);
        var availability = await (await client.GetAsync($"/v1/bots/{bot}/availability?from={Uri.EscapeDataString(start.ToString("O"))}&to={Uri.EscapeDataString(start.AddHours(2).ToString("O"))}"))
            .JsonAsync(HttpStatusCode.OK);
        var slots = availability["data"]!.AsArray();
        Assert.Equal(start.AddHours(1), Time(slots.Single()!["start"]));
        Assert.Equal(3, (int)slots.Single()!["remaining"]!);
    }

    [Fact]
    public async Task CancelBooking_FreesTheSeatForTheNextBooking()
    {
        var (client, bot) = await BotAsync(AllDay(capacity: 1));
        var start = SlotStart;
        var booking = await (await BookAsync(client, bot, start)).JsonAsync(HttpStatusCode.Created);
        await (await BookAsync(client, bot, start)).ProblemAsync(HttpStatusCode.Conflict, "conflict");

        var cancelled = await (await client.PostJsonAsync($"/v1/bookings/{booking.Id()}/cancel", new { reason = "ill" })).JsonAsync(HttpStatusCode.OK);

        Assert.Equal("cancelled", (string?)cancelled["status"]);
        Assert.Equal("ill", (string?)cancelled["cancel_reason"]);
        var again = await (await BookAsync(client, bot, start, "Bea")).JsonAsync(HttpStatusCode.Created);
        Assert.NotEqual(booking.Id(), again.Id());
        await (await client.PostJsonAsync($"/v1/bookings/{booking.Id()}/cancel", new { })).JsonAsync(HttpStatusCode.OK);
        Assert.Single((await (await client.GetAsync("/v1/events?type=booking.cancelled")).JsonAsync(HttpStatusCode.OK))["data"]!.AsArray());
        var confirmed = await (await client.GetAsync("/v1/bookings?status=confirmed")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal([again.Id()], confirmed["data"]!.AsArray().Select(b => b!.Id()));
    }

    [Fact]
    public async Task CreateBooking_Created_StoresWhoWithE164PhoneAndEvent()
    {
        var (client, bot) = await BotAsync(AllDay());
        var response = await BookAsync(client, bot, SlotStart);

        var booking = await response.JsonAsync(HttpStatusCode.Created);

        Assert.StartsWith("bk_", booking.Id(), StringComparison.Ordinal);
        Assert.Equal($"/v1/bookings/{booking.Id()}", response.Headers.Location?.ToString());
        Assert.Equal(SlotStart, Time(booking["start"]));
        Assert.Equal(SlotStart.AddHours(1), Time(booking["end"]));
        Assert.Equal("+49301234567", (string?)booking["phone"]);
        Assert.Equal("confirmed", (string?)booking["status"]);
        var read = await (await client.GetAsync($"/v1/bookings/{booking.Id()}")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(booking.ToJsonString(), read.ToJsonString());
        var created = (await (await client.GetAsync("/v1/events?type=booking.created")).JsonAsync(HttpStatusCode.OK))["data"]![0]!["data"]!;
        Assert.Equal(booking.Id(), created.Id());
    }

    [Theory]
    [InlineData("{\"start\": \"START\", \"name\": \"A\"}", "bot_id")]
    [InlineData("{\"bot_id\": \"BOT\", \"name\": \"A\"}", "start")]
    [InlineData("{\"bot_id\": \"bot_missing\", \"start\": \"START\", \"name\": \"A\"}", "bot_id")]
    [InlineData("{\"bot_id\": \"BOT\", \"start\": \"HALF\", \"name\": \"A\"}", "start")]
    [InlineData("{\"bot_id\": \"BOT\", \"start\": \"START\"}", "name")]
    [InlineData("{\"bot_id\": \"BOT\", \"start\": \"START\", \"email\": \"nope\"}", "email")]
    [InlineData("{\"bot_id\": \"BOT\", \"start\": \"START\", \"name\": \"A\", \"conversation_id\": \"conv_nope\"}", "conversation_id")]
    public async Task CreateBooking_BadInput_400AndNothingWritten(string body, string field)
    {
        var (client, bot) = await BotAsync(AllDay());
        body = body.Replace("BOT", bot, StringComparison.Ordinal)
            .Replace("START", SlotStart.ToString("O"), StringComparison.Ordinal)
            .Replace("HALF", SlotStart.AddMinutes(30).ToString("O"), StringComparison.Ordinal);

        var problem = await (await client.PostRawAsync("/v1/bookings", body)).ProblemAsync(HttpStatusCode.BadRequest, "invalid_request");

        Assert.NotNull(problem["errors"]![field]);
        Assert.Equal(0, await app.DbAsync(db => db.Bookings.IgnoreQueryFilters().CountAsync(b => b.BotId == bot)));
    }

    [Fact]
    public async Task CreateBooking_BotWithoutCalendarOrTooSoon_Refused()
    {
        var (client, plain) = await BotAsync(null);
        await (await BookAsync(client, plain, SlotStart)).ProblemAsync(HttpStatusCode.BadRequest, "invalid_request");
        await (await client.GetAsync($"/v1/bots/{plain}/availability")).ProblemAsync(HttpStatusCode.BadRequest, "invalid_request");
        await (await client.GetAsync("/v1/bots/bot_missing/availability")).ProblemAsync(HttpStatusCode.NotFound, "not_found");

        var (other, bot) = await BotAsync(AllDay());
        var past = new DateTimeOffset(DateTime.UtcNow.Date, TimeSpan.Zero).AddDays(-1).AddHours(10);
        await (await BookAsync(other, bot, past)).ProblemAsync(HttpStatusCode.Conflict, "conflict");
        await (await other.GetAsync($"/v1/bots/{bot}/availability?from=2027-01-02T00:00:00Z&to=2027-01-01T00:00:00Z")).ProblemAsync(HttpStatusCode.BadRequest, "invalid_request");
    }

    [Fact]
    public async Task Availability_AcrossDaylightSavingChange_SlotsKeepTheirLocalTimes()
    {
        // The next last Sunday of March: Berlin skips 02:00–03:00 local time.
        var spring = NextLastSundayOf(3);
        var (client, bot) = await BotAsync(new
        {
            time_zone = "Europe/Berlin",
            weekly_hours = new { sunday = new[] { new { start = "01:00", end = "05:00" } } },
            slot_minutes = 60,
            minimum_notice_minutes = 0,
            horizon_days = 730,
        });
        var dayStart = new DateTimeOffset(spring.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

        var availability = await (await client.GetAsync(
            $"/v1/bots/{bot}/availability?from={Uri.EscapeDataString(dayStart.AddHours(-12).ToString("O"))}&to={Uri.EscapeDataString(dayStart.AddHours(12).ToString("O"))}"))
            .JsonAsync(HttpStatusCode.OK);

        Assert.Equal("Europe/Berlin", (string?)availability["time_zone"]);
        var starts = availability["data"]!.AsArray().Select(s => Time(s!["start"])).ToList();
        // 01:00 CET, then 03:00 and 04:00 CEST: the skipped hour has no slot.
        Assert.Equal([dayStart, dayStart.AddHours(1), dayStart.AddHours(2)], starts);
        var berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
        Assert.Equal([1, 3, 4], starts.Select(s => TimeZoneInfo.ConvertTime(s, berlin).Hour));

        var booking = await (await BookAsync(client, bot, dayStart.AddHours(1))).JsonAsync(HttpStatusCode.Created);
        var invite = await client.GetAsync($"/v1/bookings/{booking.Id()}/invite.ics");
        Assert.Equal(HttpStatusCode.OK, invite.StatusCode);
        Assert.Equal("text/calendar", invite.Content.Headers.ContentType?.MediaType);
        var ics = await invite.Content.ReadAsStringAsync();
        Assert.Contains("BEGIN:VEVENT", ics, StringComparison.Ordinal);
        Assert.Contains("BEGIN:VTIMEZONE", ics, StringComparison.Ordinal);
        Assert.Contains($"DTSTART;TZID=Europe/Berlin:{spring:yyyyMMdd}T030000", ics, StringComparison.Ordinal);
        Assert.Contains($"DTEND;TZID=Europe/Berlin:{spring:yyyyMMdd}T040000", ics, StringComparison.Ordinal);
        Assert.Contains($"UID:{booking.Id()}@parley", ics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bookings_OtherWorkspace_NotFound()
    {
        var (client, bot) = await BotAsync(AllDay());
        var booking = await (await BookAsync(client, bot, SlotStart)).JsonAsync(HttpStatusCode.Created);
        var (_, otherKey) = await app.CreateWorkspaceAsync();
        var other = app.Client(otherKey);

        await (await other.GetAsync($"/v1/bookings/{booking.Id()}")).ProblemAsync(HttpStatusCode.NotFound, "not_found");
        await (await other.PostJsonAsync($"/v1/bookings/{booking.Id()}/cancel", new { })).ProblemAsync(HttpStatusCode.NotFound, "not_found");
        await (await other.GetAsync($"/v1/bookings/{booking.Id()}/invite.ics")).ProblemAsync(HttpStatusCode.NotFound, "not_found");
        await (await other.GetAsync($"/v1/bots/{bot}/availability")).ProblemAsync(HttpStatusCode.NotFound, "not_found");
        Assert.Equal("confirmed", (string?)(await (await client.GetAsync($"/v1/bookings/{booking.Id()}")).JsonAsync(HttpStatusCode.OK))["status"]);
    }

    [Fact]
    public async Task StreamExport_Bookings_PiiOnlyWhenAsked()
    {
        var (client, bot) = await BotAsync(AllDay());
        var booking = await (await BookAsync(client, bot, SlotStart)).JsonAsync(HttpStatusCode.Created);

        var withPii = await client.GetStringAsync("/v1/export/bookings.ndjson?include_pii=true");
        var withoutPii = await client.GetStringAsync("/v1/export/bookings.csv");

        Assert.Equal("ada@example.com", (string?)JsonNode.Parse(withPii.Trim())!["email"]);
        Assert.StartsWith("id,bot_id,contact_id,conversation_id,start,end,time_zone,seat,status,created_at", withoutPii, StringComparison.Ordinal);
        Assert.Contains(booking.Id(), withoutPii, StringComparison.Ordinal);
        Assert.DoesNotContain("ada@example.com", withoutPii, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateBooking_RetriedWithTheSameIdempotencyKey_OneSeatTaken()
    {
        var (client, bot) = await BotAsync(AllDay(capacity: 2));
        var body = new { bot_id = bot, start = SlotStart, name = "Ada" };

        var first = await (await client.PostJsonAsync("/v1/bookings", body, idempotencyKey: "book-once")).JsonAsync(HttpStatusCode.Created);
        var retried = await client.PostJsonAsync("/v1/bookings", body, idempotencyKey: "book-once");

        Assert.Equal(first.Id(), (await retried.JsonAsync(HttpStatusCode.Created)).Id());
        Assert.Equal(1, await app.DbAsync(db => db.BookingSlotClaims.IgnoreQueryFilters().CountAsync(c => c.BotId == bot)));
    }

    [Fact]
    public async Task CreateBooking_FromAConversation_WhoComesFromItsContact()
    {
        var (client, bot) = await BotAsync(AllDay());
        var started = await client.StartConversationAsync(bot, new { name = "Cora Contact", email = "cora@example.com", phone = "0151 12345678" });

        var booking = await (await client.PostJsonAsync("/v1/bookings", new { bot_id = bot, start = SlotStart, conversation_id = started["conversation"]!.Id() }))
            .JsonAsync(HttpStatusCode.Created);

        Assert.Equal("Cora Contact", (string?)booking["name"]);
        Assert.Equal("cora@example.com", (string?)booking["email"]);
        Assert.Equal("0151 12345678", (string?)booking["phone"]);
        Assert.Equal(started["conversation"]!.Id("contact_id"), (string?)booking["contact_id"]);
        Assert.Equal(started["conversation"]!.Id(), (string?)booking["conversation_id"]);
    }

    private static DateOnly NextLastSundayOf(int month)
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(1);
        for (var year = today.Year; ; year++)
        {
            var day = new DateOnly(year, month, DateTime.DaysInMonth(year, month));
            while (day.DayOfWeek != DayOfWeek.Sunday)
            {
                day = day.AddDays(-1);
            }
            if (day > today)
            {
                return day;
            }
        }
    }
}
