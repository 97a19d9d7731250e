using System.Web;
using Parley.Data.Entities;
using Parley.Engine.Turns;
using Parley.Server.Infrastructure.Errors;

namespace Parley.Server.Features.Conversations;

/// <summary>Checks visitor metadata and applies it to a conversation; UTM parameters are also read from the page URL.</summary>
public static class MetadataValidation
{
    private const int MaxUrlLength = 2048;
    private const int MaxUtmEntries = 10;
    private const int MaxUtmValueLength = 200;

    public static void Apply(Conversation conversation, ConversationMetadataInput? input, string? fallbackUserAgent = null)
    {
        var errors = new Dictionary<string, string[]>();
        if (input?.PageUrl is { } pageUrl)
        {
            conversation.PageUrl = Url("metadata.page_url", pageUrl, errors);
        }
        if (input?.Referrer is { } referrer)
        {
            conversation.Referrer = referrer.Length == 0 ? null : Url("metadata.referrer", referrer, errors);
        }
        if (input?.Locale is { } locale)
        {
            if (locale.Length > 35 || locale.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_')))
            {
                errors["metadata.locale"] = ["metadata.locale must be a language tag such as en-GB."];
            }
            else
            {
                conversation.Locale = locale;
            }
        }
        var userAgent = input?.UserAgent ?? fallbackUserAgent;
        if (userAgent is not null)
        {
            conversation.UserAgent = userAgent.Length > 512 ? userAgent[..512] : userAgent;
            conversation.Device = DeviceClassifier.Classify(conversation.UserAgent);
        }

        var utm = input?.Utm ?? UtmFromUrl(conversation.PageUrl);
        if (utm is { Count: > 0 })
        {
            if (utm.Count > MaxUtmEntries || utm.Any(p => p.Key.Length > 50 || p.Value.Length > MaxUtmValueLength))
            {
                errors["metadata.utm"] = [$"metadata.utm holds at most {MaxUtmEntries} parameters of at most {MaxUtmValueLength} characters."];
            }
            else
            {
                conversation.Utm = utm.ToDictionary(p => p.Key.StartsWith("utm_", StringComparison.Ordinal) ? p.Key : "utm_" + p.Key, p => p.Value);
            }
        }
        if (errors.Count > 0)
        {
            throw ApiException.Invalid(errors);
        }
    }

    private static string? Url(string field, string value, Dictionary<string, string[]> errors)
    {
        if (value.Length > MaxUrlLength || !Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            errors[field] = [$"{field} must be an absolute http(s) URL of at most {MaxUrlLength} characters."];
            return null;
        }
        return value;
    }

    private static Dictionary<string, string>? UtmFromUrl(string? pageUrl)
    {
        if (pageUrl is null || !Uri.TryCreate(pageUrl, UriKind.Absolute, out var uri) || uri.Query.Length < 2)
        {
            return null;
        }
        var query = HttpUtility.ParseQueryString(uri.Query);
        var utm = new Dictionary<string, string>();
        foreach (var key in query.AllKeys)
        {
            if (key is not null && key.StartsWith("utm_", StringComparison.OrdinalIgnoreCase) && query[key] is { } value)
            {
                utm[key.ToLowerInvariant()] = value;
            }
        }
        return utm.Count > 0 ? utm : null;
    }
}
