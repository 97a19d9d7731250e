using System.Text.RegularExpressions;
using Parley.Data.Entities;
using Parley.Engine.Turns;

namespace Parley.Server.Features.CannedResponses;

/// <summary>The rules a canned response's fields follow; each returns the value to store or adds an error.</summary>
public static partial class CannedResponseValidation
{
    public static string? Shortcut(Dictionary<string, string[]> errors, string? shortcut)
    {
        var value = shortcut?.Trim().ToLowerInvariant();
        if (value is null || !ShortcutPattern().IsMatch(value))
        {
            errors["shortcut"] =
                [$"shortcut is required: 1 to {CannedResponseLimits.ShortcutLength} letters a–z, digits, '-' or '_' (what agents type after '/')."];
            return null;
        }
        return value;
    }

    public static string? Text(Dictionary<string, string[]> errors, string? text)
    {
        if (text is null)
        {
            errors["text"] = ["text is required: the reply agents insert."];
            return null;
        }
        try
        {
            // The text becomes an agent's message: it follows the rules of one.
            return TurnInputValidator.Validate(new TurnInput(text, null, null));
        }
        catch (TurnRejectedException ex)
        {
            errors["text"] = [ex.Message];
            return null;
        }
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]{0,39}$", RegexOptions.CultureInvariant)]
    private static partial Regex ShortcutPattern();
}
