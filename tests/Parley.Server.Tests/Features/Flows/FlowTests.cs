using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Parley.Server.Tests.Infrastructure;
using static Parley.Server.Tests.Features.Flows.FlowApi;

namespace Parley.Server.Tests.Features.Flows;

public sealed class FlowTests(FlowApp app) : IClassFixture<FlowApp>
{
    private static readonly string NameFlow = Flow("ask",
        [Node("ask", "ask", """{"text": "Your name?", "variable": "name"}"""), Node("end", "end", """{"text": "VERSION {{name}}"}""")],
        [Edge("ask", "next", "end")]);

    [Fact]
    public async Task SaveDraft_InvalidFlow_422WithErrorsPerBlockAndNothingSaved()
    {
        var client = app.Client();
        var botId = await client.CreateBotAsync();
        var flow = Flow("hello",
            [Node("hello", "message", """{"text": "Hi"}"""), Node("hello", "end"), Node("what", "teleport"), Node("ask", "ask", "{}"),
             Node("spin", "set_variable", """{"variable": "x", "value": "1"}"""), Node("again", "jump", """{"target": "spin"}""")],
            [Edge("hello", "next", "ghost"), Edge("hello", "sideways", "ask"), Edge("spin", "next", "again")]);

        var problem = await (await client.PutFlowAsync(botId, flow)).ProblemAsync(HttpStatusCode.UnprocessableEntity, "invalid_flow");

        var errors = problem["errors"]!;
        Assert.Contains(errors["hello"]!.AsArray(), m => ((string)m!).Contains("more than one block", StringComparison.Ordinal));
        Assert.Contains(errors["hello"]!.AsArray(), m => ((string)m!).Contains("'ghost'", StringComparison.Ordinal));
        Assert.Contains(errors["hello"]!.AsArray(), m => ((string)m!).Contains("port 'sideways'", StringComparison.Ordinal));
        Assert.Contains(errors["what"]!.AsArray(), m => ((string)m!).Contains("Unknown block type", StringComparison.Ordinal));
        Assert.Contains(errors["ask"]!.AsArray(), m => ((string)m!).Contains("settings.text is required", StringComparison.Ordinal));
        Assert.Contains(errors["spin"]!.AsArray(), m => ((string)m!).Contains("never waits", StringComparison.Ordinal));
        Assert.Contains(errors["spin"]!.AsArray(), m => ((string)m!).Contains("cannot be reached", StringComparison.Ordinal));
        var draft = await (await client.GetAsync($"/v1/bots/{botId}/flow")).JsonAsync(HttpStatusCode.OK);
        Assert.Null(draft["draft"]);
        Assert.Null(draft["published_version"]);
    }

    [Fact]
    public async Task SaveDraft_NotJsonObjectOrUnknownBot_ClearProblems()
    {
        var client = app.Client();
        var botId = await client.CreateBotAsync();
        await (await client.PutFlowAsync(botId, "[1, 2]")).ProblemAsync(HttpStatusCode.UnprocessableEntity, "invalid_flow");
        await (await client.PutFlowAsync(botId, "{not json")).ProblemAsync(HttpStatusCode.BadRequest, "invalid_request");
        await (await client.PutFlowAsync("bot_missing", NameFlow)).ProblemAsync(HttpStatusCode.NotFound, "not_found");
        await (await client.PostAsync($"/v1/bots/{botId}/flow/publish", null)).ProblemAsync(HttpStatusCode.Conflict, "conflict");
        await (await client.GetAsync($"/v1/bots/{botId}/flow/versions/1")).ProblemAsync(HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task Publish_TwoVersions_ListedAndReadableAsPublished()
    {
        var client = app.Client();
        var botId = await client.CreateBotAsync();
        await client.PublishAsync(botId, NameFlow.Replace("VERSION", "one", StringComparison.Ordinal));
        await client.PublishAsync(botId, NameFlow.Replace("VERSION", "two", StringComparison.Ordinal));

        var versions = await (await client.GetAsync($"/v1/bots/{botId}/flow/versions")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal([2, 1], versions["data"]!.AsArray().Select(v => (int)v!["version"]!));
        var first = await (await client.GetAsync($"/v1/bots/{botId}/flow/versions/1")).JsonAsync(HttpStatusCode.OK);
        Assert.Contains("one {{name}}", first["flow"]!.ToJsonString(), StringComparison.Ordinal);
        var draft = await (await client.GetAsync($"/v1/bots/{botId}/flow")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(2, (int)draft["published_version"]!);
        Assert.Equal("ask", (string?)draft["draft"]!["start"]);
    }

    [Fact]
    public async Task Publish_WhileConversationRuns_ItStaysOnItsVersion()
    {
        var client = app.Client();
        var botId = await client.CreateBotAsync();
        await client.PublishAsync(botId, NameFlow.Replace("VERSION", "one", StringComparison.Ordinal));
        var before = await client.StartConversationAsync(botId);
        Assert.Equal(["Your name?"], before.Texts());

        await client.PublishAsync(botId, NameFlow.Replace("VERSION", "two", StringComparison.Ordinal).Replace("Your name?", "Name, please?", StringComparison.Ordinal));
        var after = await client.StartConversationAsync(botId);

        Assert.Equal(["one Ada"], (await client.SendAsync(before["conversation"]!.Id(), "Ada")).Texts());
        Assert.Equal(["Name, please?"], after.Texts());
        Assert.Equal(["two Bob"], (await client.SendAsync(after["conversation"]!.Id(), "Bob")).Texts());
        var pinned = await app.DbAsync(db => db.Conversations.IgnoreQueryFilters()
            .Where(c => c.BotId == botId).OrderBy(c => c.Id).Select(c => c.FlowVersion).ToListAsync());
        Assert.Equal([1, 2], pinned);
    }

    [Fact]
    public async Task Conversation_FlowFinished_ResponderAnswersAfterwards()
    {
        var client = app.Client();
        var botId = await client.CreateBotAsync(greeting: "Greeting not used");
        await client.PublishAsync(botId, NameFlow);
        var conversation = (await client.StartConversationAsync(botId))["conversation"]!.Id();
        await client.SendAsync(conversation, "Ada");

        var after = await client.SendAsync(conversation, "What are your hours?");

        Assert.Equal(["A person will get back to you."], after.Texts());
    }

    [Fact]
    public async Task Conversation_EveryBlockType_RunsThroughHttp()
    {
        var client = app.Client();
        await using var site = await LocalSite.StartAsync(new Dictionary<string, (string, string)>
        {
            ["/price.json"] = ("application/json", """{"plans": [{"name": "Basic", "price": 42}]}"""),
        });
        var botId = await client.CreateBotAsync();
        var priceUrl = site.Url("/price.json");
        await client.PublishAsync(botId, Flow("hello",
            [Node("hello", "message", """{"text": "Welcome to **Rosa's**", "image": {"url": "https://cdn.example/rosa.png", "alt": "Rosa"}}"""),
             Node("pick", "choice", """{"text": "What brings you here?", "options": [{"id": "quote", "label": "A quote"}, {"id": "other", "label": "Something else"}]}"""),
             Node("email", "ask", """{"text": "Your email?", "variable": "email", "input": "email"}"""),
             Node("phone", "ask", """{"text": "Your phone?", "variable": "phone", "input": "phone", "default_region": "GB"}"""),
             Node("tag", "set_variable", """{"variable": "segment", "value": "vip-{{email}}"}"""),
             Node("where", "condition", """{"rules": [{"source": "page_url", "operator": "contains", "value": "/pricing"}]}"""),
             Node("call", "http", $$$"""{"method": "GET", "url": "{{{priceUrl}}}?who={{email}}", "response_mapping": {"price": "$.plans[0].price"}, "timeout_seconds": 5}"""),
             Node("quote", "message", """{"text": "From {{price}} a month."}"""),
             Node("lead", "capture_lead", """{"fields": {"email": "{{email}}", "phone": "{{phone}}"}, "custom": {"segment": "{{segment}}"}}"""),
             Node("book", "book_appointment", """{"text": "Pick a time:", "slots": 2, "confirmation_text": "Booked ({{booking_id}})."}"""),
             Node("ai", "ai_answer", """{"text": "Anything else?", "exit_keywords": ["bye"], "max_turns": 3}"""),
             Node("out", "jump", """{"target": "end"}"""),
             Node("human", "handoff", """{"text": "Connecting you to a person.", "reason": "ai_exhausted"}"""),
             Node("end", "end", """{"text": "Bye {{email}}!"}""")],
            [Edge("hello", "next", "pick"), Edge("pick", "quote", "email"), Edge("pick", "other", "end"), Edge("email", "next", "phone"),
             Edge("phone", "next", "tag"), Edge("tag", "next", "where"), Edge("where", "true", "call"), Edge("where", "false", "lead"),
             Edge("call", "ok", "quote"), Edge("call", "error", "lead"), Edge("quote", "next", "lead"), Edge("lead", "next", "book"),
             Edge("book", "booked", "ai"), Edge("ai", "matched", "out"), Edge("ai", "done", "human")]));

        var started = await client.StartConversationAsync(botId, metadata: new { page_url = "https://rosa.example/pricing" });
        var conversation = started["conversation"]!.Id();
        Assert.Equal(["Welcome to **Rosa's**\n\n![Rosa](https://cdn.example/rosa.png)", "What brings you here?"], started.Texts());
        Assert.Equal(["quote", "other"], started["messages"]![1]!.Choices());

        Assert.Equal(["Your email?"], (await client.ChooseAsync(conversation, "quote")).Texts());
        var retry = await client.SendAsync(conversation, "ada at example");
        Assert.Contains("email address", Assert.Single(retry.Texts()), StringComparison.Ordinal);
        Assert.Equal(["Your phone?"], (await client.SendAsync(conversation, "ada@example.com")).Texts());
        var offered = await client.SendAsync(conversation, "020 7946 0958");
        Assert.Equal(["From 42 a month.", "Pick a time:"], offered.Texts());
        var slots = offered["messages"]![1]!.Choices();
        Assert.Equal(2, slots.Length);
        var lead = Assert.Single(app.Leads.Received, l => l.ConversationId == conversation);
        Assert.Equal(("ada@example.com", "+442079460958", "vip-ada@example.com"), (lead.Email, lead.Phone, lead.Custom["segment"]));

        var booked = await client.ChooseAsync(conversation, slots[1]);
        Assert.StartsWith("Booked (bk_", booked.Texts()[0], StringComparison.Ordinal);
        Assert.Equal("Anything else?", booked.Texts()[1]);
        Assert.Equal(conversation, app.Bookings.Booked[DateTimeOffset.Parse(slots[1], System.Globalization.CultureInfo.InvariantCulture)].ConversationId);

        Assert.Equal(["A person will get back to you."], (await client.SendAsync(conversation, "Do you deliver?")).Texts());
        Assert.Equal(["Bye ada@example.com!"], (await client.SendAsync(conversation, "ok bye")).Texts());
        var state = await app.DbAsync(db => db.Conversations.IgnoreQueryFilters().Where(c => c.Id == conversation).Select(c => c.FlowStateJson).FirstAsync());
        Assert.Contains("\"finished\":true", state, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Conversation_AiAnswerRunsOutOfTurns_HandsOff()
    {
        var client = app.Client();
        var botId = await client.CreateBotAsync();
        await client.PublishAsync(botId, Flow("ai",
            [Node("ai", "ai_answer", """{"max_turns": 2}"""), Node("human", "handoff", """{"text": "Let me get a person.", "reason": "ai_exhausted"}""")],
            [Edge("ai", "done", "human")]));
        var conversation = (await client.StartConversationAsync(botId))["conversation"]!.Id();

        Assert.Equal(["A person will get back to you."], (await client.SendAsync(conversation, "one")).Texts());
        var handedOff = await client.SendAsync(conversation, "two");

        // The flow's handoff block asks for a person; the handoff feature moves the conversation and tells the visitor.
        Assert.Equal("handoff", (string?)handedOff["conversation"]!["status"]);
        Assert.Contains(await app.DbAsync(db => db.Conversations.IgnoreQueryFilters().Where(c => c.Id == conversation).Select(c => c.HandoffReason).FirstAsync()),
            new[] { "ai_exhausted" });
    }

    [Fact]
    public async Task HttpBlock_PostsFilledJsonToARealListener_AndFollowsErrorOnFailure()
    {
        var client = app.Client();
        await using var receiver = await WebhookReceiver.StartAsync();
        var botId = await client.CreateBotAsync();
        await client.PublishAsync(botId, Flow("name",
            [Node("name", "ask", """{"text": "Name?", "variable": "name"}"""),
             Node("call", "http", $$$"""{"method": "POST", "url": "{{{receiver.Url}}}", "headers": {"X-Tenant": "rosa"}, "body": {"name": "{{name}}", "source": "chat"}}"""),
             Node("ok", "end", """{"text": "Sent ({{http_status}})."}"""), Node("failed", "end", """{"text": "Could not send ({{http_status}})."}""")],
            [Edge("name", "next", "call"), Edge("call", "ok", "ok"), Edge("call", "error", "failed")]));

        var first = (await client.StartConversationAsync(botId))["conversation"]!.Id();
        Assert.Equal(["Sent (200)."], (await client.SendAsync(first, "Zoë \"Z\" Å")).Texts());
        var request = Assert.Single(await receiver.WaitForAsync(1));
        Assert.Equal("rosa", request.Headers["x-tenant"]);
        Assert.StartsWith("application/json", request.Headers["content-type"], StringComparison.Ordinal);
        var body = JsonNode.Parse(request.Body)!;
        Assert.Equal("Zoë \"Z\" Å", (string?)body["name"]);
        Assert.Equal("chat", (string?)body["source"]);

        receiver.Answer(500);
        var second = (await client.StartConversationAsync(botId))["conversation"]!.Id();
        Assert.Equal(["Could not send (500)."], (await client.SendAsync(second, "Bob")).Texts());
    }

    [Fact]
    public async Task Templates_EachValidatesAndRunsEndToEnd()
    {
        var client = app.Client();

        var faq = await (await client.PostJsonAsync("/v1/bots", new { name = "FAQ", template = "faq_lead_capture" })).JsonAsync(HttpStatusCode.Created);
        var faqConversation = await client.StartConversationAsync(faq.Id());
        Assert.Single(faqConversation.Texts());
        var id = faqConversation["conversation"]!.Id();
        Assert.Equal(["Great! What is your name?"], (await client.SendAsync(id, "Please contact me")).Texts());
        Assert.Equal(["Thanks Ada. Which email address should we use?"], (await client.SendAsync(id, "Ada")).Texts());
        Assert.Equal(["Thank you, Ada! We will be in touch at ada@faq.example soon."], (await client.SendAsync(id, "ada@faq.example")).Texts());
        Assert.Contains(app.Leads.Received, l => l.Email == "ada@faq.example" && l.Name == "Ada" && l.Custom["source"] == "faq_lead_capture");

        var booking = await (await client.PostJsonAsync("/v1/bots", new { name = "Book", template = "appointment_booking" })).JsonAsync(HttpStatusCode.Created);
        var bookingStart = await client.StartConversationAsync(booking.Id());
        Assert.Equal(["book", "question"], bookingStart["messages"]![0]!.Choices());
        id = bookingStart["conversation"]!.Id();
        await client.ChooseAsync(id, "book");
        await client.SendAsync(id, "Bea");
        var times = await client.SendAsync(id, "bea@book.example");
        var slot = times["messages"]![0]!.Choices()[0];
        var done = await client.ChooseAsync(id, slot);
        Assert.Equal(["All set, Bea! Your appointment is booked; a confirmation is on its way to bea@book.example.", "Anything else? Just ask."], done.Texts());

        var qualify = await (await client.PostJsonAsync("/v1/bots", new { name = "Sales", template = "qualify_handoff" })).JsonAsync(HttpStatusCode.Created);
        var qualifyStart = await client.StartConversationAsync(qualify.Id());
        Assert.Equal(2, qualifyStart.Texts().Length);
        id = qualifyStart["conversation"]!.Id();
        Assert.Equal(["What is your work email?"], (await client.ChooseAsync(id, "large")).Texts());
        await client.SendAsync(id, "cto@big.example");
        Assert.Equal("handoff", (string?)(await client.SendAsync(id, "5000"))["conversation"]!["status"]);
        Assert.Contains(app.Leads.Received, l => l.Email == "cto@big.example" && l.Custom["segment"] == "enterprise" && l.Custom["budget"] == "5000");

        var versions = await (await client.GetAsync($"/v1/bots/{qualify.Id()}/flow/versions")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(1, (int)Assert.Single(versions["data"]!.AsArray())!["version"]!);
    }

    [Fact]
    public async Task CreateBot_UnknownTemplate_400AndNothingWritten()
    {
        var client = app.Client();
        var before = await app.RowCountsAsync();

        var problem = await (await client.PostJsonAsync("/v1/bots", new { name = "X", template = "crystal_ball" })).ProblemAsync(HttpStatusCode.BadRequest, "invalid_request");

        Assert.Contains("faq_lead_capture", (string)problem["errors"]!["template"]![0]!, StringComparison.Ordinal);
        Assert.Equal(before, await app.RowCountsAsync());
    }
}

/// <summary>Without AllowPrivateTargets, an HTTP block cannot reach the server's own network: it leaves by its error port.</summary>
public sealed class FlowOutboundTests(ParleyApp app) : IClassFixture<ParleyApp>
{
    [Fact]
    public async Task HttpBlock_PrivateTarget_RefusedAndNothingSent()
    {
        var client = app.Client();
        await using var receiver = await WebhookReceiver.StartAsync();
        var botId = await client.CreateBotAsync();
        await client.PublishAsync(botId, Flow("call",
            [Node("call", "http", $$$"""{"method": "POST", "url": "{{{receiver.Url}}}", "body": {"x": 1}}"""),
             Node("ok", "end", """{"text": "sent"}"""), Node("error", "end", """{"text": "refused"}""")],
            [Edge("call", "ok", "ok"), Edge("call", "error", "error")]));

        var started = await client.StartConversationAsync(botId);

        Assert.Equal(["refused"], started.Texts());
        Assert.Empty(receiver.Requests);
    }
}
