using System.Net;
using System.Text.Json.Nodes;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Features.Knowledge;

/// <summary>What a visitor of Parley's own site asks the demo bot of a freshly seeded server.</summary>
public sealed class DemoBotAnswerTests(KnowledgeApp app) : IClassFixture<KnowledgeApp>
{
    [Theory]
    [InlineData("How do I install it on my website?", "script tag")]
    [InlineData("Can I use my own OpenAI key?", "own OpenAI API key")]
    [InlineData("Does it work with WordPress?", "WordPress")]
    [InlineData("Can a human agent take over the chat?", "agent can take over")]
    public async Task Turn_SeededDemoBot_AnswersWithTheFact(string question, string fact)
    {
        var reply = await AskDemoBotAsync(question);

        Assert.Contains(fact, (string?)reply["text"], StringComparison.OrdinalIgnoreCase);
        Assert.NotEmpty(reply["citations"]!.AsArray());
    }

    [Fact]
    public async Task Turn_SeededDemoBotAskedOpeningHours_AbstainsOrAnswersTruthfully()
    {
        var reply = await AskDemoBotAsync("What are your opening hours?");

        var text = (string)reply["text"]!;
        var abstained = reply["flags"]?.AsArray().Any(f => (string?)f == "unanswered") ?? false;
        Assert.True(abstained || text.Contains("any time of day", StringComparison.Ordinal), text);
        Assert.DoesNotContain("free and open source", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Turn_SeededDemoBotAskedAboutDeliveries_Abstains()
    {
        // Parley delivers nothing; the webhook sentences ("delivered to your endpoint") are not an answer.
        var reply = await AskDemoBotAsync("Do you deliver on Sundays?");

        Assert.Contains(reply["flags"]?.AsArray() ?? [], f => (string?)f == "unanswered");
    }

    private async Task<JsonNode> AskDemoBotAsync(string question)
    {
        var client = app.Client();
        var bots = await (await client.GetAsync("/v1/bots?limit=100")).JsonAsync(HttpStatusCode.OK);
        var demo = bots["data"]!.AsArray().Single(b => (string?)b!["name"] == "Parley Demo")!.Id();
        await KnowledgeVectors.WaitAsync(app.Services, demo);
        var conversation = (await client.StartConversationAsync(demo)).Id("conversation.id");
        return (await client.SendAsync(conversation, question))["messages"]![0]!;
    }
}
