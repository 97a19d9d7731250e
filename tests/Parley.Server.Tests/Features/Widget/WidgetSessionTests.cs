using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Features.Widget;

public sealed class WidgetSessionTests(ParleyApp app) : IClassFixture<ParleyApp>
{
    private const string Site = "https://shop.example";

    private async Task<(string BotId, string PublishableKey)> PublishableKeyAsync()
    {
        var owner = app.Client();
        var botId = await owner.CreateBotAsync("Widget bot", "Hi from the widget!");
        var key = await (await owner.PostJsonAsync("/v1/api-keys", new { name = "site", kind = "publishable", bot_id = botId, allowed_origins = new[] { Site } }))
            .JsonAsync(HttpStatusCode.Created);
        return (botId, (string)key["publishable_key"]!);
    }

    private HttpClient Browser(string token, string? origin = Site)
    {
        var client = app.Client(token);
        if (origin is not null)
        {
            client.DefaultRequestHeaders.Add("Origin", origin);
        }
        return client;
    }

    private async Task<JsonNode> OpenAsync(string publishableKey, object? body = null) =>
        await (await Browser(publishableKey).PostJsonAsync("/v1/widget/sessions", body ?? new { metadata = new { page_url = Site + "/pricing" } }))
            .JsonAsync(HttpStatusCode.OK);

    [Fact]
    public async Task Open_FromAllowedOrigin_SessionWithGreetingAndTheme()
    {
        var (botId, pk) = await PublishableKeyAsync();
        var session = await OpenAsync(pk);

        Assert.StartsWith("wst_", (string?)session["session_token"], StringComparison.Ordinal);
        Assert.False((bool)session["resumed"]!);
        Assert.Equal(botId, (string?)session["bot"]!["id"]);
        Assert.Equal("Hi from the widget!", (string?)session["bot"]!["greeting"]);
        Assert.Equal("widget", (string?)session["conversation"]!["channel"]);
        Assert.Equal("Hi from the widget!", (string?)session["messages"]![0]!["text"]);
    }

    [Fact]
    public async Task Open_FromOtherOriginOrNoOrigin_403OriginNotAllowed()
    {
        var (_, pk) = await PublishableKeyAsync();
        var before = await app.RowCountsAsync();
        await (await Browser(pk, "https://evil.example").PostJsonAsync("/v1/widget/sessions", new { })).ProblemAsync(HttpStatusCode.Forbidden, "origin_not_allowed");
        await (await Browser(pk, origin: null).PostJsonAsync("/v1/widget/sessions", new { })).ProblemAsync(HttpStatusCode.Forbidden, "origin_not_allowed");
        Assert.Equal(before, await app.RowCountsAsync());
    }

    [Fact]
    public async Task ReadBot_FromAllowedOrigin_ProfileAndNothingWritten()
    {
        var (botId, pk) = await PublishableKeyAsync();
        var before = await app.RowCountsAsync();

        var empty = await (await Browser(pk).PostAsync("/v1/widget/bot", new StringContent("", System.Text.Encoding.UTF8, "application/json")))
            .JsonAsync(HttpStatusCode.OK);
        var withBody = await (await Browser(pk).PostJsonAsync("/v1/widget/bot", new { })).JsonAsync(HttpStatusCode.OK);

        Assert.Equal(botId, (string?)empty["id"]);
        Assert.Equal("Widget bot", (string?)empty["name"]);
        Assert.Equal("Hi from the widget!", (string?)empty["greeting"]);
        Assert.NotNull(empty["theme"]);
        Assert.Equal(empty.ToJsonString(), withBody.ToJsonString());
        Assert.Equal(before, await app.RowCountsAsync());
    }

    [Fact]
    public async Task ReadBot_FromOtherOriginOrNoOrigin_403OriginNotAllowed()
    {
        var (_, pk) = await PublishableKeyAsync();
        await (await Browser(pk, "https://evil.example").PostJsonAsync("/v1/widget/bot", new { })).ProblemAsync(HttpStatusCode.Forbidden, "origin_not_allowed");
        await (await Browser(pk, origin: null).PostJsonAsync("/v1/widget/bot", new { })).ProblemAsync(HttpStatusCode.Forbidden, "origin_not_allowed");
    }

    [Fact]
    public async Task Session_SendsAndReadsItsOwnConversation()
    {
        var (_, pk) = await PublishableKeyAsync();
        var session = await OpenAsync(pk);
        var visitor = Browser((string)session["session_token"]!);
        var conversationId = session["conversation"]!.Id();

        var turn = await visitor.SendAsync(conversationId, "Is there a free trial?");
        Assert.Single(turn["messages"]!.AsArray());
        var transcript = await (await visitor.GetAsync($"/v1/conversations/{conversationId}/messages")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(3, transcript["data"]!.AsArray().Count);
        (await visitor.GetAsync($"/v1/conversations/{conversationId}")).EnsureSuccessStatusCode();
    }

    [Fact]
    public async Task Resume_WithStoredToken_SameConversationAndTranscript()
    {
        var (_, pk) = await PublishableKeyAsync();
        var first = await OpenAsync(pk);
        await Browser((string)first["session_token"]!).SendAsync(first["conversation"]!.Id(), "remember me");

        var second = await OpenAsync(pk, new { session_token = (string)first["session_token"]! });

        Assert.True((bool)second["resumed"]!);
        Assert.Equal(first["conversation"]!.Id(), second["conversation"]!.Id());
        Assert.Contains(second["messages"]!.AsArray(), m => (string?)m!["text"] == "remember me");
    }

    [Fact]
    public async Task Resume_WithContact_UpdatesTheSessionsOwnContact()
    {
        var (_, pk) = await PublishableKeyAsync();
        var first = await OpenAsync(pk);
        var contactId = first["conversation"]!.Id("contact_id");
        var contactsBefore = await app.DbAsync(db => db.Contacts.IgnoreQueryFilters().CountAsync());

        var identified = await OpenAsync(pk, new { session_token = (string)first["session_token"]!, contact = new { email = "ada@example.com", name = "Ada" } });

        Assert.Equal(first["conversation"]!.Id(), identified["conversation"]!.Id());
        Assert.Equal(contactsBefore, await app.DbAsync(db => db.Contacts.IgnoreQueryFilters().CountAsync()));
        var contact = await app.DbAsync(db => db.Contacts.IgnoreQueryFilters().SingleAsync(c => c.Id == contactId));
        Assert.Equal(("ada@example.com", "Ada"), (contact.Email, contact.Name));
    }

    [Fact]
    public async Task Session_OtherVisitorsConversation_404AndCannotWrite()
    {
        var (_, pk) = await PublishableKeyAsync();
        var alice = await OpenAsync(pk);
        var bob = await OpenAsync(pk);
        var bobClient = Browser((string)bob["session_token"]!);
        var aliceConversation = alice["conversation"]!.Id();
        var before = await app.RowCountsAsync();

        await (await bobClient.GetAsync($"/v1/conversations/{aliceConversation}/messages")).ProblemAsync(HttpStatusCode.NotFound, "not_found");
        await (await bobClient.GetAsync($"/v1/conversations/{aliceConversation}")).ProblemAsync(HttpStatusCode.NotFound, "not_found");
        await (await bobClient.PostJsonAsync($"/v1/conversations/{aliceConversation}/messages", new { text = "hijack" })).ProblemAsync(HttpStatusCode.NotFound, "not_found");
        Assert.Equal(before, await app.RowCountsAsync());
    }

    [Fact]
    public async Task PublishableKeyAndSession_CannotUseTheManagementApi()
    {
        var (_, pk) = await PublishableKeyAsync();
        var session = await OpenAsync(pk);
        await (await Browser(pk).GetAsync("/v1/bots")).ProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await (await Browser((string)session["session_token"]!).GetAsync("/v1/bots")).ProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await (await Browser((string)session["session_token"]!).GetAsync("/v1/conversations")).ProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await (await app.Client().PostJsonAsync("/v1/widget/sessions", new { })).ProblemAsync(HttpStatusCode.Forbidden, "forbidden");
    }

    [Fact]
    public async Task Session_ExternalIdCannotBeClaimedFromAPage()
    {
        var owner = app.Client();
        var (botId, pk) = await PublishableKeyAsync();
        var known = await owner.StartConversationAsync(botId, new { external_id = "vip-1", name = "VIP" });
        var session = await OpenAsync(pk, new { contact = new { name = "Mallory" }, external_id = "vip-1" });
        Assert.NotEqual(known["conversation"]!.Id("contact_id"), session["conversation"]!.Id("contact_id"));
    }

    [Fact]
    public async Task Session_PublishableKeyRevoked_401()
    {
        var owner = app.Client();
        var botId = await owner.CreateBotAsync();
        var key = await (await owner.PostJsonAsync("/v1/api-keys", new { name = "site", kind = "publishable", bot_id = botId, allowed_origins = new[] { Site } }))
            .JsonAsync(HttpStatusCode.Created);
        var session = await OpenAsync((string)key["publishable_key"]!);
        var visitor = Browser((string)session["session_token"]!);
        await visitor.SendAsync(session["conversation"]!.Id(), "before");

        (await owner.DeleteAsync($"/v1/api-keys/{key.Id()}")).EnsureSuccessStatusCode();

        await (await visitor.PostJsonAsync($"/v1/conversations/{session["conversation"]!.Id()}/messages", new { text = "after" }))
            .ProblemAsync(HttpStatusCode.Unauthorized, "invalid_api_key");
    }

    [Fact]
    public async Task Preflight_FromAnyOrigin_AllowsTheWidgetHeaders()
    {
        var request = new HttpRequestMessage(HttpMethod.Options, "/v1/widget/sessions");
        request.Headers.Add("Origin", Site);
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "authorization,content-type,idempotency-key");
        var response = await app.Client(null).SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, response.StatusCode.ToString());
        Assert.Equal(Site, response.Headers.GetValues("Access-Control-Allow-Origin").Single());
    }
}

[Trait(Storage.Trait, Storage.Independent)]
public sealed class WidgetRateLimitTests(LowRateLimitApp app) : IClassFixture<LowRateLimitApp>
{
    [Fact]
    public async Task Session_OverMessageLimit_429()
    {
        var owner = app.Client();
        var botId = await owner.CreateBotAsync();
        var pk = (string)(await (await owner.PostJsonAsync("/v1/api-keys", new { name = "site", kind = "publishable", bot_id = botId, allowed_origins = new[] { "*" } }))
            .JsonAsync(HttpStatusCode.Created))["publishable_key"]!;
        var browser = app.Client(pk);
        browser.DefaultRequestHeaders.Add("Origin", "https://anywhere.example");
        var session = await (await browser.PostJsonAsync("/v1/widget/sessions", new { })).JsonAsync(HttpStatusCode.OK);
        var visitor = app.Client((string)session["session_token"]!);
        var conversationId = session["conversation"]!.Id();

        for (var i = 0; i < 3; i++)
        {
            await visitor.SendAsync(conversationId, $"m{i}");
        }
        var problem = await (await visitor.PostJsonAsync($"/v1/conversations/{conversationId}/messages", new { text = "m4" }))
            .ProblemAsync(HttpStatusCode.TooManyRequests, "rate_limited");
        Assert.Contains("3 requests a minute", (string?)problem["detail"], StringComparison.Ordinal);
        (await visitor.GetAsync($"/v1/conversations/{conversationId}/messages")).EnsureSuccessStatusCode();
    }
}
