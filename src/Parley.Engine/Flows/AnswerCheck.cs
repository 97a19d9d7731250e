using System.Globalization;
using System.Net.Mail;
using Parley.Engine.Contacts;

namespace Parley.Engine.Flows;

/// <summary>The checked, normalised form of a visitor's answer to an ask block, or why it was refused.</summary>
public sealed record AnswerCheckResult(string? Value, string? Problem)
{
    public bool IsValid => Value is not null;
}

/// <summary>
/// Checks and normalises answers to an ask block: text, email, phone (to E.164 with libphonenumber), number within a
/// range, date (to ISO <c>yyyy-MM-dd</c>) and http(s) URL.
/// </summary>
public static class AnswerCheck
{
    private static readonly string[] DateFormats =
        ["yyyy-MM-dd", "yyyy/MM/dd", "d/M/yyyy", "d.M.yyyy", "d-M-yyyy", "d MMMM yyyy", "d MMM yyyy", "MMMM d yyyy", "MMMM d, yyyy", "MMM d, yyyy"];

    public static AnswerCheckResult Check(string input, string kind, double? min = null, double? max = null, string? defaultRegion = null)
    {
        var text = input.Trim();
        switch (kind)
        {
            case "email":
                return IsEmail(text)
                    ? Ok(text[..(text.LastIndexOf('@') + 1)] + text[(text.LastIndexOf('@') + 1)..].ToLowerInvariant())
                    : Fail("That does not look like an email address (like name@example.com).");
            case "phone":
                return Phone(text, defaultRegion);
            case "number":
                var normalised = text.Replace(" ", "", StringComparison.Ordinal);
                if (!double.TryParse(normalised, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
                    && !double.TryParse(normalised.Replace(',', '.'), NumberStyles.Float, CultureInfo.InvariantCulture, out number))
                {
                    return Fail("Please answer with a number.");
                }
                if ((min is { } lo && number < lo) || (max is { } hi && number > hi))
                {
                    return Fail(min is not null && max is not null ? $"Please give a number from {Format(min.Value)} to {Format(max.Value)}."
                        : min is not null ? $"Please give a number of at least {Format(min.Value)}." : $"Please give a number of at most {Format(max!.Value)}.");
                }
                return Ok(Format(number));
            case "date":
                return DateOnly.TryParseExact(text, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces, out var date)
                    ? Ok(date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))
                    : Fail("Please give a date, like 2026-12-24.");
            case "url":
                var candidate = text.Contains("://", StringComparison.Ordinal) ? text : "https://" + text;
                return Uri.TryCreate(candidate, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.Host.Contains('.', StringComparison.Ordinal)
                    ? Ok(uri.AbsoluteUri)
                    : Fail("Please give a web address, like https://example.com.");
            default:
                return text.Length is > 0 and <= 1000 ? Ok(text) : Fail("Please type an answer of at most 1000 characters.");
        }
    }

    private static AnswerCheckResult Phone(string text, string? defaultRegion)
    {
        if (E164.Normalize(text, defaultRegion, requireValid: true) is { } e164)
        {
            return Ok(e164);
        }
        return Fail(string.IsNullOrEmpty(defaultRegion)
            ? "That does not look like a phone number; please include the country code, like +44 20 7946 0958."
            : "That does not look like a phone number.");
    }

    private static bool IsEmail(string text)
    {
        if (text.Length > 320 || text.Contains(' ', StringComparison.Ordinal) || !MailAddress.TryCreate(text, out var address))
        {
            return false;
        }
        return address.Address == text && address.Host.Contains('.', StringComparison.Ordinal) && !address.Host.EndsWith('.');
    }

    private static string Format(double value) => value.ToString("0.##########", CultureInfo.InvariantCulture);

    private static AnswerCheckResult Ok(string value) => new(value, null);

    private static AnswerCheckResult Fail(string problem) => new(null, problem);
}
