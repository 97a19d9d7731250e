using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Docs;

/// <summary>A reader who starts at the README reaches every page, and no link leads nowhere.</summary>
[Trait(Storage.Trait, Storage.Independent)]
public sealed class DocLinkTests
{
    public static TheoryData<string> Pages() => [.. DocPages.All()];

    [Fact]
    public void Readme_EveryPageInDocs_IsLinked()
    {
        var linked = DocPages.Links("README.md").Select(l => l.Target.Split('#')[0]).ToHashSet(StringComparer.Ordinal);

        var unlinked = DocPages.All().Where(p => p.StartsWith("docs/", StringComparison.Ordinal) && !linked.Contains(p)).ToList();

        Assert.True(unlinked.Count == 0, "README.md links to no: " + string.Join(", ", unlinked));
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public void Page_RelativeLinks_ResolveToAFileAndHeading(string page)
    {
        var broken = new List<string>();
        foreach (var (line, target) in DocPages.Links(page))
        {
            if (target.Contains("://", StringComparison.Ordinal) || target.StartsWith("mailto:", StringComparison.Ordinal))
            {
                continue;
            }
            var (path, anchor) = target.IndexOf('#') is var hash and >= 0 ? (target[..hash], target[(hash + 1)..]) : (target, null);
            var resolved = path.Length == 0 ? page : Path.GetRelativePath(Contract.RepositoryFiles.PathOf(""),
                Path.GetFullPath(Path.Combine(Path.GetDirectoryName(Contract.RepositoryFiles.PathOf(page))!, path))).Replace('\\', '/');
            var full = Contract.RepositoryFiles.PathOf(resolved);
            if (!File.Exists(full) && !Directory.Exists(full))
            {
                broken.Add($"{page}:{line} {target} (no such file)");
            }
            else if (anchor is not null && resolved.EndsWith(".md", StringComparison.Ordinal) && !DocPages.Anchors(resolved).Contains(anchor))
            {
                broken.Add($"{page}:{line} {target} (no such heading in {resolved})");
            }
        }

        Assert.True(broken.Count == 0, "Broken links:\n" + string.Join('\n', broken));
    }
}
