using System.Text.RegularExpressions;

namespace Parley.Engine.Knowledge;

/// <summary>Splits prose into sentences at ., ! or ? followed by a space and a capital, digit or quote.</summary>
public static partial class Sentences
{
    public static IReadOnlyList<string> Split(string text) =>
        [.. Boundary().Split(text).Select(s => s.Trim()).Where(s => s.Length > 0)];

    [GeneratedRegex(@"(?<=[.!?])\s+(?=[A-Z0-9""“(])")]
    private static partial Regex Boundary();
}
