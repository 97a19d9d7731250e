using System.Net;
using System.Net.Http.Headers;
using Parley.Engine.Tests.Imports.Botpress;
using Parley.Server.Tests.Features.Flows;
using Parley.Server.Tests.Features.Knowledge;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Features.Imports.Platforms;

public sealed class BotpressImportTests(KnowledgeApp app) : IClassFixture<KnowledgeApp>
{
    private static Task<HttpResponseMessage> ImportAsync(HttpClient client, byte[] archive, string? bot = null, string publish = "true")
    {
        var content = new MultipartFormDataContent();
        var part = new ByteArrayContent(archive);
        part.Headers.ContentType = new MediaTypeHeaderValue("application/gzip");
        content.Add(part, "file", "bot_acme-bikes_1757837644.tgz");
        content.Add(new StringContent(publish), "publish");
        if (bot is not null)
        {
            content.Add(new StringContent(bot), "bot");
        }
        return client.PostAsync("/v1/imports/botpress", content);
    }

    private Task<string> CountsAsync() => PlatformImportCounts.Of(app);

    [Fact]
    public async Task ImportBotpress_AcmeBikesPublished_RunsTheSamePathsAndAnswersItsQna()
    {
        var (_, key) = await app.CreateWorkspaceAsync("Acme Bikes shop");
        var client = app.Client(key);

        var import = await (await ImportAsync(client, BotpressArchives.Pack("acme-bikes"))).JsonAsync(HttpStatusCode.Created);

        Assert.Equal(("botpress", "Acme Bikes", 1), ((string?)import["source"], (string?)import["name"], (int)import["published_version"]!));
        Assert.Equal(18, (int)import["summary"]!["blocks"]!);
        var botId = import.Id("bot_id");
        var sources = await (await client.GetAsync($"/v1/bots/{botId}/knowledge")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(
            import["knowledge_source_ids"]!.AsArray().Select(s => (string)s!).Order(),
            sources["data"]!.AsArray().Select(s => (string)s!["id"]!).Order());
        Assert.Equal(3, sources["data"]!.AsArray().Count);
        Assert.All(sources["data"]!.AsArray(), s => Assert.Equal("ready", (string?)s!["status"]));

        // The repair path: the choice skill, the email slot (with its retry), the set variable, the question that waits.
        var start = await client.StartConversationAsync(botId);
        Assert.Equal(["Welcome to **Acme Bikes**! 🚲", "What can I help you with?"], start.Texts());
        Assert.Equal(["repair", "faq", "sales"], start["messages"]![1]!.Choices());
        var id = start["conversation"]!.Id();
        Assert.Equal(["What's your email address?"], (await client.ChooseAsync(id, "repair")).Texts());
        Assert.StartsWith("That doesn't look like an email address.", Assert.Single((await client.SendAsync(id, "ada at acme")).Texts()), StringComparison.Ordinal);
        Assert.Equal(["Thanks! We'll email ada@acme.example to book your repair.", "Is the bike unrideable? (yes/no)"],
            (await client.SendAsync(id, "ada@acme.example")).Texts());
        Assert.Equal(["We'll call you back within the hour.", "Anything else? Ask me about opening hours, returns or delivery."],
            (await client.SendAsync(id, "yes")).Texts());

        // The flow has ended as Botpress's did; the Q&A is now the bot's knowledge, and the built-in answerer uses it.
        await KnowledgeVectors.WaitAsync(app.Services, botId);
        var answer = (await client.SendAsync(id, "When are you open?"))["messages"]![0]!;
        Assert.Contains("Monday to Saturday from 9am to 6pm", (string?)answer["text"], StringComparison.Ordinal);
        Assert.Contains(sources["data"]!.AsArray().Select(s => (string?)s!["id"]), s => answer["citations"]!.ToJsonString().Contains(s!, StringComparison.Ordinal));

        // The other answer to the urgent question, and the sales link to the other flow.
        id = (await client.StartConversationAsync(botId))["conversation"]!.Id();
        await client.ChooseAsync(id, "repair");
        await client.SendAsync(id, "bea@acme.example");
        Assert.Equal(["Anything else? Ask me about opening hours, returns or delivery."], (await client.SendAsync(id, "no")).Texts());
        id = (await client.StartConversationAsync(botId))["conversation"]!.Id();
        Assert.Equal(["Our sales team will email you a quote today."], (await client.ChooseAsync(id, "sales")).Texts());
        id = (await client.StartConversationAsync(botId))["conversation"]!.Id();
        Assert.Equal(["Ask me anything about opening hours, returns or delivery."], (await client.ChooseAsync(id, "faq")).Texts());
        Assert.Contains("30 days", (string?)(await client.SendAsync(id, "Can I return my bike?"))["messages"]![0]!["text"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task ImportBotpress_SameArchiveTwice_SecondAnswersTheFirstAndChangesNothing()
    {
        var (_, key) = await app.CreateWorkspaceAsync("Twice Botpress");
        var client = app.Client(key);
        var first = await (await ImportAsync(client, BotpressArchives.Pack("acme-bikes"))).JsonAsync(HttpStatusCode.Created);
        var before = await CountsAsync();

        var second = await (await ImportAsync(client, BotpressArchives.Pack("acme-bikes"))).JsonAsync(HttpStatusCode.OK);

        Assert.True((bool)second["repeated"]!);
        Assert.Equal((first.Id(), first.Id("bot_id")), (second.Id(), second.Id("bot_id")));
        Assert.Equal(first["knowledge_source_ids"]!.ToJsonString(), second["knowledge_source_ids"]!.ToJsonString());
        Assert.Equal(before, await CountsAsync());
    }

    public static TheoryData<string, byte[]> HostileArchives() => new()
    {
        { "unpacks to more than 64 MB", BotpressArchives.Raw([("flows/main.flow.json", '0', 70L * 1024 * 1024, BotpressArchives.Zeros(70L * 1024 * 1024))]) },
        { "more than 20,000 entries", BotpressArchives.Raw(Enumerable.Range(0, 20_001).Select(i => ($"qna/{i}.json", '0', 0L, BotpressArchives.Zeros(0)))) },
        { "points outside the archive", BotpressArchives.Raw([("../bot.config.json", '0', 2, BotpressArchives.Text("{}"))]) },
        { "nested more than 64 levels", BotpressArchives.Pack("acme-bikes", (path, text) => path == "qna/returns_p4q5r6.json" ? new string('[', 500) + new string(']', 500) : text) },
        // A mapping mistake is refused too, and the Q&A is not written without the flow.
        { "not connected", BotpressArchives.Pack("acme-bikes", (path, text) => path == "flows/main.flow.json" ? text.Replace("\"startNode\": \"entry\"", "\"startNode\": \"nowhere\"", StringComparison.Ordinal) : text) },
    };

    [Theory]
    [MemberData(nameof(HostileArchives))]
    public async Task ImportBotpress_HostileOrBrokenArchive_422WithTheReasonAndNothingWritten(string reason, byte[] archive)
    {
        var client = app.Client();
        var before = await CountsAsync();

        var problem = await (await ImportAsync(client, archive)).ProblemAsync(HttpStatusCode.UnprocessableEntity, "invalid_import_file");

        Assert.Contains(reason, (string?)problem["detail"], StringComparison.Ordinal);
        Assert.Contains("Nothing was written", (string?)problem["detail"], StringComparison.Ordinal);
        Assert.Equal(before, await CountsAsync());
    }
}
