using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Docs;

/// <summary>
/// The request examples of the README and docs/ run as documented. An example marked <c>sh run</c> is executed against a
/// fresh server and checked against the response shown after it; an example that cannot run here (it needs a model
/// service, a mail server, a file of yours) is marked <c>sh not-run</c> and starts with a comment that says why.
/// </summary>
[Trait(Storage.Trait, Storage.Independent)]
public sealed class ExecutableDocsTests
{
    public static TheoryData<string> Pages() => [.. DocPages.All()];

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task Page_RunnableExamples_AnswerAsDocumented(string page)
    {
        if (!DocPages.Blocks(page).Any(b => b.Block.IsRunnable))
        {
            return;
        }
        await using var server = new DocServer().Start();
        var runner = new DocExampleRunner(server, page);

        await runner.RunAsync();

        Assert.True(runner.Failures.Count == 0, $"{runner.Failures.Count} differences in {page}:\n" + string.Join('\n', runner.Failures));
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public void Page_EveryRequestExample_RunsOrSaysWhyNot(string page)
    {
        var unmarked = DocPages.Blocks(page).Select(b => b.Block)
            .Where(b => b.IsRequestExample && !b.IsRunnable && !(b.Markers.Contains("not-run") && b.Text.TrimStart().StartsWith('#')))
            .ToList();

        Assert.True(unmarked.Count == 0, "Request examples neither marked `sh run` nor `sh not-run` with a first comment line saying why: " + string.Join(", ", unmarked));
    }
}
