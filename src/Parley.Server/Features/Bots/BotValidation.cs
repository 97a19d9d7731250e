using System.Text.Json;
using System.Text.RegularExpressions;
using Parley.Data.Entities;
using Parley.Engine.Escalation;
using Parley.Engine.Guardrails;
using Parley.Engine.Turns;
using Parley.Server.Infrastructure.Errors;

namespace Parley.Server.Features.Bots;

/// <summary>Checks bot settings and applies them to a bot; collects every error so the caller can fix them at once.</summary>
internal sealed partial class BotValidation
{
    public const string DefaultFallbackText = "Sorry, I can't answer that yet. A member of our team will get back to you.";
    private static readonly string[] Positions = ["left", "right"];

    public Dictionary<string, string[]> Errors { get; } = [];

    /// <summary>Well-formed values that name something that does not exist (answered with 422).</summary>
    public Dictionary<string, string[]> UnknownReferences { get; } = [];

    /// <summary>Throws the problem for the errors found: 400 for malformed values, else 422 for unknown references.</summary>
    public void ThrowIfInvalid()
    {
        if (Errors.Count > 0)
        {
            // Malformed input wins, but the answer still lists every field that needs fixing.
            throw ApiException.Invalid(Errors.Concat(UnknownReferences).ToDictionary());
        }
        if (UnknownReferences.Count > 0)
        {
            throw new ApiException(StatusCodes.Status422UnprocessableEntity, ErrorCodes.InvalidRequest,
                UnknownReferences.First().Value[0], UnknownReferences);
        }
    }

    public string? Text(string field, string? value, int max, bool required = false)
    {
        if (value is null)
        {
            if (required)
            {
                Errors[field] = [$"{field} is required."];
            }
            return null;
        }
        var trimmed = value.Trim();
        if (required && trimmed.Length == 0)
        {
            Errors[field] = [$"{field} must not be empty."];
        }
        else if (trimmed.Length > max)
        {
            Errors[field] = [$"{field} may be at most {max} characters; it has {trimmed.Length}."];
        }
        return trimmed;
    }

    /// <summary>
    /// Applies model settings. <paramref name="providerExists"/> tells whether a model provider id exists in the
    /// workspace; an unknown one is reported as <see cref="UnknownReferences"/> (422), not as malformed input.
    /// </summary>
    public async Task ApplyModelAsync(BotModelSettings target, BotModel? model, Func<string, Task<bool>> providerExists)
    {
        if (model is null)
        {
            return;
        }
        if (model.Provider is not null)
        {
            if (model.Provider != BotModelProfile.Builtin && !await providerExists(model.Provider))
            {
                UnknownReferences["model.provider"] =
                    [$"model.provider must be 'builtin' or the id of a model provider of this workspace; '{model.Provider}' is neither."];
            }
            target.Provider = model.Provider;
        }
        if (model.FallbackProvider is not null)
        {
            if (model.FallbackProvider.Length > 0 && !await providerExists(model.FallbackProvider))
            {
                UnknownReferences["model.fallback_provider"] =
                    [$"model.fallback_provider must be the id of a model provider of this workspace; '{model.FallbackProvider}' is not."];
            }
            target.FallbackProvider = Blank(model.FallbackProvider);
        }
        if (model.Name is not null)
        {
            target.Name = model.Name.Length == 0 ? null : Text("model.name", model.Name, 200);
        }
        if (model.Temperature is { } temperature)
        {
            if (!TemperatureAllowed(temperature))
            {
                Errors["model.temperature"] = ["model.temperature must be between 0 and 2."];
            }
            target.Temperature = temperature;
        }
        if (model.MaxTokens is { } maxTokens)
        {
            if (!MaxTokensAllowed(maxTokens))
            {
                Errors["model.max_tokens"] = ["model.max_tokens must be between 1 and 32000."];
            }
            target.MaxTokens = maxTokens;
        }
    }

    /// <summary>The temperatures a bot's model settings accept.</summary>
    public static bool TemperatureAllowed(double temperature) => temperature is >= 0 and <= 2;

    /// <summary>The reply lengths a bot's model settings accept.</summary>
    public static bool MaxTokensAllowed(int maxTokens) => maxTokens is >= 1 and <= 32_000;

    public void ApplyTheme(BotTheme target, BotThemeDto? theme)
    {
        if (theme is null)
        {
            return;
        }
        if (theme.PrimaryColor is not null)
        {
            if (theme.PrimaryColor.Length > 0 && !HexColor().IsMatch(theme.PrimaryColor))
            {
                Errors["theme.primary_color"] = ["theme.primary_color must be a hex colour such as #4F46E5."];
            }
            target.PrimaryColor = Blank(theme.PrimaryColor);
        }
        if (theme.Position is not null)
        {
            if (theme.Position.Length > 0 && !Positions.Contains(theme.Position))
            {
                Errors["theme.position"] = ["theme.position must be 'left' or 'right'."];
            }
            target.Position = Blank(theme.Position);
        }
        if (theme.AvatarUrl is not null)
        {
            if (theme.AvatarUrl.Length > 0 && !(Uri.TryCreate(theme.AvatarUrl, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http"))
            {
                Errors["theme.avatar_url"] = ["theme.avatar_url must be an http(s) URL."];
            }
            target.AvatarUrl = Blank(theme.AvatarUrl);
        }
        if (theme.LauncherText is not null)
        {
            target.LauncherText = Blank(Text("theme.launcher_text", theme.LauncherText, 60));
        }
        if (theme.Title is not null)
        {
            target.Title = Blank(Text("theme.title", theme.Title, 100));
        }
    }

    /// <summary>A settings object stored as given; it must be a JSON object (or null to leave it unchanged).</summary>
    public string? JsonObject(string field, JsonElement? value, string? current)
    {
        if (value is not { } element || element.ValueKind == JsonValueKind.Null)
        {
            return current;
        }
        if (element.ValueKind != JsonValueKind.Object)
        {
            Errors[field] = [$"{field} must be a JSON object."];
            return current;
        }
        // Each settings object has a documented shape (docs/guardrails.md, docs/handoff.md); every bad member is named.
        _ = field switch
        {
            "guardrails" => (object?)GuardrailSettings.Read(element, Errors),
            "escalation" => EscalationSettings.Read(element, Errors),
            "business_hours" => BusinessHours.Read(element, Errors),
            _ => null,
        };
        return element.GetRawText();
    }

    private static string? Blank(string? value) => string.IsNullOrEmpty(value) ? null : value;

    [GeneratedRegex("^#[0-9A-Fa-f]{6}$")]
    private static partial Regex HexColor();
}
