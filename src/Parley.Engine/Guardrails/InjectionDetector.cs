using System.Text.RegularExpressions;

namespace Parley.Engine.Guardrails;

/// <summary>
/// Heuristics for prompt-injection attempts in a visitor's message: requests to ignore or override the bot's
/// instructions, to reveal them, or to take on another persona. Matching runs on folded text
/// (<see cref="TextNormalizer.Fold"/>), so case, accents and extra spaces do not hide an attempt. Heuristics, not proof:
/// a hit is flagged and answered with a refusal; the bot's instructions are never repeated either way.
/// </summary>
public static partial class InjectionDetector
{
    public static bool IsAttempt(string text)
    {
        var folded = Spaces().Replace(TextNormalizer.Fold(text), " ");
        return Override().IsMatch(folded) || Reveal().IsMatch(folded) || Persona().IsMatch(folded);
    }

    /// <summary>
    /// Whether a reply quotes the bot's instructions: any run of <paramref name="window"/> characters of the
    /// instructions appearing in the reply. Used on output so that no responder can leak them.
    /// </summary>
    public static bool LeaksInstructions(string reply, string? instructions, int window = 40)
    {
        if (string.IsNullOrWhiteSpace(instructions))
        {
            return false;
        }
        var source = Spaces().Replace(TextNormalizer.Fold(instructions), " ").Trim();
        var target = Spaces().Replace(TextNormalizer.Fold(reply), " ");
        if (source.Length <= window)
        {
            return source.Length >= 20 && target.Contains(source, StringComparison.Ordinal);
        }
        for (var i = 0; i + window <= source.Length; i += window / 2)
        {
            if (target.Contains(source.AsSpan(i, window), StringComparison.Ordinal))
            {
                return true;
            }
        }
        return false;
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();

    [GeneratedRegex(@"\b(ignore|disregard|forget|override|bypass|skip)\b.{0,40}\b(previous|prior|above|earlier|all|your|the|system|initial|original)\b.{0,30}\b(instructions?|prompts?|rules|directions|guidelines|context)\b|\b(ignoriere|vergiss)\b.{0,40}\b(anweisungen|regeln)\b|\bignore[sz]?\b.{0,40}\b(instructions|consignes|instrucciones|istruzioni)\b")]
    private static partial Regex Override();

    [GeneratedRegex(@"\b(reveal|show|print|repeat|display|output|tell|give|share|what (are|is|were))\b.{0,30}\b(your|system|initial|hidden|secret|original)\b.{0,20}\b(instructions?|system prompt|prompt|rules|configuration|guidelines)\b|\bsystem prompt\b|\bbegin(ning)? of (the )?(conversation|prompt)\b")]
    private static partial Regex Reveal();

    [GeneratedRegex(@"\b(you are now|act as|pretend (to be|you are)|from now on you|roleplay as)\b.{0,60}\b(dan|jailbreak|unrestricted|unfiltered|no (rules|restrictions|limits)|developer mode|evil)\b|\b(developer|god|jailbreak|dan) mode\b")]
    private static partial Regex Persona();
}
