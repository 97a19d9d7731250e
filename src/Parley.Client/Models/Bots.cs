using System.Text.Json;

namespace Parley.Client.Models;

public sealed record BotModel(
    string? Provider = null, string? Name = null, double? Temperature = null, int? MaxTokens = null, string? FallbackProvider = null);

public sealed record BotThemeDto(
    string? PrimaryColor = null, string? Position = null, string? LauncherText = null, string? AvatarUrl = null, string? Title = null);

public sealed record CreateBotRequest(
    string? Name = null, string? Instructions = null, string? Greeting = null, string? FallbackText = null, BotModel? Model = null,
    BotThemeDto? Theme = null, JsonElement? Guardrails = null, JsonElement? Escalation = null, JsonElement? BusinessHours = null,
    JsonElement? Booking = null, string? Template = null);

public sealed record UpdateBotRequest(
    string? Name = null, string? Instructions = null, string? Greeting = null, string? FallbackText = null, BotModel? Model = null,
    BotThemeDto? Theme = null, JsonElement? Guardrails = null, JsonElement? Escalation = null, JsonElement? BusinessHours = null,
    JsonElement? Booking = null);

public sealed record BotResponse(
    string Id, string Name, string? Instructions, string? Greeting, string FallbackText, BotModel Model, BotThemeDto Theme,
    JsonElement? Guardrails, JsonElement? Escalation, JsonElement? BusinessHours, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt,
    JsonElement? Booking = null);

public sealed record DeletedResponse(string Id, bool Deleted);

public enum ApiKeyKind
{
    Secret,
    Publishable,
}

public sealed record CreateApiKeyRequest(
    string? Name = null, ApiKeyKind? Kind = null, List<string>? Scopes = null, List<string>? AllowedOrigins = null, string? BotId = null);

public sealed record ApiKeyResponse(
    string Id, ApiKeyKind Kind, string Name, string Prefix, IReadOnlyList<string> Scopes, IReadOnlyList<string> AllowedOrigins,
    string? BotId, string? PublishableKey, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt,
    string? Secret = null);
