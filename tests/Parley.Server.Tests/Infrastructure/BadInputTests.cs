using System.Net;
using System.Text;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Infrastructure;

/// <summary>Every kind of bad input gets a clear 4xx problem and leaves the database exactly as it was.</summary>
public sealed class BadInputTests(ParleyApp app) : IClassFixture<ParleyApp>
{
    private async Task<string> ConversationAsync()
    {
        var client = app.Client();
        return (await client.StartConversationAsync(await client.CreateBotAsync()))["conversation"]!.Id();
    }

    private async Task AssertRejectedAsync(Func<HttpClient, Task<HttpResponseMessage>> send, HttpStatusCode status, string code, string? field = null, string? detailContains = null)
    {
        var client = app.Client();
        var before = await app.RowCountsAsync();
        var problem = await (await send(client)).ProblemAsync(status, code);
        if (field is not null)
        {
            Assert.True(problem["errors"]?[field] is not null, $"expected an error for '{field}': {problem.ToJsonString()}");
        }
        if (detailContains is not null)
        {
            Assert.Contains(detailContains, (string?)problem["detail"], StringComparison.Ordinal);
        }
        Assert.Equal(before, await app.RowCountsAsync());
    }

    [Fact]
    public async Task MalformedJson_400Body()
    {
        var id = await ConversationAsync();
        await AssertRejectedAsync(c => c.PostRawAsync($"/v1/conversations/{id}/messages", "{\"text\": \"unterminated"), HttpStatusCode.BadRequest, "invalid_request", "body");
    }

    [Fact]
    public async Task JsonArrayInsteadOfObject_400()
    {
        var id = await ConversationAsync();
        await AssertRejectedAsync(c => c.PostRawAsync($"/v1/conversations/{id}/messages", "[1,2]"), HttpStatusCode.BadRequest, "invalid_request", "body");
    }

    [Fact]
    public async Task WrongType_400NamesTheField()
    {
        var id = await ConversationAsync();
        await AssertRejectedAsync(c => c.PostRawAsync($"/v1/conversations/{id}/messages", "{\"text\": 42}"), HttpStatusCode.BadRequest, "invalid_request", "text");
        await AssertRejectedAsync(c => c.PostRawAsync("/v1/bots", "{\"name\": \"x\", \"model\": {\"temperature\": \"hot\"}}"), HttpStatusCode.BadRequest, "invalid_request", "model.temperature");
    }

    [Fact]
    public async Task EmptyBody_400()
    {
        var id = await ConversationAsync();
        await AssertRejectedAsync(c => c.PostRawAsync($"/v1/conversations/{id}/messages", ""), HttpStatusCode.BadRequest, "invalid_request", "body",
            "A JSON request body is required.");
    }

    [Fact]
    public async Task MissingText_400()
    {
        var id = await ConversationAsync();
        await AssertRejectedAsync(c => c.PostRawAsync($"/v1/conversations/{id}/messages", "{}"), HttpStatusCode.BadRequest, "invalid_request", "text");
    }

    [Fact]
    public async Task TextTooLong_400WithTheLimit()
    {
        var id = await ConversationAsync();
        await AssertRejectedAsync(c => c.PostJsonAsync($"/v1/conversations/{id}/messages", new { text = new string('x', 4001) }),
            HttpStatusCode.BadRequest, "invalid_request", "text", "4000");
    }

    [Fact]
    public async Task BodyOver64KB_413()
    {
        var id = await ConversationAsync();
        var huge = "{\"text\": \"" + new string('x', 70_000) + "\"}";
        await AssertRejectedAsync(c => c.PostRawAsync($"/v1/conversations/{id}/messages", huge), HttpStatusCode.RequestEntityTooLarge, "payload_too_large");
    }

    [Fact]
    public async Task NotJson_415()
    {
        var id = await ConversationAsync();
        await AssertRejectedAsync(c => c.PostRawAsync($"/v1/conversations/{id}/messages", "text=hello", "application/x-www-form-urlencoded"),
            HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");
        await AssertRejectedAsync(c => c.PostRawAsync("/v1/bots", "name: x", "text/plain"), HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");
    }

    [Fact]
    public async Task UnknownRoute_404Problem() =>
        await AssertRejectedAsync(c => c.GetAsync("/v1/nothing-here"), HttpStatusCode.NotFound, "not_found");

    [Fact]
    public async Task WrongMethod_405Problem() =>
        await AssertRejectedAsync(c => c.PutAsync("/v1/bots", new StringContent("{}", Encoding.UTF8, "application/json")), HttpStatusCode.MethodNotAllowed, "method_not_allowed");

    [Fact]
    public async Task UnknownConversation_404() =>
        await AssertRejectedAsync(c => c.PostJsonAsync("/v1/conversations/conv_nope/messages", new { text = "hi" }), HttpStatusCode.NotFound, "not_found");

    [Fact]
    public async Task BadTimestampQuery_400NamesTheSnakeCaseParameter() =>
        await AssertRejectedAsync(c => c.GetAsync("/v1/conversations?created_after=yesterday"), HttpStatusCode.BadRequest, "invalid_request", "created_after");

    [Theory]
    [InlineData("limit=0")]
    [InlineData("limit=101")]
    [InlineData("limit=many")]
    public async Task BadLimit_400(string query) =>
        await AssertRejectedAsync(c => c.GetAsync("/v1/bots?" + query), HttpStatusCode.BadRequest, "invalid_request", "limit");

    [Fact]
    public async Task InvalidBot_400ListsEveryField() =>
        await AssertRejectedAsync(c => c.PostJsonAsync("/v1/bots", new
        {
            name = "",
            model = new { provider = "skynet", temperature = 3.5, max_tokens = 0 },
            theme = new { primary_color = "blue", position = "middle" },
            guardrails = "strict",
        }), HttpStatusCode.BadRequest, "invalid_request", "name");

    [Fact]
    public async Task StartConversation_UnknownBotAndBadMetadata_400()
    {
        await AssertRejectedAsync(c => c.PostJsonAsync("/v1/conversations", new { bot_id = "bot_missing" }), HttpStatusCode.BadRequest, "invalid_request", "bot_id");
        await AssertRejectedAsync(c => c.PostJsonAsync("/v1/conversations", new { }), HttpStatusCode.BadRequest, "invalid_request", "bot_id");
        var botId = await app.Client().CreateBotAsync();
        await AssertRejectedAsync(c => c.PostJsonAsync("/v1/conversations", new { bot_id = botId, metadata = new { page_url = "javascript:alert(1)" } }),
            HttpStatusCode.BadRequest, "invalid_request", "metadata.page_url");
        await AssertRejectedAsync(c => c.PostJsonAsync("/v1/conversations", new { bot_id = botId, contact = new { email = "not-an-email" } }),
            HttpStatusCode.BadRequest, "invalid_request", "contact.email");
    }

    [Fact]
    public async Task IdempotencyKeyTooLong_400() =>
        await AssertRejectedAsync(c => c.PostJsonAsync("/v1/bots", new { name = "x" }, new string('k', 300)), HttpStatusCode.BadRequest, "invalid_request");

    [Fact]
    public async Task FlowDocumentOfInvalidUtf8_400Body()
    {
        var bot = await app.Client().CreateBotAsync();
        byte[] notUtf8 = [0x7B, 0x22, 0x61, 0x22, 0x3A, 0x22, 0xC3, 0x28, 0x22, 0x7D]; // {"a":"\xC3("}
        await AssertRejectedAsync(c => c.PutAsync($"/v1/bots/{bot}/flow", new ByteArrayContent(notUtf8) { Headers = { ContentType = new("application/json") } }),
            HttpStatusCode.BadRequest, "invalid_request", "body", "UTF-8");
    }

    [Fact]
    public async Task NulCharacter_StoredOnSqliteRefusedWithoutWritesOnPostgres()
    {
        var id = await ConversationAsync();
        if (ParleyApp.PostgresServer is null)
        {
            await (await app.Client().GetAsync($"/v1/conversations/{id}/messages?after=%00")).JsonAsync(HttpStatusCode.OK);
            var bot = await (await app.Client().PostJsonAsync("/v1/bots", new { name = "a\u0000b" })).JsonAsync(HttpStatusCode.Created);
            Assert.Equal("a\u0000b", (string?)bot["name"]);
            return;
        }
        await AssertRejectedAsync(c => c.GetAsync($"/v1/conversations/{id}/messages?after=%00"), HttpStatusCode.BadRequest, "invalid_request", detailContains: "NUL");
        await AssertRejectedAsync(c => c.PostJsonAsync("/v1/bots", new { name = "a\u0000b" }), HttpStatusCode.BadRequest, "invalid_request", detailContains: "NUL");
    }

    [Fact]
    public async Task TimeQueryWithOffset_SameInstantAsUtc()
    {
        var client = app.Client();
        var conversation = await ConversationAsync();
        var lead = (await (await client.PostJsonAsync("/v1/leads", new { conversation_id = conversation, fields = new { email = "offset@example.com" } }))
            .JsonAsync(HttpStatusCode.Created)).Id();
        async Task<bool> ListedAfterAsync(DateTimeOffset time) =>
            (await (await client.GetAsync($"/v1/leads?created_after={Uri.EscapeDataString(time.ToOffset(TimeSpan.FromHours(5.5)).ToString("O"))}"))
                .JsonAsync(HttpStatusCode.OK))["data"]!.AsArray().Any(l => l!.Id() == lead);

        Assert.True(await ListedAfterAsync(DateTimeOffset.UtcNow.AddMinutes(-5)));
        Assert.False(await ListedAfterAsync(DateTimeOffset.UtcNow.AddMinutes(5)));
    }

    [Fact]
    public async Task AvailabilityFromTheLastRepresentableWeek_200NoSlots()
    {
        var client = app.Client();
        var bot = await client.CreateBotAsync();
        var hours = new[] { new { start = "09:00", end = "17:00" } };
        await (await client.PatchJsonAsync($"/v1/bots/{bot}", new { booking = new { time_zone = "UTC", weekly_hours = new { monday = hours } } })).JsonAsync(HttpStatusCode.OK);
        var availability = await (await client.GetAsync($"/v1/bots/{bot}/availability?from=9999-12-31T23%3A59%3A59Z")).JsonAsync(HttpStatusCode.OK);
        Assert.Empty(availability["data"]!.AsArray());
    }
}
