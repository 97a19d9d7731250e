using Parley.Engine.Contacts;

namespace Parley.Server.Features.Leads;

/// <summary>Checks and normalises lead fields: trimmed, bounded, emails with an @, phones in E.164.</summary>
public static class LeadFieldRules
{
    public const int MaxCustomFields = 50;

    /// <summary>The fields cleaned up; empty strings become null. Throws <see cref="LeadInputException"/> on bad input.</summary>
    public static LeadFields Normalize(LeadFields fields, string? defaultRegion, string prefix = "fields")
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var name = Text(errors, $"{prefix}.name", fields.Name, 200);
        var email = Text(errors, $"{prefix}.email", fields.Email, 320);
        if (email is not null && (email.IndexOf('@', StringComparison.Ordinal) is <= 0 || email.EndsWith('@') || email.Any(char.IsWhiteSpace)))
        {
            errors[$"{prefix}.email"] = [$"{prefix}.email must be an email address."];
        }
        var phone = Text(errors, $"{prefix}.phone", fields.Phone, 40);
        if (phone is not null)
        {
            phone = ToE164(phone, defaultRegion);
            if (phone is null)
            {
                errors[$"{prefix}.phone"] = [$"{prefix}.phone must be a phone number, with its country code (+49 30 1234567) unless a default region is configured."];
            }
        }
        var company = Text(errors, $"{prefix}.company", fields.Company, 200);
        var custom = fields.Custom?.Where(p => !string.IsNullOrWhiteSpace(p.Value)).ToDictionary(p => p.Key, p => p.Value.Trim(), StringComparer.Ordinal);
        if (custom is not null && (custom.Count > MaxCustomFields || custom.Any(p => p.Key.Length is 0 or > 100 || p.Value.Length > 1000)))
        {
            errors[$"{prefix}.custom"] = [$"{prefix}.custom holds at most {MaxCustomFields} entries; keys of 1 to 100 and values up to 1000 characters."];
        }
        if (errors.Count > 0)
        {
            throw new LeadInputException(errors);
        }
        return new LeadFields(name, email, phone, company, custom);
    }

    /// <summary>The number in E.164 (<c>+49301234567</c>), or null when it is not a possible phone number.</summary>
    public static string? ToE164(string phone, string? defaultRegion) => E164.Normalize(phone, defaultRegion);

    private static string? Text(Dictionary<string, string[]> errors, string field, string? value, int max)
    {
        var trimmed = value?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            return null;
        }
        if (trimmed.Length > max)
        {
            errors[field] = [$"{field} may be at most {max} characters."];
        }
        return trimmed;
    }
}
