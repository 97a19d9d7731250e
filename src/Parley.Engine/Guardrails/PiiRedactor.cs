using System.Text;
using System.Text.RegularExpressions;

namespace Parley.Engine.Guardrails;

/// <summary>The kinds of personal data <see cref="PiiRedactor"/> recognises, as named in settings and flags.</summary>
public static class PiiKind
{
    public const string Card = "card";
    public const string NationalId = "national_id";
    public const string Iban = "iban";
    public const string Email = "email";
    public const string Phone = "phone";

    public static IReadOnlyList<string> All { get; } = [Card, NationalId, Iban, Email, Phone];
}

/// <summary>Text with personal data replaced by placeholders such as <c>[card]</c>, and the kinds that were found.</summary>
public sealed record RedactionResult(string Text, IReadOnlyList<string> Kinds);

/// <summary>
/// Finds personal data in free text and replaces it with a placeholder naming its kind. Candidates are checked, not
/// only matched: card numbers must pass the Luhn check, IBANs their ISO 7064 mod-97 checksum, US social security
/// numbers the ranges the SSA never issues. Emails and phone numbers are recognised by shape.
/// </summary>
public static partial class PiiRedactor
{
    public static RedactionResult Redact(string text, IReadOnlyCollection<string> kinds)
    {
        var found = new List<string>();
        var result = text;
        // Order matters: an IBAN contains long digit runs and a card number could pass for a phone number.
        if (kinds.Contains(PiiKind.Iban))
        {
            result = Replace(result, IbanPattern(), PiiKind.Iban, m => IsValidIban(m.Value), found);
        }
        if (kinds.Contains(PiiKind.Card))
        {
            result = Replace(result, CardPattern(), PiiKind.Card, m => IsLuhnValid(Digits(m.Value)), found);
        }
        if (kinds.Contains(PiiKind.NationalId))
        {
            result = Replace(result, SsnPattern(), PiiKind.NationalId, m => IsPlausibleSsn(m), found);
        }
        if (kinds.Contains(PiiKind.Email))
        {
            result = Replace(result, EmailPattern(), PiiKind.Email, _ => true, found);
        }
        if (kinds.Contains(PiiKind.Phone))
        {
            result = Replace(result, PhonePattern(), PiiKind.Phone, m => Digits(m.Value).Length is >= 9 and <= 15 || (m.Value.StartsWith('+') && Digits(m.Value).Length >= 7), found);
        }
        return new RedactionResult(result, found);
    }

    /// <summary>The Luhn check used by payment card numbers (13 to 19 digits).</summary>
    public static bool IsLuhnValid(string digits)
    {
        if (digits.Length is < 13 or > 19)
        {
            return false;
        }
        var sum = 0;
        var doubleIt = false;
        for (var i = digits.Length - 1; i >= 0; i--)
        {
            var d = digits[i] - '0';
            if (doubleIt)
            {
                d *= 2;
                if (d > 9)
                {
                    d -= 9;
                }
            }
            sum += d;
            doubleIt = !doubleIt;
        }
        return sum % 10 == 0;
    }

    /// <summary>The IBAN checksum (ISO 13616): move the first four characters to the end, letters to numbers, mod 97 = 1.</summary>
    public static bool IsValidIban(string candidate)
    {
        var iban = new string([.. candidate.Where(c => c != ' ')]).ToUpperInvariant();
        if (iban.Length is < 15 or > 34)
        {
            return false;
        }
        var rearranged = iban[4..] + iban[..4];
        var remainder = 0;
        foreach (var c in rearranged)
        {
            var value = char.IsDigit(c) ? c - '0' : char.IsAsciiLetterUpper(c) ? c - 'A' + 10 : -1;
            if (value < 0)
            {
                return false;
            }
            remainder = value < 10 ? (remainder * 10 + value) % 97 : (remainder * 100 + value) % 97;
        }
        return remainder == 1;
    }

    private static bool IsPlausibleSsn(Match m)
    {
        var area = int.Parse(m.Groups["area"].ValueSpan, provider: System.Globalization.CultureInfo.InvariantCulture);
        return area is not (0 or 666) && area < 900 && m.Groups["group"].Value != "00" && m.Groups["serial"].Value != "0000";
    }

    private static string Replace(string text, Regex pattern, string kind, Func<Match, bool> accept, List<string> found) =>
        pattern.Replace(text, m =>
        {
            if (!accept(m))
            {
                return m.Value;
            }
            if (!found.Contains(kind))
            {
                found.Add(kind);
            }
            return $"[{kind}]";
        });

    private static string Digits(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (char.IsAsciiDigit(c))
            {
                builder.Append(c);
            }
        }
        return builder.ToString();
    }

    [GeneratedRegex(@"\b[A-Za-z]{2}\d{2}(?: ?[A-Za-z0-9]{4}){2,7}(?: ?[A-Za-z0-9]{1,4})?\b")]
    private static partial Regex IbanPattern();

    [GeneratedRegex(@"(?<!\d)\d(?:[ -]?\d){12,18}(?!\d)")]
    private static partial Regex CardPattern();

    [GeneratedRegex(@"(?<!\d)(?<area>\d{3})-(?<group>\d{2})-(?<serial>\d{4})(?!\d)")]
    private static partial Regex SsnPattern();

    [GeneratedRegex(@"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")]
    private static partial Regex EmailPattern();

    [GeneratedRegex(@"(?<![\w+])\+?\(?\d{1,4}\)?(?:[ .-]?\(?\d{1,4}\)?){2,6}(?![\w])")]
    private static partial Regex PhonePattern();
}
