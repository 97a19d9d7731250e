using System.Text.Json;
using Parley.Engine.Escalation;

namespace Parley.Engine.Tests.Escalation;

public sealed class BusinessHoursTests
{
    private const string Weekdays = """
        {"time_zone": "Europe/Berlin", "weekly": {"mon": ["09:00-17:00"], "tue": ["09:00-17:00"], "wed": ["09:00-17:00"],
         "thu": ["09:00-17:00"], "fri": ["09:00-17:00"]}}
        """;

    private static DateTimeOffset Utc(int month, int day, int hour, int minute = 0) => new(2026, month, day, hour, minute, 0, TimeSpan.Zero);

    [Theory]
    // Friday 27 March 2026, Berlin on winter time (UTC+1).
    [InlineData(3, 27, 7, 59, false)]
    [InlineData(3, 27, 8, 0, true)]
    [InlineData(3, 27, 15, 59, true)]
    [InlineData(3, 27, 16, 0, false)]
    // Sunday 29 March, the night clocks go forward: closed all day.
    [InlineData(3, 29, 0, 30, false)]
    [InlineData(3, 29, 9, 0, false)]
    [InlineData(3, 29, 12, 0, false)]
    // Monday 30 March, Berlin on summer time (UTC+2).
    [InlineData(3, 30, 6, 59, false)]
    [InlineData(3, 30, 7, 0, true)]
    [InlineData(3, 30, 14, 59, true)]
    [InlineData(3, 30, 15, 0, false)]
    public void IsOpen_WeekdaysInBerlin_AcrossTheSpringDstChange(int month, int day, int hour, int minute, bool open) =>
        Assert.Equal(open, BusinessHours.FromJson(Weekdays)!.IsOpen(Utc(month, day, hour, minute)));

    [Fact]
    public void NextOpening_OverTheDstWeekend_MondayNineOClockSummerTime()
    {
        var next = BusinessHours.FromJson(Weekdays)!.NextOpening(Utc(3, 27, 16));
        Assert.Equal(Utc(3, 30, 7), next);
        Assert.Equal(TimeSpan.Zero, next!.Value.Offset);
    }

    [Fact]
    public void NextOpening_AutumnDstChange_MondayNineOClockWinterTime() =>
        // Sunday 25 October 2026 clocks go back: Monday opens at 08:00 UTC.
        Assert.Equal(Utc(10, 26, 8), BusinessHours.FromJson(Weekdays)!.NextOpening(Utc(10, 23, 15)));

    [Fact]
    public void NextOpening_AtTheMomentOfOpening_TheNextOne()
    {
        var hours = BusinessHours.FromJson(Weekdays)!;
        Assert.Equal(Utc(3, 30, 7), hours.NextOpening(Utc(3, 30, 6, 59)));
        Assert.Equal(Utc(3, 31, 7), hours.NextOpening(Utc(3, 30, 7)));
    }

    [Fact]
    public void NextOpening_IntervalsWrittenOutOfOrder_EarliestFirst()
    {
        var hours = BusinessHours.FromJson("""{"time_zone": "Europe/Berlin", "weekly": {"mon": ["13:00-17:00", "09:00-12:00"]}}""")!;
        Assert.Equal(Utc(11, 23, 8), hours.NextOpening(Utc(11, 23, 5)));
        Assert.Equal(Utc(11, 23, 12), hours.NextOpening(Utc(11, 23, 10)));
    }

    [Fact]
    public void NextOpening_LooksTwoWeeksAhead()
    {
        // Open on Mondays only; Monday 23 November after closing.
        const string mondays = """{"time_zone": "Europe/Berlin", "weekly": {"mon": ["09:00-17:00"]}, "closed_dates": ["2026-11-30"%s]}""";
        var twoWeeks = BusinessHours.FromJson(mondays.Replace("%s", ""))!;
        var threeWeeks = BusinessHours.FromJson(mondays.Replace("%s", ", \"2026-12-07\""))!;

        Assert.Equal(Utc(12, 7, 8), twoWeeks.NextOpening(Utc(11, 23, 17)));
        Assert.Null(threeWeeks.NextOpening(Utc(11, 23, 17)));
    }

    [Fact]
    public void NoOpeningHours_NeverOpen()
    {
        var hours = BusinessHours.FromJson("""{"time_zone": "Europe/Berlin"}""")!;
        Assert.False(hours.IsOpen(Utc(11, 23, 10)));
        Assert.Null(hours.NextOpening(Utc(11, 23, 10)));
    }

    [Theory]
    [InlineData("mon", 23)]
    [InlineData("tue", 24)]
    [InlineData("wed", 25)]
    [InlineData("thu", 26)]
    [InlineData("fri", 27)]
    [InlineData("sat", 28)]
    [InlineData("sun", 29)]
    public void IsOpen_EachWeekdayByItsName_OpenOnlyThatDay(string name, int day)
    {
        var (hours, errors) = Read($$$"""{"time_zone": "UTC", "weekly": {"{{{name}}}": ["10:00-11:00"]}}""");
        Assert.Empty(errors);
        for (var d = 23; d <= 29; d++)
        {
            Assert.Equal(d == day, hours!.IsOpen(Utc(11, d, 10, 30)));
        }
    }

    [Fact]
    public void FromJson_NothingSaved_AlwaysOpenIsNull()
    {
        Assert.Null(BusinessHours.FromJson(null));
        Assert.Null(BusinessHours.FromJson(""));
    }

    [Fact]
    public void Read_OldTimezoneSpelling_Accepted()
    {
        var (hours, errors) = Read("""{"timezone": "America/New_York"}""");
        Assert.Empty(errors);
        Assert.Equal("America/New_York", hours!.TimeZone.Id);
    }

    [Theory]
    [InlineData("""{}""", "business_hours.time_zone", "Europe/Berlin")]
    [InlineData("""{"time_zone": "Mars/Olympus"}""", "business_hours.time_zone", "Mars/Olympus")]
    public void Read_MissingOrUnknownTimeZone_ErrorAndNoHours(string json, string path, string mentioned)
    {
        var (hours, errors) = Read(json);
        Assert.Null(hours);
        Assert.Equal([path], errors.Keys);
        Assert.Contains(mentioned, errors[path][0]);
    }

    [Theory]
    [InlineData("""{"time_zone": "UTC", "weekly": {"mon": ["17:00-09:00"]}}""", "business_hours.weekly.mon")]
    [InlineData("""{"time_zone": "UTC", "weekly": {"mon": ["09:00-09:00"]}}""", "business_hours.weekly.mon")]
    [InlineData("""{"time_zone": "UTC", "weekly": {"sun": ["9-17"]}}""", "business_hours.weekly.sun")]
    [InlineData("""{"time_zone": "UTC", "weekly": {"sat": ["09:00"]}}""", "business_hours.weekly.sat")]
    [InlineData("""{"time_zone": "UTC", "weekly": {"fri": ["09:00-25:00"]}}""", "business_hours.weekly.fri")]
    [InlineData("""{"time_zone": "UTC", "weekly": {"monday": ["09:00-17:00"]}}""", "business_hours.weekly.monday")]
    [InlineData("""{"time_zone": "UTC", "weekly": ["09:00-17:00"]}""", "business_hours.weekly")]
    [InlineData("""{"time_zone": "UTC", "closed_dates": ["25.12.2026"]}""", "business_hours.closed_dates")]
    [InlineData("""{"time_zone": "UTC", "open": true}""", "business_hours.open")]
    public void Read_BadField_ErrorUnderItsPath(string json, string path)
    {
        var (_, errors) = Read(json);
        Assert.Equal([path], errors.Keys);
        Assert.Contains("business_hours", errors[path][0]);
    }

    [Fact]
    public void Read_NotAnObject_Error()
    {
        var (hours, errors) = Read("\"9 to 5\"");
        Assert.Null(hours);
        Assert.Equal(["business_hours"], errors.Keys);
    }

    [Fact]
    public void IsOpen_ClosedDateInTheBotsTimeZone_ClosedThatLocalDay()
    {
        var hours = BusinessHours.FromJson("""{"time_zone": "Pacific/Auckland", "weekly": {"thu": ["00:00-23:59"], "fri": ["00:00-23:59"]}, "closed_dates": ["2026-12-25"]}""")!;
        // 24 December 12:00 UTC is already Friday 25 December 01:00 in Auckland.
        Assert.False(hours.IsOpen(Utc(12, 24, 12)));
        Assert.True(hours.IsOpen(Utc(12, 24, 10)));
    }

    private static (BusinessHours? Hours, Dictionary<string, string[]> Errors) Read(string json)
    {
        using var document = JsonDocument.Parse(json);
        var errors = new Dictionary<string, string[]>();
        return (BusinessHours.Read(document.RootElement, errors), errors);
    }
}
