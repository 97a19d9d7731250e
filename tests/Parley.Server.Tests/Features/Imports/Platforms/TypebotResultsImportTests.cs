using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Features.Imports.Platforms;

public sealed class TypebotResultsImportTests(ParleyApp app) : IClassFixture<ParleyApp>
{
    private static byte[] Results() =>
        File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Imports", "Typebot", "Fixtures", "lead-generation-results.csv"));

    private static Task<HttpResponseMessage> ImportAsync(HttpClient client, byte[] file, string? bot = null)
    {
        var content = new MultipartFormDataContent();
        var part = new ByteArrayContent(file);
        part.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        content.Add(part, "file", "results.csv");
        if (bot is not null)
        {
            content.Add(new StringContent(bot), "bot");
        }
        return client.PostAsync("/v1/imports/typebot", content);
    }

    private Task<string> CountsAsync() => PlatformImportCounts.Of(app);

    private static async Task<JsonArray> ClosedAsync(HttpClient client, string botId) =>
        (await (await client.GetAsync($"/v1/conversations?bot_id={botId}&status=closed")).JsonAsync(HttpStatusCode.OK))["data"]!.AsArray();

    private static async Task<JsonArray> TranscriptAsync(HttpClient client, string conversationId) =>
        (await (await client.GetAsync($"/v1/conversations/{conversationId}/messages")).JsonAsync(HttpStatusCode.OK))["data"]!.AsArray();

    [Fact]
    public async Task ImportTypebot_ResultsCsv_EachRowAConversationAndEachEmailALead()
    {
        var (_, key) = await app.CreateWorkspaceAsync("Typebot results");
        var client = app.Client(key);
        var botId = await client.CreateBotAsync("Acme lead generation");

        var import = await (await ImportAsync(client, Results(), botId)).JsonAsync(HttpStatusCode.Created);

        Assert.Equal(("typebot", botId, 0), ((string?)import["source"], import.Id("bot_id"), import["blocks"]!.AsArray().Count));
        var summary = import["summary"]!;
        Assert.Equal((4, 4, 3), ((int)summary["conversations"]!, (int)summary["contacts"]!, (int)summary["leads"]!));
        var closed = await ClosedAsync(client, botId);
        Assert.Equal(4, closed.Count);

        // Ada's row: each column asked by the bot and answered by her, at the submission time; her UTM parameters kept.
        var ada = Assert.Single(closed, c => c!["metadata"]!["utm"]!.AsObject().Count > 0)!;
        Assert.Equal(16, (int)ada["message_count"]!);
        var transcript = await TranscriptAsync(client, ada.Id());
        Assert.Equal(["Name", "Ada Lovelace", "Email", "ada@acme.example", "Phone", "+44 20 7946 0000"], transcript.Take(6).Select(m => (string)m!["text"]!));
        Assert.Equal(["bot", "user", "bot", "user"], transcript.Take(4).Select(m => (string)m!["role"]!));
        Assert.Equal(new DateTimeOffset(2025, 11, 27, 9, 15, 0, TimeSpan.Zero), (DateTimeOffset)transcript[0]!["created_at"]!);
        Assert.Equal(("newsletter", "winter-sale"), ((string?)ada["metadata"]!["utm"]!["utm_source"], (string?)ada["metadata"]!["utm"]!["utm_campaign"]));

        // Cy's answer spans lines and quotes, and his phone lost the quote Typebot puts before a leading +.
        var cy = Assert.Single(closed, c => (int)c!["message_count"]! == 16 && c.Id() != ada.Id())!;
        var cyTexts = (await TranscriptAsync(client, cy.Id())).Select(m => (string)m!["text"]!).ToList();
        Assert.Contains("+1 415 555 0100", cyTexts);
        Assert.Contains(cyTexts, t => t.StartsWith("Two things:", StringComparison.Ordinal) && t.EndsWith("The \"Express\" option", StringComparison.Ordinal));

        var leads = (await (await client.GetAsync("/v1/leads")).JsonAsync(HttpStatusCode.OK))["data"]!.AsArray();
        Assert.Equal(["ada@acme.example", "cy@shop.example", "dee@acme.example"], leads.Select(l => (string)l!["fields"]!["email"]!).Order());
        var adaLead = leads.Single(l => (string?)l!["fields"]!["email"] == "ada@acme.example")!;
        Assert.Equal(("Ada Lovelace", "+442079460000", ada.Id()), ((string?)adaLead["fields"]!["name"], (string?)adaLead["fields"]!["phone"], (string?)adaLead["conversation_id"]));
        Assert.Equal("Website redesign", (string?)adaLead["fields"]!["custom"]!["Interest"]);
        // Dee's phone cannot be read as a number: her lead keeps the rest.
        Assert.Null(leads.Single(l => (string?)l!["fields"]!["email"] == "dee@acme.example")!["fields"]!["phone"]);
    }

    [Fact]
    public async Task ImportTypebot_SameResultsTwiceThenALaterExport_NothingTwiceAndOnlyTheNewRow()
    {
        var (_, key) = await app.CreateWorkspaceAsync("Typebot results twice");
        var client = app.Client(key);
        var botId = await client.CreateBotAsync("Acme lead generation");
        var first = await (await ImportAsync(client, Results(), botId)).JsonAsync(HttpStatusCode.Created);
        var before = await CountsAsync();

        var second = await (await ImportAsync(client, Results(), botId)).JsonAsync(HttpStatusCode.OK);

        Assert.Equal((first.Id(), true), (second.Id(), (bool)second["repeated"]!));
        Assert.Equal(before, await CountsAsync());

        var later = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(Results()) + "\"Dec 1, 2025, 08:00 AM\",Eve,eve@acme.example,,Support,,,,,,,\r\n");
        var third = await (await ImportAsync(client, later, botId)).JsonAsync(HttpStatusCode.Created);

        Assert.Equal((1, 1), ((int)third["summary"]!["conversations"]!, (int)third["summary"]!["leads"]!));
        Assert.Equal(5, (await ClosedAsync(client, botId)).Count);
    }

    [Theory]
    [InlineData("Submitted at,Name,Email\r\n\"Nov 27, 2025, 09:15 AM,Ada,ada@acme.example\r\n", "never ends")]
    [InlineData("Submitted at,Name\r\n\"Nov 27, 2025, 09:15 AM\",Ada,ada@acme.example\r\n", "Line 2 has 3 fields; the header has 2")]
    public async Task ImportTypebot_MalformedResultsCsv_422WithTheReasonAndNothingWritten(string csv, string reason)
    {
        var client = app.Client();
        var before = await CountsAsync();

        var problem = await (await ImportAsync(client, Encoding.UTF8.GetBytes(csv))).ProblemAsync(HttpStatusCode.UnprocessableEntity, "invalid_import_file");

        Assert.Contains(reason, (string?)problem["detail"]);
        Assert.Equal(before, await CountsAsync());
    }
}
