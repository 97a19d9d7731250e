using System.Text.RegularExpressions;
using Parley.Server.Tests.Contract;

namespace Parley.Server.Tests.Docs;

/// <summary>A fenced code block of a Markdown page: its info string (<c>sh run</c>), its text, and where it starts.</summary>
public sealed record CodeBlock(string Page, int Line, string Info, string Text)
{
    public string Language => Info.Split(' ', 2)[0];

    /// <summary>The words after the language: <c>run</c> marks an example the doc tests execute.</summary>
    public IReadOnlyList<string> Markers => Info.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).ToArray();

    public bool IsShell => Language is "sh" or "bash";

    public bool IsRunnable => IsShell && Markers.Contains("run");

    public bool IsRequestExample => IsShell && Regex.IsMatch(Text, @"(^|\s)curl\s");

    public override string ToString() => $"{Page}:{Line}";
}

/// <summary>The user documentation: README.md and every page in docs/, read as the repository holds them.</summary>
public static partial class DocPages
{
    /// <summary>README.md first, then the pages of docs/ by name; paths relative to the repository root.</summary>
    public static IReadOnlyList<string> All() =>
        ["README.md", .. Directory.GetFiles(RepositoryFiles.PathOf("docs"), "*.md").Select(p => "docs/" + Path.GetFileName(p)).Order(StringComparer.Ordinal)];

    public static string Read(string page) => File.ReadAllText(RepositoryFiles.PathOf(page));

    /// <summary>The fenced blocks of a page, in order, with the blank-line-only gap to the block before each.</summary>
    public static IReadOnlyList<(CodeBlock Block, bool FollowsDirectly)> Blocks(string page)
    {
        var lines = Read(page).Split('\n');
        var blocks = new List<(CodeBlock, bool)>();
        var lastEnd = -10;
        for (var i = 0; i < lines.Length; i++)
        {
            var fence = Fence().Match(lines[i]);
            if (!fence.Success)
            {
                continue;
            }
            var start = i;
            var body = new List<string>();
            for (i++; i < lines.Length && lines[i].TrimEnd() != fence.Groups["fence"].Value; i++)
            {
                body.Add(lines[i]);
            }
            var direct = lines.Skip(lastEnd + 1).Take(start - lastEnd - 1).All(string.IsNullOrWhiteSpace);
            blocks.Add((new CodeBlock(page, start + 1, fence.Groups["info"].Value.Trim(), string.Join('\n', body)), direct && lastEnd >= 0));
            lastEnd = i;
        }
        return blocks;
    }

    /// <summary>Markdown links and images outside code: <c>[text](target)</c>, with the line they are on.</summary>
    public static IEnumerable<(int Line, string Target)> Links(string page)
    {
        var inCode = false;
        var lines = Read(page).Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            if (Fence().IsMatch(lines[i]))
            {
                inCode = !inCode;
                continue;
            }
            if (inCode)
            {
                continue;
            }
            var prose = InlineCode().Replace(lines[i], "");
            foreach (Match link in Link().Matches(prose))
            {
                yield return (i + 1, link.Groups["target"].Value);
            }
        }
    }

    /// <summary>The anchors GitHub gives a page's headings: lower case, punctuation dropped, spaces as hyphens.</summary>
    public static IReadOnlySet<string> Anchors(string page)
    {
        var anchors = new HashSet<string>(StringComparer.Ordinal);
        var inCode = false;
        foreach (var line in Read(page).Split('\n'))
        {
            if (Fence().IsMatch(line))
            {
                inCode = !inCode;
            }
            else if (!inCode && Heading().Match(line) is { Success: true } heading)
            {
                var text = heading.Groups["text"].Value.Trim().ToLowerInvariant();
                var slug = Regex.Replace(text.Replace("`", ""), @"[^\p{L}\p{Nd}\- _]", "").Replace(' ', '-');
                var unique = slug;
                for (var n = 1; !anchors.Add(unique); n++)
                {
                    unique = $"{slug}-{n}";
                }
            }
        }
        return anchors;
    }

    [GeneratedRegex(@"^(?<fence>```+)(?<info>[^`]*)$")]
    private static partial Regex Fence();

    [GeneratedRegex(@"`[^`]*`")]
    private static partial Regex InlineCode();

    [GeneratedRegex(@"!?\[[^\]]*\]\((?<target>[^)\s]+)\)")]
    private static partial Regex Link();

    [GeneratedRegex(@"^#{1,6}\s+(?<text>.+)$")]
    private static partial Regex Heading();
}
