using System.Text.Json;

namespace Parley.Engine.Guardrails;

/// <summary>
/// Reads one settings object (a bot's <c>guardrails</c>, <c>escalation</c> or <c>business_hours</c>) field by field,
/// collecting an error per bad field under its dotted path, so an owner fixes every mistake in one go.
/// </summary>
public sealed class SettingsReader(string root, Dictionary<string, string[]> errors)
{
    public Dictionary<string, string[]> Errors { get; } = errors;

    public string Root { get; } = root;

    public void Error(string path, string message) => Errors[$"{Root}.{path}"] = [message];

    public JsonElement? Child(JsonElement parent, string name)
    {
        if (parent.ValueKind != JsonValueKind.Object || !parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (value.ValueKind != JsonValueKind.Object)
        {
            Error(name, $"{Root}.{name} must be an object.");
            return null;
        }
        return value;
    }

    public bool? Bool(JsonElement parent, string path, string name)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            Error(Join(path, name), $"{Root}.{Join(path, name)} must be true or false.");
            return null;
        }
        return value.GetBoolean();
    }

    public string? Text(JsonElement parent, string path, string name, int max)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (value.ValueKind != JsonValueKind.String)
        {
            Error(Join(path, name), $"{Root}.{Join(path, name)} must be a string.");
            return null;
        }
        var text = value.GetString()!.Trim();
        if (text.Length > max)
        {
            Error(Join(path, name), $"{Root}.{Join(path, name)} may be at most {max} characters.");
            return null;
        }
        return text.Length == 0 ? null : text;
    }

    public double? Number(JsonElement parent, string path, string name, double min, double max)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (value.ValueKind != JsonValueKind.Number || value.GetDouble() < min || value.GetDouble() > max)
        {
            Error(Join(path, name), $"{Root}.{Join(path, name)} must be a number from {min} to {max}.");
            return null;
        }
        return value.GetDouble();
    }

    public int? WholeNumber(JsonElement parent, string path, string name, int min, int max)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var n) || n < min || n > max)
        {
            Error(Join(path, name), $"{Root}.{Join(path, name)} must be a whole number from {min} to {max}.");
            return null;
        }
        return n;
    }

    public IReadOnlyList<string> List(JsonElement parent, string path, string name, int maxItems, int maxLength, IReadOnlyCollection<string>? allowed = null)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return [];
        }
        var field = Join(path, name);
        if (value.ValueKind != JsonValueKind.Array)
        {
            Error(field, $"{Root}.{field} must be an array of strings.");
            return [];
        }
        var items = new List<string>();
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(item.GetString()) || item.GetString()!.Length > maxLength)
            {
                Error(field, $"{Root}.{field} must hold non-empty strings of at most {maxLength} characters.");
                return [];
            }
            var text = item.GetString()!.Trim();
            if (allowed is not null && !allowed.Contains(text))
            {
                Error(field, $"{Root}.{field} may only hold {string.Join(", ", allowed)}; '{text}' is not one of them.");
                return [];
            }
            items.Add(text);
        }
        if (items.Count > maxItems)
        {
            Error(field, $"{Root}.{field} may hold at most {maxItems} items.");
            return [];
        }
        return items;
    }

    /// <summary>Reports members this version does not know, so a typo ("blocked_term") is not silently ignored.</summary>
    public void OnlyKnown(JsonElement element, string path, params string[] known)
    {
        foreach (var property in element.EnumerateObject())
        {
            if (!known.Contains(property.Name))
            {
                Error(Join(path, property.Name), $"Unknown setting; {Root}{(path.Length > 0 ? "." + path : "")} takes {string.Join(", ", known)}.");
            }
        }
    }

    private static string Join(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";
}
