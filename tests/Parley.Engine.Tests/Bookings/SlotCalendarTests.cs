using Parley.Engine.Bookings;

namespace Parley.Engine.Tests.Bookings;

public sealed class SlotCalendarTests
{
    private static readonly DateTimeOffset Now = new(2027, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static BookingSettings Berlin(string day, string open, string close, int slotMinutes = 60, int bufferMinutes = 0) => new(
        "Europe/Berlin",
        new Dictionary<string, IReadOnlyList<TimeRange>> { [day] = [new TimeRange(open, close)] },
        SlotMinutes: slotMinutes, BufferMinutes: bufferMinutes, MinimumNoticeMinutes: 0, HorizonDays: 730);

    private static DateTimeOffset Utc(int year, int month, int day, int hour, int minute = 0) => new(year, month, day, hour, minute, 0, TimeSpan.Zero);

    [Fact]
    public void Slots_ClocksGoForward_SkippedHourHasNoSlotAndLaterSlotsUseSummerTime()
    {
        // 28 March 2027: at 02:00 CET clocks jump to 03:00 CEST.
        var slots = SlotCalendar.Slots(Berlin("sunday", "01:00", "05:00"), Utc(2027, 3, 27, 12), Utc(2027, 3, 28, 12), Now);

        Assert.Equal([Utc(2027, 3, 28, 0), Utc(2027, 3, 28, 1), Utc(2027, 3, 28, 2)], slots.Select(s => s.Start));
        Assert.All(slots, s => Assert.Equal(TimeSpan.FromHours(1), s.End - s.Start));
    }

    [Fact]
    public void Slots_ClocksGoBack_RepeatedHourHasOneSlotAtItsFirstOccurrence()
    {
        // 31 October 2027: at 03:00 CEST clocks go back to 02:00 CET.
        var slots = SlotCalendar.Slots(Berlin("sunday", "01:00", "04:00"), Utc(2027, 10, 30, 12), Utc(2027, 10, 31, 12), Now);

        // 01:00 CEST, 02:00 CEST (first of the two), 03:00 CET.
        Assert.Equal([Utc(2027, 10, 30, 23), Utc(2027, 10, 31, 0), Utc(2027, 10, 31, 2)], slots.Select(s => s.Start));
    }

    [Fact]
    public void Slots_SameWallClockAcrossTransition_MovesInUtc()
    {
        var settings = Berlin("monday", "09:00", "10:00");

        var winter = SlotCalendar.Slots(settings, Utc(2027, 3, 22, 0), Utc(2027, 3, 23, 0), Now).Single();
        var summer = SlotCalendar.Slots(settings, Utc(2027, 3, 29, 0), Utc(2027, 3, 30, 0), Now).Single();

        Assert.Equal(Utc(2027, 3, 22, 8), winter.Start);
        Assert.Equal(Utc(2027, 3, 29, 7), summer.Start);
    }

    [Fact]
    public void Slots_BufferNoticeHorizonAndClosedDates_Applied()
    {
        var settings = Berlin("monday", "09:00", "12:00", slotMinutes: 45, bufferMinutes: 15) with
        {
            MinimumNoticeMinutes = 60,
            HorizonDays = 13,
            ClosedDates = ["2027-01-11"],
        };
        var now = Utc(2027, 1, 4, 8, 30); // Monday 09:30 in Berlin

        var slots = SlotCalendar.Slots(settings, now, now.AddDays(30), now);

        // 4 Jan: 09:00 and 10:00 are within the notice; 11:00 is the first. 11 Jan is closed. 18 Jan is past the horizon.
        Assert.Equal([Utc(2027, 1, 4, 10)], slots.Select(s => s.Start));
        Assert.Equal(TimeSpan.FromMinutes(45), slots[0].End - slots[0].Start);
    }

    [Fact]
    public void Slots_WithoutLimits_ListsEverySlotOfTheRange()
    {
        var settings = Berlin("monday", "09:00", "11:00") with { MinimumNoticeMinutes = 60 * 24 * 365, HorizonDays = 1 };

        var slots = SlotCalendar.Slots(settings, Utc(2027, 1, 4, 0), Utc(2027, 1, 5, 0), Now, applyLimits: false);

        Assert.Equal(2, slots.Count);
    }

    [Fact]
    public void Validate_BadSettings_ErrorsPerField()
    {
        var settings = new BookingSettings(
            "Mars/Olympus",
            new Dictionary<string, IReadOnlyList<TimeRange>> { ["funday"] = [], ["monday"] = [new TimeRange("10:00", "09:00")] },
            SlotMinutes: 0, Capacity: 0, ClosedDates: ["tomorrow"]);

        var errors = settings.Validate("booking");

        Assert.Equal(
            ["booking.capacity", "booking.closed_dates", "booking.slot_minutes", "booking.time_zone", "booking.weekly_hours.funday", "booking.weekly_hours.monday"],
            errors.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Validate_GoodSettings_NoErrors()
    {
        Assert.Empty(Berlin("friday", "08:30", "17:00").Validate("booking"));
    }
}
