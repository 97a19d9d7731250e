using System.Text;

namespace Parley.Engine.Turns;

/// <summary>Checks what a visitor sent before anything is stored (capture stage).</summary>
public static class TurnInputValidator
{
    /// <summary>The longest message a visitor may send, in characters.</summary>
    public const int MaxTextLength = 4000;

    /// <summary>
    /// The message text to store: the typed text or the chosen quick reply, trimmed, with control characters other
    /// than line breaks and tabs removed. Throws <see cref="TurnRejectedException"/> with per-field errors otherwise.
    /// </summary>
    public static string Validate(TurnInput input)
    {
        var hasText = input.Text is not null;
        var hasChoice = input.Choice is not null;
        if (hasText == hasChoice)
        {
            throw Invalid("text", "Send either \"text\" or \"choice\", not both and not neither.");
        }

        var field = hasText ? "text" : "choice";
        var raw = (hasText ? input.Text : input.Choice)!;
        if (raw.Length > MaxTextLength)
        {
            throw Invalid(field, $"A message may be at most {MaxTextLength} characters; this one has {raw.Length}.");
        }
        if (!IsWellFormedUtf16(raw))
        {
            throw Invalid(field, "The text contains an unpaired surrogate: it is not valid Unicode.");
        }

        var cleaned = StripControlCharacters(raw).Trim();
        if (cleaned.Length == 0)
        {
            throw Invalid(field, "The message is empty.");
        }
        return cleaned;
    }

    private static TurnRejectedException Invalid(string field, string message) =>
        new(TurnRejection.InvalidRequest, message, new Dictionary<string, string[]> { [field] = [message] });

    private static bool IsWellFormedUtf16(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]))
            {
                if (i + 1 >= text.Length || !char.IsLowSurrogate(text[i + 1]))
                {
                    return false;
                }
                i++;
            }
            else if (char.IsLowSurrogate(text[i]))
            {
                return false;
            }
        }
        return true;
    }

    private static string StripControlCharacters(string text)
    {
        if (!text.AsSpan().ContainsAnyInRange('\0', '\u001f') && !text.Contains('\u007f', StringComparison.Ordinal))
        {
            return text;
        }
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (c is '\n' or '\t' || !char.IsControl(c))
            {
                builder.Append(c);
            }
        }
        return builder.ToString();
    }
}
