using System.Text.Json;
using System.Text.RegularExpressions;
using Parley.Data.Entities;
using Parley.Engine.Escalation;
using Parley.Engine.Guardrails;

namespace Parley.Server.Features.Bots;

/// <summary>Checks bot settings and applies them to a bot; collects every error so the caller can fix them at once.</summary>
internal sealed partial class BotValidation
{
    public const string DefaultFallbackText = "Sorry, I can't answer that yet. A member of our team will get back to you.";
    private static readonly string[] Providers = ["builtin", "openai", "anthropic"];
    private static readonly string[] Positions = ["left", "right"];

    public Dictionary<string, string[]> Errors { get; } = [];

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

    public void ApplyModel(BotModelSettings target, BotModel? model)
    {
        if (model is null)
        {
            return;
        }
        if (model.Provider is not null)
        {
            if (!Providers.Contains(model.Provider))
            {
                Errors["model.provider"] = [$"model.provider must be one of {string.Join(", ", Providers)}."];
            }
            target.Provider = model.Provider;
        }
        if (model.Name is not null)
        {
            target.Name = model.Name.Length == 0 ? null : Text("model.name", model.Name, 200);
        }
        if (model.Temperature is { } temperature)
        {
            if (temperature is < 0 or > 2)
            {
                Errors["model.temperature"] = ["model.temperature must be between 0 and 2."];
            }
            target.Temperature = temperature;
        }
        if (model.MaxTokens is { } maxTokens)
        {
            if (maxTokens is < 1 or > 32_000)
            {
                Errors["model.max_tokens"] = ["model.max_tokens must be between 1 and 32000."];
            }
            target.MaxTokens = maxTokens;
        }
    }

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
