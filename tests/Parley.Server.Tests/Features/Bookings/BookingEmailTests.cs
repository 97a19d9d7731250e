using System.Globalization;
using System.Net;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Features.Bookings;

public sealed class BookingEmailTests
{
    [Fact]
    public async Task CreateBooking_SmtpConfigured_ConfirmationWithTheInviteAttached()
    {
        using var smtp = await SmtpTestServer.StartAsync();
        var app = new ParleyApp()
            .With("Parley:Smtp:Host", "127.0.0.1")
            .With("Parley:Smtp:Port", smtp.Port.ToString(CultureInfo.InvariantCulture))
            .With("Parley:Smtp:Security", "none")
            .With("Parley:Smtp:From", "Parley <parley@shop.example>");
        await app.InitializeAsync();
        try
        {
            var client = app.Client();
            var bot = await client.CreateBotAsync("Salon");
            await (await client.PatchJsonAsync($"/v1/bots/{bot}", new
            {
                booking = new { time_zone = "America/New_York", weekly_hours = new[] { "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday" }.ToDictionary(d => d, _ => new[] { new { start = "09:00", end = "17:00" } }), slot_minutes = 60, minimum_notice_minutes = 0 },
            })).JsonAsync(HttpStatusCode.OK);
            var slots = await (await client.GetAsync($"/v1/bots/{bot}/availability?from={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddDays(2).ToString("O"))}")).JsonAsync(HttpStatusCode.OK);
            var start = (string)slots["data"]![0]!["start"]!;

            var booking = await (await client.PostJsonAsync("/v1/bookings", new { bot_id = bot, start, name = "Ann", email = "ann@visitor.example" })).JsonAsync(HttpStatusCode.Created);

            var email = await smtp.WaitForMessageAsync();
            Assert.Contains("ann@visitor.example", email, StringComparison.Ordinal);
            Assert.Contains("Subject: Appointment confirmed", email, StringComparison.Ordinal);
            Assert.Contains("Content-Type: text/calendar", email, StringComparison.Ordinal);
            Assert.Contains("invite.ics", email, StringComparison.Ordinal);
            var local = TimeZoneInfo.ConvertTime(DateTimeOffset.Parse(start, CultureInfo.InvariantCulture), TimeZoneInfo.FindSystemTimeZoneById("America/New_York"));
            var invite = await client.GetStringAsync($"/v1/bookings/{booking.Id()}/invite.ics");
            Assert.Contains($"DTSTART;TZID=America/New_York:{local:yyyyMMdd'T'HHmmss}", invite, StringComparison.Ordinal);
            Assert.Contains("Salon", invite, StringComparison.Ordinal);
        }
        finally
        {
            await ((IAsyncLifetime)app).DisposeAsync();
        }
    }
}
