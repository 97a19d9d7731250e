using System.Text;
using System.Text.RegularExpressions;
using Parley.Engine.Flows;

namespace Parley.Engine.Imports.Typebot;

/// <summary>
/// Typebot's variables under Parley names: Typebot allows spaces and accents ("User Message"), Parley takes letters,
/// digits and _ ("User_Message"). Texts refer to variables by name, so every <c>{{name}}</c> is rewritten too.
/// </summary>
internal sealed partial class TypebotVariables
{
    private readonly Dictionary<string, string> _byId = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _byName = new(StringComparer.Ordinal);
    private readonly HashSet<string> _taken = new(StringComparer.OrdinalIgnoreCase);

    [GeneratedRegex(@"\{\{([^{}]{1,100})\}\}")]
    private static partial Regex Placeholder();

    public TypebotVariables(IEnumerable<TypebotVariable> variables)
    {
        foreach (var variable in variables)
        {
            if (_byName.TryGetValue(variable.Name, out var existing))
            {
                _byId[variable.Id] = existing;
                continue;
            }
            var name = Unique(Sanitize(variable.Name));
            _byId[variable.Id] = name;
            _byName[variable.Name] = name;
        }
    }

    /// <summary>The Parley name of the variable with this Typebot id, or null when the file does not declare it.</summary>
    public string? ById(string? id) => id is not null && _byId.TryGetValue(id, out var name) ? name : null;

    /// <summary>A new variable for an answer Typebot did not save anywhere (Parley's ask block always stores its answer).</summary>
    public string Fresh(string hint) => Unique(Sanitize(hint));

    /// <summary>The Parley name of the first variable whose Typebot name contains <paramref name="word"/>.</summary>
    public string? Named(string word) =>
        _byName.Where(p => p.Key.Equals(word, StringComparison.OrdinalIgnoreCase)).Select(p => p.Value).FirstOrDefault()
        ?? _byName.Where(p => p.Key.Contains(word, StringComparison.OrdinalIgnoreCase)).Select(p => p.Value).FirstOrDefault();

    /// <summary>Rewrites <c>{{Typebot name}}</c> to <c>{{parley_name}}</c>; placeholders of unknown variables stay as written.</summary>
    public string Rewrite(string text) =>
        Placeholder().Replace(text, m => _byName.TryGetValue(m.Groups[1].Value.Trim(), out var name) ? "{{" + name + "}}" : m.Value);

    private string Unique(string name)
    {
        var candidate = name;
        for (var i = 2; !_taken.Add(candidate); i++)
        {
            candidate = $"{name[..Math.Min(name.Length, 60)]}_{i}";
        }
        return candidate;
    }

    // The server runs with invariant globalization, where string normalisation cannot strip accents; Latin letters
    // with accents, the common case in variable names, are folded by hand.
    private const string Accented = "àáâãäåçèéêëìíîïñòóôõöùúûüýÿÀÁÂÃÄÅÇÈÉÊËÌÍÎÏÑÒÓÔÕÖÙÚÛÜÝ";
    private const string Plain = "aaaaaaceeeeiiiinooooouuuuyyAAAAAACEEEEIIIINOOOOOUUUUY";

    private static char Fold(char c) => Accented.IndexOf(c, StringComparison.Ordinal) is var i and >= 0 ? Plain[i] : c;

    private static string Sanitize(string name)
    {
        var builder = new StringBuilder();
        foreach (var c in name)
        {
            var folded = Fold(c);
            if (char.IsAsciiLetterOrDigit(folded))
            {
                builder.Append(folded);
            }
            else if (builder.Length > 0 && builder[^1] != '_')
            {
                builder.Append('_');
            }
        }
        var result = builder.ToString().Trim('_');
        if (result.Length == 0 || !char.IsAsciiLetter(result[0]))
        {
            result = "v_" + result;
        }
        result = result[..Math.Min(result.Length, 60)];
        return FlowValidator.IsVariableName(result) ? result : "variable";
    }
}
