using System.Text.Json;
using Parley.Engine.Bookings;
using Parley.Server.Infrastructure.Http;

namespace Parley.Server.Features.Bookings;

/// <summary>Reads, checks and writes the <c>booking</c> object of a bot.</summary>
public static class BookingSettingsJson
{
    /// <summary>The stored settings, or null when the bot takes no bookings.</summary>
    public static BookingSettings? Read(string? json) =>
        json is null ? null : ToSettings(JsonSerializer.Deserialize<BookingSettingsDto>(json, ApiJson.Options)!);

    /// <summary>
    /// The JSON to store for <paramref name="value"/>: unchanged when left out, null for <c>false</c> (no bookings),
    /// else the checked settings with defaults filled in. Problems go to <paramref name="errors"/>.
    /// </summary>
    public static string? Apply(IDictionary<string, string[]> errors, JsonElement? value, string? current)
    {
        if (value is not { } element || element.ValueKind == JsonValueKind.Null)
        {
            return current;
        }
        if (element.ValueKind == JsonValueKind.False)
        {
            return null;
        }
        if (element.ValueKind != JsonValueKind.Object)
        {
            errors["booking"] = ["booking must be an object with time_zone and weekly_hours, or false to stop taking bookings."];
            return current;
        }
        BookingSettingsDto? dto;
        try
        {
            dto = element.Deserialize<BookingSettingsDto>(ApiJson.Options);
        }
        catch (JsonException ex)
        {
            errors["booking"] = [$"booking is not valid: {ex.Message}"];
            return current;
        }
        var settings = ToSettings(dto!);
        var problems = settings.Validate("booking");
        foreach (var (field, messages) in problems)
        {
            errors[field] = messages;
        }
        return problems.Count > 0 ? current : JsonSerializer.Serialize(ToDto(settings), ApiJson.Options);
    }

    public static BookingSettingsDto ToDto(BookingSettings s) => new(
        s.TimeZone,
        s.WeeklyHours.ToDictionary(d => d.Key, d => d.Value.Select(r => new TimeRangeDto(r.Start, r.End)).ToList()),
        s.SlotMinutes, s.BufferMinutes, s.MinimumNoticeMinutes, s.HorizonDays, [.. s.ClosedDates ?? []], s.Capacity);

    private static BookingSettings ToSettings(BookingSettingsDto dto) => new(
        dto.TimeZone ?? "",
        (dto.WeeklyHours ?? []).ToDictionary(
            d => d.Key, d => (IReadOnlyList<TimeRange>)[.. (d.Value ?? []).Select(r => new TimeRange(r?.Start ?? "", r?.End ?? ""))], StringComparer.Ordinal),
        dto.SlotMinutes ?? 30, dto.BufferMinutes ?? 0, dto.MinimumNoticeMinutes ?? 60, dto.HorizonDays ?? 60, dto.ClosedDates ?? [], dto.Capacity ?? 1);
}
