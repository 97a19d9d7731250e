using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Features.Knowledge;

/// <summary>An app that may fetch from loopback, where the tests' web sites run.</summary>
public sealed class KnowledgeApp : ParleyApp
{
    public KnowledgeApp()
    {
        With("Parley:Network:AllowPrivateTargets", "true");
        With("Parley:Knowledge:PollInterval", "00:00:00.200");
    }
}

public sealed class KnowledgeSourceTests(KnowledgeApp app) : IClassFixture<KnowledgeApp>
{
    private const string Returns = "# Returns\nUnused items can be returned within 30 days for a full refund.\n\n## Bikes\nBicycles can be returned within 14 days if not ridden.";

    [Fact]
    public async Task AddSource_Markdown_ReadyAndSearchableWithHeadingPath()
    {
        var client = app.Client();
        var bot = await client.CreateBotAsync();
        var source = await (await client.PostJsonAsync($"/v1/bots/{bot}/knowledge", new { type = "markdown", title = "Returns", content = Returns }))
            .JsonAsync(HttpStatusCode.Created);
        Assert.Equal("ready", (string?)source["status"]);
        Assert.Equal(2, (int)source["chunk_count"]!);

        var found = await SearchAsync(client, bot, "can I return a bicycle?");
        Assert.Equal(source.Id(), (string?)found[0]!["source_id"]);
        Assert.Equal(new[] { "Returns", "Bikes" }, found[0]!["heading_path"]!.AsArray().Select(h => (string)h!));
    }

    [Fact]
    public async Task AddSource_Html_DropsNavigationAndScripts()
    {
        var client = app.Client();
        var bot = await client.CreateBotAsync();
        const string html = "<html><head><title>Hours</title><script>var secretWidget=1;</script></head><body><nav>Menu Careers Blog</nav>"
            + "<main><h1>Opening hours</h1><p>We open at nine every weekday.</p></main><footer>Careers</footer></body></html>";
        var source = await (await client.PostJsonAsync($"/v1/bots/{bot}/knowledge", new { type = "html", content = html }))
            .JsonAsync(HttpStatusCode.Created);
        Assert.Equal("Hours", (string?)source["title"]);
        Assert.Empty(await SearchAsync(client, bot, "careers menu secretWidget"));
        Assert.Single(await SearchAsync(client, bot, "when do you open?"));
    }

    [Fact]
    public async Task AddSource_PdfUpload_TextExtracted()
    {
        var client = app.Client();
        var bot = await client.CreateBotAsync();
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(SimplePdf.Create("Our warranty covers frames for life."));
        file.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
        form.Add(file, "file", "warranty.pdf");
        var source = await (await client.PostAsync($"/v1/bots/{bot}/knowledge", form)).JsonAsync(HttpStatusCode.Created);
        Assert.Equal("pdf", (string?)source["type"]);
        Assert.Equal("warranty", (string?)source["title"]);
        var found = await SearchAsync(client, bot, "frame warranty");
        Assert.Contains("warranty covers frames", (string?)found[0]!["text"]);
    }

    [Fact]
    public async Task AddSource_BadInput_400AndNothingStored()
    {
        var client = app.Client();
        var bot = await client.CreateBotAsync();
        await (await client.PostJsonAsync($"/v1/bots/{bot}/knowledge", new { type = "video", title = "x", content = "y" })).ProblemAsync(HttpStatusCode.BadRequest, "invalid_request");
        await (await client.PostJsonAsync($"/v1/bots/{bot}/knowledge", new { type = "text", title = "x" })).ProblemAsync(HttpStatusCode.BadRequest, "invalid_request");
        await (await client.PostJsonAsync($"/v1/bots/{bot}/knowledge", new { type = "url", url = "ftp://example.com/a" })).ProblemAsync(HttpStatusCode.BadRequest, "invalid_request");
        await (await client.PostRawAsync($"/v1/bots/{bot}/knowledge", "{not json")).ProblemAsync(HttpStatusCode.BadRequest, "invalid_request");
        await (await client.PostRawAsync($"/v1/bots/{bot}/knowledge", "hello", "text/plain")).ProblemAsync(HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");
        using var form = new MultipartFormDataContent { { new ByteArrayContent(Encoding.UTF8.GetBytes("not a pdf")), "file", "broken.pdf" } };
        await (await client.PostAsync($"/v1/bots/{bot}/knowledge", form)).ProblemAsync(HttpStatusCode.BadRequest, "invalid_request");
        await (await client.PostJsonAsync($"/v1/bots/{bot}/knowledge/search", new { query = "", limit = 99 })).ProblemAsync(HttpStatusCode.BadRequest, "invalid_request");
        await (await client.PostJsonAsync("/v1/bots/bot_missing/knowledge", new { type = "text", title = "x", content = "y" })).ProblemAsync(HttpStatusCode.NotFound, "not_found");

        var list = await (await client.GetAsync($"/v1/bots/{bot}/knowledge")).JsonAsync(HttpStatusCode.OK);
        Assert.Empty(list["data"]!.AsArray());
    }

    [Fact]
    public async Task Search_TwoBotsSameWords_OnlyOwnBotsChunks()
    {
        var client = app.Client();
        var first = await client.CreateBotAsync();
        var second = await client.CreateBotAsync();
        var own = await (await client.PostJsonAsync($"/v1/bots/{first}/knowledge", new { type = "markdown", title = "Returns", content = Returns }))
            .JsonAsync(HttpStatusCode.Created);
        await (await client.PostJsonAsync($"/v1/bots/{second}/knowledge", new { type = "markdown", title = "Returns", content = Returns }))
            .JsonAsync(HttpStatusCode.Created);

        var found = await SearchAsync(client, first, "return bicycle refund");
        Assert.NotEmpty(found);
        Assert.All(found, passage => Assert.Equal(own.Id(), (string?)passage!["source_id"]));
    }

    [Fact]
    public async Task DeleteSource_ChunksGoToo()
    {
        var client = app.Client();
        var bot = await client.CreateBotAsync();
        var source = await (await client.PostJsonAsync($"/v1/bots/{bot}/knowledge", new { type = "markdown", title = "Returns", content = Returns }))
            .JsonAsync(HttpStatusCode.Created);
        await (await client.DeleteAsync($"/v1/bots/{bot}/knowledge/{source.Id()}")).JsonAsync(HttpStatusCode.OK);
        Assert.Empty(await SearchAsync(client, bot, "return bicycle refund"));
        await (await client.GetAsync($"/v1/bots/{bot}/knowledge/{source.Id()}")).ProblemAsync(HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task AddSource_Url_FetchedThroughRedirectAndReady()
    {
        await using var site = await LocalSite.StartAsync(new Dictionary<string, (string, string)>
        {
            ["/old"] = ("redirect", "/faq"),
            ["/faq"] = ("text/html", "<html><head><title>FAQ</title></head><body><h1>Delivery</h1><p>We deliver bikes within 20 miles.</p></body></html>"),
        });
        var client = app.Client();
        var bot = await client.CreateBotAsync();
        var created = await (await client.PostJsonAsync($"/v1/bots/{bot}/knowledge", new { type = "url", url = site.Url("/old") }))
            .JsonAsync(HttpStatusCode.Created);
        var ready = await PollStatusAsync(client, bot, created.Id());
        Assert.Equal("ready", (string?)ready["status"]);
        Assert.Equal("FAQ", (string?)ready["title"]);
        Assert.Single(await SearchAsync(client, bot, "do you deliver bikes?"));
    }

    [Fact]
    public async Task AddSource_UrlWithWrongContentType_FailedWithReason()
    {
        await using var site = await LocalSite.StartAsync(new Dictionary<string, (string, string)> { ["/img"] = ("image/png", "PNG") });
        var client = app.Client();
        var bot = await client.CreateBotAsync();
        var created = await (await client.PostJsonAsync($"/v1/bots/{bot}/knowledge", new { type = "url", url = site.Url("/img") }))
            .JsonAsync(HttpStatusCode.Created);
        var failed = await PollStatusAsync(client, bot, created.Id());
        Assert.Equal("failed", (string?)failed["status"]);
        Assert.Contains("image/png", (string?)failed["failure_reason"]);
    }

    [Fact]
    public async Task Turn_KnowledgeAnswers_CitesSourceAndUnknownQuestionOffersHandoff()
    {
        var client = app.Client();
        var bot = await client.CreateBotAsync();
        var source = await (await client.PostJsonAsync($"/v1/bots/{bot}/knowledge", new { type = "markdown", title = "Returns", content = Returns }))
            .JsonAsync(HttpStatusCode.Created);
        var conversation = (await client.StartConversationAsync(bot)).Id("conversation.id");

        var answer = (await client.SendAsync(conversation, "How many days do I have to return a bicycle?"))["messages"]![0]!;
        Assert.Contains("14 days", (string?)answer["text"]);
        Assert.Equal(source.Id(), (string?)answer["citations"]![0]!["source_id"]);

        var unknown = (await client.SendAsync(conversation, "Do you sell motorcycles?"))["messages"]![0]!;
        Assert.Equal("A person will get back to you.", (string?)unknown["text"]);
        // Topics close to the question may come first (once the passages have vectors); a person is always offered last.
        Assert.Equal("handoff", (string?)unknown["quick_replies"]!.AsArray()[^1]!["value"]);
        var events = await (await client.GetAsync("/v1/events?limit=100")).JsonAsync(HttpStatusCode.OK);
        Assert.Contains(events["data"]!.AsArray(), e => (string?)e!["type"] == "question.unanswered"
            && (string?)e["data"]!["question"] == "Do you sell motorcycles?");

        var transcript = await (await client.GetAsync($"/v1/conversations/{conversation}/messages")).JsonAsync(HttpStatusCode.OK);
        Assert.Contains(transcript["data"]!.AsArray(), m => m!["citations"] is JsonArray { Count: 1 });
    }

    private const string Dentist = """
        # Brightsmile Dental

        ## Nervous patients
        We take our time with nervous patients. Inhalation sedation (nitrous oxide) is available for $60 per visit. Tell us
        when you book and we plan a longer appointment.

        ## Fees
        A check-up costs $55. A scale and polish costs $75.
        """;

    [Fact]
    public async Task Turn_QuestionNotAnswered_ClosestTopicsOffered_PickingOneQuotesItsSection()
    {
        var client = app.Client();
        var bot = await client.CreateBotAsync();
        var source = await (await client.PostJsonAsync($"/v1/bots/{bot}/knowledge", new { type = "markdown", title = "Brightsmile", content = Dentist }))
            .JsonAsync(HttpStatusCode.Created);
        await KnowledgeVectors.WaitAsync(app.Services, bot);
        var conversation = (await client.StartConversationAsync(bot)).Id("conversation.id");

        var unanswered = (await client.SendAsync(conversation, "how much is laughing gas"))["messages"]![0]!;
        Assert.Equal("A person will get back to you.", (string?)unanswered["text"]);
        var offered = unanswered["quick_replies"]!.AsArray().Select(q => ((string?)q!["label"], (string?)q["value"])).ToList();
        Assert.Contains(("Nervous patients", "Nervous patients"), offered);
        Assert.Equal(("Talk to a person", "handoff"), offered[^1]);

        var picked = await (await client.PostJsonAsync($"/v1/conversations/{conversation}/messages", new { choice = "Nervous patients" }))
            .JsonAsync(HttpStatusCode.OK);
        var section = picked["messages"]![0]!;
        // The whole section, not the one or two sentences an answer quotes.
        Assert.Equal(
            "We take our time with nervous patients. Inhalation sedation (nitrous oxide) is available for $60 per visit. Tell us when you book and we plan a longer appointment.",
            (string?)section["text"]);
        Assert.Equal(source.Id(), (string?)section["citations"]![0]!["source_id"]);
        Assert.DoesNotContain(section["flags"]?.AsArray() ?? [], f => (string?)f == "unanswered");
    }

    [Fact]
    public async Task Turn_BotWithoutKnowledge_FallbackWithoutHandoffOffer()
    {
        var client = app.Client();
        var bot = await client.CreateBotAsync();
        var conversation = (await client.StartConversationAsync(bot)).Id("conversation.id");
        var reply = (await client.SendAsync(conversation, "Hello?"))["messages"]![0]!;
        Assert.Equal("A person will get back to you.", (string?)reply["text"]);
        Assert.Empty(reply["quick_replies"]!.AsArray());
    }

    [Fact]
    public async Task Turn_SeededDemoBot_AnswersAboutParley()
    {
        var client = app.Client();
        var bots = await (await client.GetAsync("/v1/bots?limit=100")).JsonAsync(HttpStatusCode.OK);
        var demo = bots["data"]!.AsArray().Single(b => (string?)b!["name"] == "Parley Demo")!.Id();
        var conversation = (await client.StartConversationAsync(demo)).Id("conversation.id");
        var reply = (await client.SendAsync(conversation, "Is Parley free?"))["messages"]![0]!;
        Assert.Contains("free and open source", (string?)reply["text"]);
    }

    internal static async Task<JsonArray> SearchAsync(HttpClient client, string bot, string query) =>
        (await (await client.PostJsonAsync($"/v1/bots/{bot}/knowledge/search", new { query, limit = 5 })).JsonAsync(HttpStatusCode.OK))["data"]!.AsArray();

    internal static async Task<JsonNode> PollStatusAsync(HttpClient client, string bot, string id)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            var source = await (await client.GetAsync($"/v1/bots/{bot}/knowledge/{id}")).JsonAsync(HttpStatusCode.OK);
            if ((string?)source["status"] != "processing" || DateTime.UtcNow > deadline)
            {
                return source;
            }
            // Not a busy loop: the class's tests share one caller, whose rate limit (600 a minute) a tight loop drains on a slow machine.
            await Task.Delay(50);
        }
    }
}

/// <summary>Without AllowPrivateTargets, a knowledge URL cannot point into the server's own network.</summary>
[Trait(Storage.Trait, Storage.Independent)]
public sealed class KnowledgeUrlSafetyTests(ParleyApp app) : IClassFixture<ParleyApp>
{
    [Fact]
    public async Task AddSource_PrivateUrlNotAllowed_400()
    {
        var client = app.Client();
        var bot = await client.CreateBotAsync();
        var problem = await (await client.PostJsonAsync($"/v1/bots/{bot}/knowledge", new { type = "url", url = "http://127.0.0.1:5401/" }))
            .ProblemAsync(HttpStatusCode.BadRequest, "invalid_request");
        Assert.Contains("private", (string?)problem["detail"]);
    }
}
