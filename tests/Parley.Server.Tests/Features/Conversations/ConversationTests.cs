using System.Net;
using Microsoft.EntityFrameworkCore;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Features.Conversations;

public sealed class ConversationTests(ParleyApp app) : IClassFixture<ParleyApp>
{
    [Fact]
    public async Task Start_BotWithGreeting_ReturnsConversationAndGreetingFirst()
    {
        var client = app.Client();
        var botId = await client.CreateBotAsync(greeting: "Welcome to Rosa's Bakery!");
        var started = await client.StartConversationAsync(botId, metadata: new
        {
            page_url = "https://bakery.example/cakes?utm_source=newsletter&utm_campaign=spring",
            referrer = "https://mail.example/",
            locale = "en-GB",
            user_agent = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Mobile/15E148",
        });

        var conversation = started["conversation"]!;
        Assert.StartsWith("conv_", conversation.Id(), StringComparison.Ordinal);
        Assert.Equal("open", (string?)conversation["status"]);
        Assert.Equal("api", (string?)conversation["channel"]);
        Assert.Equal("newsletter", (string?)conversation["metadata"]!["utm"]!["utm_source"]);
        Assert.Equal("spring", (string?)conversation["metadata"]!["utm"]!["utm_campaign"]);
        Assert.Equal("mobile", (string?)conversation["metadata"]!["device"]);
        var greeting = Assert.Single(started["messages"]!.AsArray());
        Assert.Equal("bot", (string?)greeting!["role"]);
        Assert.Equal("Welcome to Rosa's Bakery!", (string?)greeting["text"]);
    }

    [Fact]
    public async Task SendMessage_RoundTrip_ReplyWithTimingsAndServerTiming()
    {
        var client = app.Client();
        var botId = await client.CreateBotAsync();
        var conversationId = (await client.StartConversationAsync(botId))["conversation"]!.Id();

        var response = await client.PostJsonAsync($"/v1/conversations/{conversationId}/messages", new { text = "Do you deliver on Sundays?" });
        var turn = await response.JsonAsync(HttpStatusCode.OK);

        var reply = Assert.Single(turn["messages"]!.AsArray())!;
        Assert.Equal("bot", (string?)reply["role"]);
        Assert.Equal("A person will get back to you.", (string?)reply["text"]);
        Assert.Equal("Do you deliver on Sundays?", (string?)turn["user_message"]!["text"]);
        Assert.Equal(3, (int?)turn["conversation"]!["message_count"]);
        var stages = reply["timings"]!.AsObject().Select(p => p.Key).ToList();
        Assert.Equal(["capture", "authenticate", "route", "generate", "side_effects", "return"], stages);

        var serverTiming = string.Join(",", response.Headers.GetValues("Server-Timing"));
        foreach (var stage in stages)
        {
            Assert.Contains(stage + ";dur=", serverTiming, StringComparison.Ordinal);
        }
        Assert.True(response.Headers.Contains("X-Request-Id"));
    }

    [Fact]
    public async Task SendMessage_FreshMetadata_UpdatesTheConversationAndBadMetadataChangesNothing()
    {
        var client = app.Client();
        var id = (await client.StartConversationAsync(await client.CreateBotAsync(), metadata: new { page_url = "https://bakery.example/" }))["conversation"]!.Id();

        var turn = await (await client.PostJsonAsync($"/v1/conversations/{id}/messages", new
        {
            text = "Do you have cakes?",
            metadata = new { page_url = "https://bakery.example/cakes?utm_source=newsletter", locale = "fr-FR" },
        })).JsonAsync(HttpStatusCode.OK);
        var refused = await (await client.PostJsonAsync($"/v1/conversations/{id}/messages", new
        {
            text = "Still there?",
            metadata = new { page_url = "javascript:alert(1)" },
        })).ProblemAsync(HttpStatusCode.BadRequest, "invalid_request");

        var metadata = turn["conversation"]!["metadata"]!;
        Assert.Equal("https://bakery.example/cakes?utm_source=newsletter", (string?)metadata["page_url"]);
        Assert.Equal("newsletter", (string?)metadata["utm"]!["utm_source"]);
        Assert.Equal("fr-FR", (string?)metadata["locale"]);
        Assert.NotNull(refused["errors"]!["metadata.page_url"]);
        var stored = await (await client.GetAsync($"/v1/conversations/{id}")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("https://bakery.example/cakes?utm_source=newsletter", (string?)stored["metadata"]!["page_url"]);
        Assert.Equal((int?)turn["conversation"]!["message_count"], (int?)stored["message_count"]);
    }

    [Fact]
    public async Task Transcript_OldestFirst_PagesForward()
    {
        var client = app.Client();
        var conversationId = (await client.StartConversationAsync(await client.CreateBotAsync()))["conversation"]!.Id();
        for (var i = 0; i < 3; i++)
        {
            await client.SendAsync(conversationId, $"question {i}");
        }

        var first = await (await client.GetAsync($"/v1/conversations/{conversationId}/messages?limit=4")).JsonAsync(HttpStatusCode.OK);
        Assert.True((bool)first["has_more"]!);
        var second = await (await client.GetAsync($"/v1/conversations/{conversationId}/messages?limit=4&after={first["next_cursor"]}")).JsonAsync(HttpStatusCode.OK);
        Assert.False((bool)second["has_more"]!);

        var all = first["data"]!.AsArray().Concat(second["data"]!.AsArray()).ToList();
        Assert.Equal(7, all.Count);
        Assert.Equal(["bot", "user", "bot", "user", "bot", "user", "bot"], all.Select(m => (string)m!["role"]!));
        Assert.Equal(["question 0", "question 1", "question 2"], all.Where(m => (string?)m!["role"] == "user").Select(m => (string)m!["text"]!));
        var ids = all.Select(m => (string)m!["id"]!).ToList();
        Assert.Equal(ids.Order(StringComparer.Ordinal), ids);
    }

    [Fact]
    public async Task Turn_RecordsEventsInTheSameCommit()
    {
        var client = app.Client();
        var conversationId = (await client.StartConversationAsync(await client.CreateBotAsync()))["conversation"]!.Id();
        await client.SendAsync(conversationId, "hello");

        var events = await (await client.GetAsync($"/v1/events?conversation_id={conversationId}")).JsonAsync(HttpStatusCode.OK);
        var types = events["data"]!.AsArray().Select(e => (string)e!["type"]!).Reverse().ToList();
        Assert.Equal(["conversation.started", "message.created", "message.created", "message.created"], types);
        var latest = events["data"]![0]!;
        Assert.StartsWith("evt_", latest.Id(), StringComparison.Ordinal);
        Assert.Equal(conversationId, (string?)latest["data"]!["conversation_id"]);

        var started = await (await client.GetAsync("/v1/events?type=conversation.started&limit=100")).JsonAsync(HttpStatusCode.OK);
        Assert.All(started["data"]!.AsArray(), e => Assert.Equal("conversation.started", (string?)e!["type"]));
    }

    [Fact]
    public async Task Start_SameExternalId_ReusesContact()
    {
        var client = app.Client();
        var botId = await client.CreateBotAsync();
        var contact = new { external_id = "crm-42", name = "Ana", email = "ana@example.com", attributes = new { plan = "gold" } };
        var first = await client.StartConversationAsync(botId, contact);
        var second = await client.StartConversationAsync(botId, new { external_id = "crm-42" });
        Assert.Equal(first["conversation"]!.Id("contact_id"), second["conversation"]!.Id("contact_id"));
        Assert.NotEqual(first["conversation"]!.Id(), second["conversation"]!.Id());
    }

    [Fact]
    public async Task List_Filters_ByBotStatusAndCreatedAfter()
    {
        var client = app.Client();
        var botA = await client.CreateBotAsync("A");
        var botB = await client.CreateBotAsync("B");
        var a1 = (await client.StartConversationAsync(botA))["conversation"]!.Id();
        // Ids carry millisecond timestamps: keep the cutoff in a millisecond of its own.
        await Task.Delay(5);
        var cutoff = DateTimeOffset.UtcNow;
        await Task.Delay(5);
        var a2 = (await client.StartConversationAsync(botA))["conversation"]!.Id();
        await client.StartConversationAsync(botB);

        var byBot = await (await client.GetAsync($"/v1/conversations?bot_id={botA}")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal([a2, a1], byBot["data"]!.AsArray().Select(c => (string)c!["id"]!));

        var since = Uri.EscapeDataString(cutoff.ToString("O"));
        var recent = await (await client.GetAsync($"/v1/conversations?bot_id={botA}&created_after={since}")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal([a2], recent["data"]!.AsArray().Select(c => (string)c!["id"]!));

        var open = await (await client.GetAsync($"/v1/conversations?bot_id={botA}&status=open")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(2, open["data"]!.AsArray().Count);
        await (await client.GetAsync("/v1/conversations?status=sleeping")).ProblemAsync(HttpStatusCode.BadRequest, "invalid_request");
        await (await client.GetAsync("/v1/conversations?created_after=yesterday")).ProblemAsync(HttpStatusCode.BadRequest, "invalid_request");
    }

    [Fact]
    public async Task SendMessage_ClosedConversation_409AndNothingWritten()
    {
        var client = app.Client();
        var conversationId = (await client.StartConversationAsync(await client.CreateBotAsync()))["conversation"]!.Id();
        await app.DbAsync(db => db.Conversations.IgnoreQueryFilters().Where(c => c.Id == conversationId)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.Status, "closed")));
        var before = await app.RowCountsAsync();

        await (await client.PostJsonAsync($"/v1/conversations/{conversationId}/messages", new { text = "hello?" }))
            .ProblemAsync(HttpStatusCode.Conflict, "conflict");
        Assert.Equal(before, await app.RowCountsAsync());
    }

    [Fact]
    public async Task SendMessage_BotDeleted_409()
    {
        var client = app.Client();
        var botId = await client.CreateBotAsync();
        var conversationId = (await client.StartConversationAsync(botId))["conversation"]!.Id();
        (await client.DeleteAsync($"/v1/bots/{botId}")).EnsureSuccessStatusCode();

        await (await client.PostJsonAsync($"/v1/conversations/{conversationId}/messages", new { text = "anyone?" }))
            .ProblemAsync(HttpStatusCode.Conflict, "conflict");
        (await client.GetAsync($"/v1/conversations/{conversationId}/messages")).EnsureSuccessStatusCode();
    }

    [Fact]
    public async Task SendMessage_Choice_StoredAsUserText()
    {
        var client = app.Client();
        var conversationId = (await client.StartConversationAsync(await client.CreateBotAsync()))["conversation"]!.Id();
        var turn = await (await client.PostJsonAsync($"/v1/conversations/{conversationId}/messages", new { choice = "opening_hours" }))
            .JsonAsync(HttpStatusCode.OK);
        Assert.Equal("opening_hours", (string?)turn["user_message"]!["text"]);
    }

    [Fact]
    public async Task SendMessage_Markup_StoredVerbatimAsText()
    {
        var client = app.Client();
        var conversationId = (await client.StartConversationAsync(await client.CreateBotAsync()))["conversation"]!.Id();
        const string payload = "<script>alert('x')</script> & \"quotes\"";
        var turn = await client.SendAsync(conversationId, payload);
        Assert.Equal(payload, (string?)turn["user_message"]!["text"]);
    }
}
