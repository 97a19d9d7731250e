using System.Net;
using Parley.Server.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Parley.Server.Tests.Features.Knowledge;

/// <summary>
/// The built-in answerer on a sample bike shop's knowledge base (35 documents, 136 questions with paraphrases and
/// questions it must not answer). Top-1 accuracy: the search's first passage comes from the expected document.
/// False answers: questions outside the knowledge base that the bot answered instead of falling back. Since answers are
/// chosen by meaning as well as words, top-1 rose from 89.5% to 93.0% and false answers from 0 to 2 of 22 ("do you
/// repair motorcycles?" is close in meaning to the repair booking page); the ceiling holds that figure.
/// </summary>
public sealed class KnowledgeEvaluationTests(ParleyApp app, ITestOutputHelper output) : IClassFixture<ParleyApp>
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "Features", "Knowledge", "Evaluation");

    [Fact]
    public async Task Evaluation_SampleBusiness_MeetsAccuracyAndFalseAnswerTargets()
    {
        var client = app.Client();
        var botId = await client.CreateBotAsync("Harbour Bikes");
        var documents = new Dictionary<string, string>();
        foreach (var file in Directory.GetFiles(Path.Combine(Folder, "Documents"), "*.md"))
        {
            var content = await File.ReadAllTextAsync(file);
            var title = content.Split('\n')[0].TrimStart('#', ' ');
            var source = await (await client.PostJsonAsync($"/v1/bots/{botId}/knowledge", new { type = "markdown", title, content }))
                .JsonAsync(HttpStatusCode.Created);
            documents[source.Id()] = Path.GetFileNameWithoutExtension(file);
        }

        var questions = (await File.ReadAllLinesAsync(Path.Combine(Folder, "questions.tsv")))
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => l.Split('\t'))
            .Select(p => (Expected: p[0], Question: p[1]))
            .ToList();
        int answerable = 0, top1 = 0, answeredRight = 0, answeredWrong = 0, outside = 0, falseAnswers = 0;
        foreach (var (expected, question) in questions)
        {
            var search = await (await client.PostJsonAsync($"/v1/bots/{botId}/knowledge/search", new { query = question, limit = 1 }))
                .JsonAsync(HttpStatusCode.OK);
            var found = search["data"]!.AsArray().Select(p => documents[(string)p!["source_id"]!]).FirstOrDefault();
            var conversation = await client.StartConversationAsync(botId);
            var turn = await client.SendAsync(conversation.Id("conversation.id"), question);
            var citation = turn["messages"]![0]!["citations"]?.AsArray().Select(c => documents[(string)c!["source_id"]!]).FirstOrDefault();
            if (expected == "-")
            {
                outside++;
                if (citation is not null)
                {
                    falseAnswers++;
                    output.WriteLine($"FALSE ANSWER  {question} → {citation}");
                }
                continue;
            }
            answerable++;
            top1 += found == expected ? 1 : 0;
            if (found != expected)
            {
                output.WriteLine($"MISSED  {question} → {found ?? "nothing"} (expected {expected})");
            }
            if (citation == expected)
            {
                answeredRight++;
            }
            else if (citation is not null)
            {
                answeredWrong++;
                output.WriteLine($"WRONG ANSWER  {question} → {citation} (expected {expected})");
            }
        }

        var accuracy = (double)top1 / answerable;
        var falseRate = (double)falseAnswers / outside;
        output.WriteLine($"Knowledge evaluation: {documents.Count} documents, {questions.Count} questions ({answerable} answerable, {outside} outside)");
        output.WriteLine($"  top-1 passage accuracy   {accuracy:P1} ({top1}/{answerable})");
        output.WriteLine($"  answered from the right source {answeredRight}/{answerable}, from a wrong one {answeredWrong}/{answerable}");
        output.WriteLine($"  false-answer rate        {falseRate:P1} ({falseAnswers}/{outside} questions outside the knowledge base answered)");
        Assert.True(accuracy >= 0.85, $"top-1 accuracy {accuracy:P1} is below 85%");
        Assert.True(falseRate <= 0.10, $"false-answer rate {falseRate:P1} is above 10%");
    }
}
