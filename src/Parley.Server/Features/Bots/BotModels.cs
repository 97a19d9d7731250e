using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using Parley.Data.Entities;

namespace Parley.Server.Features.Bots;

/// <summary>
/// Which model answers: <c>provider</c> is <c>builtin</c> (the embedded answerer, the default) or the id of a model
/// provider connection (<c>mp_…</c>, see /v1/model-providers); <c>name</c> the model (else the connection's default);
/// <c>fallback_provider</c> an optional second connection tried when the first fails (an empty string clears it).
/// </summary>
public sealed record BotModel(
    string? Provider = null, string? Name = null, double? Temperature = null, int? MaxTokens = null, string? FallbackProvider = null);

/// <summary>How the widget looks for this bot.</summary>
public sealed record BotThemeDto(
    string? PrimaryColor = null, string? Position = null, string? LauncherText = null, string? AvatarUrl = null, string? Title = null)
{
    public static BotThemeDto From(BotTheme theme) =>
        new(theme.PrimaryColor, theme.Position, theme.LauncherText, theme.AvatarUrl, theme.Title);
}

/// <summary>
/// Create a bot. Only <c>name</c> is required. <c>template</c> (<c>faq_lead_capture</c>, <c>appointment_booking</c>
/// or <c>qualify_handoff</c>) gives the bot that flow, saved as its draft and published as version 1.
/// </summary>
public sealed record CreateBotRequest(
    [property: Required] string? Name = null,
    string? Instructions = null,
    string? Greeting = null,
    string? FallbackText = null,
    BotModel? Model = null,
    BotThemeDto? Theme = null,
    JsonElement? Guardrails = null,
    JsonElement? Escalation = null,
    JsonElement? BusinessHours = null,
    JsonElement? Booking = null,
    string? Template = null);

/// <summary>Change a bot: fields left out (or null) stay as they are; an empty string clears an optional text.</summary>
public sealed record UpdateBotRequest(
    string? Name = null,
    string? Instructions = null,
    string? Greeting = null,
    string? FallbackText = null,
    BotModel? Model = null,
    BotThemeDto? Theme = null,
    JsonElement? Guardrails = null,
    JsonElement? Escalation = null,
    JsonElement? BusinessHours = null,
    JsonElement? Booking = null);

public sealed record BotResponse(
    string Id,
    string Name,
    string? Instructions,
    string? Greeting,
    string FallbackText,
    BotModel Model,
    BotThemeDto Theme,
    JsonElement? Guardrails,
    JsonElement? Escalation,
    JsonElement? BusinessHours,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    JsonElement? Booking = null)
{
    public static BotResponse From(Bot bot) => new(
        bot.Id, bot.Name, bot.Instructions, bot.Greeting, bot.FallbackText,
        new BotModel(bot.Model.Provider, bot.Model.Name, bot.Model.Temperature, bot.Model.MaxTokens, bot.Model.FallbackProvider),
        BotThemeDto.From(bot.Theme),
        Parse(bot.GuardrailsJson), Parse(bot.EscalationJson), Parse(bot.BusinessHoursJson),
        bot.CreatedAt, bot.UpdatedAt, Parse(bot.BookingJson));

    private static JsonElement? Parse(string? json)
    {
        if (json is null)
        {
            return null;
        }
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}

/// <summary>The answer to a DELETE.</summary>
public sealed record DeletedResponse(string Id, bool Deleted);
