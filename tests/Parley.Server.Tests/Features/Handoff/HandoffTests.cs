using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Parley.Server.Tests.Features.Webhooks;
using Parley.Server.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Parley.Server.Tests.Features.Handoff;

public sealed class HandoffTests(WebhookApp app, ITestOutputHelper output) : IClassFixture<WebhookApp>
{
    private const string Site = "https://shop.example";

    private async Task<(HttpClient Owner, string BotId)> BotAsync(object? escalation = null, object? businessHours = null, string? workspaceKey = null)
    {
        var owner = app.Client(workspaceKey ?? (await app.CreateWorkspaceAsync()).Key);
        var bot = await (await owner.PostJsonAsync("/v1/bots", new
        {
            name = "Helpdesk",
            fallback_text = "Sorry, I don't know that yet.",
            escalation,
            business_hours = businessHours,
        })).JsonAsync(HttpStatusCode.Created);
        return (owner, bot.Id());
    }

    private static async Task<HttpClient> AgentAsync(ParleyApp app, HttpClient owner, string name = "Alex")
    {
        var key = await (await owner.PostJsonAsync("/v1/api-keys", new { name, scopes = new[] { "agent" } })).JsonAsync(HttpStatusCode.Created);
        var agent = app.Client((string)key["secret"]!);
        // Using an agent endpoint makes the agent available.
        await (await agent.GetAsync("/v1/inbox")).JsonAsync(HttpStatusCode.OK);
        return agent;
    }

    private async Task<(HttpClient Visitor, string ConversationId)> WidgetVisitorAsync(HttpClient owner, string botId)
    {
        var pk = (string)(await (await owner.PostJsonAsync("/v1/api-keys", new { name = "site", kind = "publishable", bot_id = botId, allowed_origins = new[] { Site } }))
            .JsonAsync(HttpStatusCode.Created))["publishable_key"]!;
        var browser = app.Client(pk);
        browser.DefaultRequestHeaders.Add("Origin", Site);
        var session = await (await browser.PostJsonAsync("/v1/widget/sessions", new { })).JsonAsync(HttpStatusCode.OK);
        var visitor = app.Client((string)session["session_token"]!);
        visitor.DefaultRequestHeaders.Add("Origin", Site);
        return (visitor, session["conversation"]!.Id());
    }

    private static string[] Flags(JsonNode? message) => message?["flags"]?.AsArray().Select(f => (string)f!).ToArray() ?? [];

    [Theory]
    [InlineData("Can I talk to a person please?")]
    [InlineData("Ich möchte mit einem Menschen sprechen")]
    [InlineData("Je veux parler à un humain")]
    [InlineData("Quiero hablar con una persona")]
    [InlineData("Vorrei parlare con un operatore")]
    [InlineData("Kan ik met een medewerker praten?")]
    [InlineData("Quero falar com uma pessoa")]
    [InlineData("t a l k  t o  a  h u m a n !!")]
    public async Task AskForPerson_AnyLanguage_HandedOver(string text)
    {
        var (owner, botId) = await BotAsync();
        var conversationId = (await owner.StartConversationAsync(botId))["conversation"]!.Id();

        var turn = await owner.SendAsync(conversationId, text);

        Assert.Equal("handoff", (string?)turn["conversation"]!["status"]);
        Assert.Equal("visitor_request", (string?)turn["conversation"]!["handoff"]!["reason"]);
        Assert.Contains("escalation.person_requested", Flags(turn["user_message"]));
        Assert.Single(turn["messages"]!.AsArray());
    }

    [Fact]
    public async Task QuickReplyChoice_HandedOver()
    {
        var (owner, botId) = await BotAsync();
        var conversationId = (await owner.StartConversationAsync(botId))["conversation"]!.Id();

        var turn = await (await owner.PostJsonAsync($"/v1/conversations/{conversationId}/messages", new { choice = "handoff" })).JsonAsync(HttpStatusCode.OK);

        Assert.Equal("handoff", (string?)turn["conversation"]!["status"]);
    }

    [Fact]
    public async Task Keyword_NegativeSentiment_Unanswered_EachHandsOver()
    {
        var (owner, botId) = await BotAsync(new { keywords = new[] { "refund" }, unanswered_turns = 2 });
        await (await owner.PostJsonAsync($"/v1/bots/{botId}/knowledge", new { type = "markdown", title = "Shipping", content = "# Shipping\n\nWe ship bicycles to every country in Europe within five working days." }))
            .JsonAsync(HttpStatusCode.Created);

        var keyword = (await owner.StartConversationAsync(botId))["conversation"]!.Id();
        var turn = await owner.SendAsync(keyword, "I want my R-E-F-U-N-D now");
        Assert.Equal("keyword", (string?)turn["conversation"]!["handoff"]!["reason"]);

        var angry = (await owner.StartConversationAsync(botId))["conversation"]!.Id();
        turn = await owner.SendAsync(angry, "This is terrible. Absolutely useless, I hate waiting!!");
        Assert.Equal("negative_sentiment", (string?)turn["conversation"]!["handoff"]!["reason"]);
        Assert.Contains("escalation.sentiment", Flags(turn["user_message"]));

        // Unanswered questions hand over only when someone can answer: an agent has been seen.
        await AgentAsync(app, owner);
        var lost = (await owner.StartConversationAsync(botId))["conversation"]!.Id();
        turn = await owner.SendAsync(lost, "Do you sell surfboards?");
        Assert.Equal("open", (string?)turn["conversation"]!["status"]);
        Assert.Contains("unanswered", Flags(turn["messages"]![0]));
        turn = await owner.SendAsync(lost, "What about kayaks?");
        Assert.Equal("unanswered", (string?)turn["conversation"]!["handoff"]!["reason"]);

        var fine = (await owner.StartConversationAsync(botId))["conversation"]!.Id();
        turn = await owner.SendAsync(fine, "Do you ship bicycles to Europe?");
        Assert.Equal("open", (string?)turn["conversation"]!["status"]);
    }

    [Fact]
    public async Task Unanswered_NoAgent_AsksOnceForEmailAndKeepsAnswering()
    {
        var (owner, botId) = await BotAsync();
        await (await owner.PostJsonAsync($"/v1/bots/{botId}/knowledge", new { type = "markdown", title = "Shipping", content = "# Shipping\n\nWe ship bicycles to every country in Europe within five working days." }))
            .JsonAsync(HttpStatusCode.Created);
        var conversationId = (await owner.StartConversationAsync(botId))["conversation"]!.Id();

        var asked = new List<string>();
        foreach (var question in new[] { "Do you sell surfboards?", "What about kayaks?", "Any snowboards?", "Do you rent canoes?" })
        {
            var unanswered = await owner.SendAsync(conversationId, question);
            Assert.Equal("open", (string?)unanswered["conversation"]!["status"]);
            asked.AddRange(unanswered["messages"]!.AsArray().Where(m => Flags(m).Contains("handoff.contact_requested")).Select(m => (string)m!["text"]!));
        }
        var answered = await owner.SendAsync(conversationId, "Do you ship bicycles to Europe?");

        Assert.Equal("Leave your email address here and we'll get back to you as soon as we can.", Assert.Single(asked));
        Assert.Equal("open", (string?)answered["conversation"]!["status"]);
        Assert.Contains("five working days", (string)answered["messages"]![0]!["text"]!);
        Assert.DoesNotContain("unanswered", Flags(answered["messages"]![0]));

        var thanked = await owner.SendAsync(conversationId, "sure, it's sam@example.com");
        Assert.Equal("open", (string?)thanked["conversation"]!["status"]);
        Assert.Equal("Thank you! We'll get back to you at sam@example.com.", (string)thanked["messages"]!.AsArray().Single()!["text"]!);
        var leads = await (await owner.GetAsync("/v1/leads?email=sam@example.com")).JsonAsync(HttpStatusCode.OK);
        Assert.Single(leads["data"]!.AsArray());
    }

    [Fact]
    public async Task Unanswered_AgentOnlineButClosed_StaysWithBot()
    {
        var (owner, botId) = await BotAsync(new { unanswered_turns = 2 }, new { time_zone = "Europe/Berlin", weekly = new { } });
        await (await owner.PostJsonAsync($"/v1/bots/{botId}/knowledge", new { type = "markdown", title = "Shipping", content = "# Shipping\n\nWe ship bicycles to every country in Europe within five working days." }))
            .JsonAsync(HttpStatusCode.Created);
        await AgentAsync(app, owner);
        var conversationId = (await owner.StartConversationAsync(botId))["conversation"]!.Id();

        await owner.SendAsync(conversationId, "Do you sell surfboards?");
        var turn = await owner.SendAsync(conversationId, "What about kayaks?");

        Assert.Equal("open", (string?)turn["conversation"]!["status"]);
        Assert.Contains("escalation.unanswered", Flags(turn["user_message"]));
        Assert.Contains(turn["messages"]!.AsArray(), m => Flags(m).Contains("handoff.contact_requested"));
    }

    [Fact]
    public async Task FullPath_TriggerEventClaimLiveReplyReturnToBot()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var (_, key) = await app.CreateWorkspaceAsync();
        var (owner, botId) = await BotAsync(workspaceKey: key);
        await (await owner.PostJsonAsync("/v1/webhook-endpoints", new { url = receiver.Url, events = new[] { "handoff.requested", "conversation.closed" } }))
            .JsonAsync(HttpStatusCode.Created);
        var agent = await AgentAsync(app, owner);
        var (visitor, conversationId) = await WidgetVisitorAsync(owner, botId);
        await using var visitorStream = await SseListener.OpenAsync(visitor, $"/v1/conversations/{conversationId}/stream");
        await using var agentStream = await SseListener.OpenAsync(agent, $"/v1/conversations/{conversationId}/stream");

        // Trigger: the visitor asks for a person. The bot says honestly what happens next.
        var turn = await visitor.SendAsync(conversationId, "I'd like to speak to a human");
        Assert.Equal("handoff", (string?)turn["conversation"]!["status"]);
        Assert.Contains("You're next in line", (string?)turn["messages"]![0]!["text"], StringComparison.Ordinal);
        Assert.Contains("5 minutes", (string?)turn["messages"]![0]!["text"], StringComparison.Ordinal);
        var hook = JsonNode.Parse((await receiver.WaitForAsync(1))[0].Body)!;
        Assert.Equal("handoff.requested", (string?)hook["type"]);
        Assert.Equal(conversationId, (string?)hook["data"]!["conversation_id"]);
        Assert.True((bool)hook["data"]!["agents_available"]!);
        var requested = await agentStream.NextAsync(e => e.Type == "handoff.requested");

        // The inbox lists it with its wait; the agent claims it.
        var inbox = await (await agent.GetAsync("/v1/inbox?assigned=false")).JsonAsync(HttpStatusCode.OK);
        var waiting = inbox["data"]!.AsArray().Single();
        Assert.Equal(conversationId, waiting!["conversation"]!.Id());
        Assert.True((double)waiting["waiting_seconds"]! >= 0);
        var claimed = await (await agent.PostJsonAsync($"/v1/conversations/{conversationId}/claim", new { })).JsonAsync(HttpStatusCode.OK);
        Assert.NotNull((string?)claimed["conversation"]!["handoff"]!["assigned_key_id"]);
        await visitorStream.NextAsync(e => e.Type == "conversation.assigned");

        // A second agent cannot take it without force.
        var other = await AgentAsync(app, owner, "Sam");
        await (await other.PostJsonAsync($"/v1/conversations/{conversationId}/claim", new { })).ProblemAsync(HttpStatusCode.Conflict, "conflict");

        // The agent's reply reaches the visitor's open stream. How fast is measured by bench/Parley.Bench.Handoff,
        // and StreamWakeAcrossNodesTests shows the stream is woken rather than polled.
        var sent = Stopwatch.GetTimestamp();
        var reply = await (await agent.PostJsonAsync($"/v1/conversations/{conversationId}/agent-messages", new { text = "Hi, I'm Alex. How can I help?" }))
            .JsonAsync(HttpStatusCode.Created);
        var live = await visitorStream.NextAsync(e => e.Type == "message.created" && (string?)e.Data["role"] == "agent");
        var latency = Stopwatch.GetElapsedTime(sent, live.ReceivedAt);
        output.WriteLine($"agent reply reached the visitor's stream after {latency.TotalMilliseconds:F1} ms (POST included)");
        Assert.Equal(reply.Id(), live.Data.Id());
        Assert.Equal("Hi, I'm Alex. How can I help?", (string?)live.Data["text"]);
        Assert.NotNull((string?)live.Data["author_key_id"]);

        // While a person has it, the bot stays quiet and the visitor's words reach the agent live.
        var quiet = await visitor.SendAsync(conversationId, "My bike arrived with a broken bell.");
        Assert.Empty(quiet["messages"]!.AsArray());
        var heard = await agentStream.NextAsync(e => e.Type == "message.created" && (string?)e.Data["text"] == "My bike arrived with a broken bell.");
        Assert.Equal("user", (string?)heard.Data["role"]);

        // Reconnecting with Last-Event-ID replays everything after it.
        await using (var resumed = await SseListener.OpenAsync(visitor, $"/v1/conversations/{conversationId}/stream", requested.Id))
        {
            await resumed.NextAsync(e => e.Type == "conversation.assigned");
            var again = await resumed.NextAsync(e => e.Type == "message.created" && (string?)e.Data["role"] == "agent");
            Assert.Equal(reply.Id(), again.Data.Id());
            await resumed.NextAsync(e => e.Type == "message.created" && (string?)e.Data["text"] == "My bike arrived with a broken bell.");
        }

        // Back to the bot: it answers again.
        var back = await (await agent.PostJsonAsync($"/v1/conversations/{conversationId}/return-to-bot", new { })).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("open", (string?)back["conversation"]!["status"]);
        await visitorStream.NextAsync(e => e.Type == "conversation.returned_to_bot");
        var answered = await visitor.SendAsync(conversationId, "Thanks! What are your opening hours?");
        Assert.Equal("Sorry, I don't know that yet.", (string?)answered["messages"]![0]!["text"]);

        var stored = await app.DbAsync(db => db.Conversations.IgnoreQueryFilters().SingleAsync(c => c.Id == conversationId));
        Assert.NotNull(stored.HandoffRequestedAt);
        Assert.True(stored.FirstAgentReplyAt >= stored.HandoffRequestedAt);
        Assert.True(stored.ResolvedAt >= stored.FirstAgentReplyAt);

        // Closing sends the whole transcript.
        await (await agent.PostJsonAsync($"/v1/conversations/{conversationId}/close", new { })).JsonAsync(HttpStatusCode.OK);
        var closed = JsonNode.Parse((await receiver.WaitForAsync(2))[1].Body)!;
        Assert.Equal("conversation.closed", (string?)closed["type"]);
        var transcript = closed["data"]!["transcript"]!.AsArray();
        Assert.Contains(transcript, m => (string?)m!["role"] == "agent" && (string?)m["text"] == "Hi, I'm Alex. How can I help?");
        Assert.Contains(transcript, m => (string?)m!["text"] == "Thanks! What are your opening hours?");
        await visitorStream.NextAsync(e => e.Type == "conversation.closed");
    }

    [Fact]
    public async Task OffHours_AsksForEmailRecordsItOnTheContactAndCapturesALead()
    {
        var (owner, botId) = await BotAsync(businessHours: new { time_zone = "Europe/Berlin", weekly = new { }, closed_dates = Array.Empty<string>() });
        await AgentAsync(app, owner);
        var conversationId = (await owner.StartConversationAsync(botId))["conversation"]!.Id();

        var turn = await owner.SendAsync(conversationId, "talk to a person");
        var notice = (string)turn["messages"]![0]!["text"]!;
        Assert.Contains("away", notice, StringComparison.Ordinal);
        Assert.Contains("email", notice, StringComparison.Ordinal);
        Assert.True((bool)turn["conversation"]!["handoff"]!["awaiting_contact_details"]!);

        var thanks = await owner.SendAsync(conversationId, "Sure, it's jane@example.com");
        Assert.Contains("jane@example.com", (string?)thanks["messages"]![0]!["text"], StringComparison.Ordinal);
        Assert.False((bool)thanks["conversation"]!["handoff"]!["awaiting_contact_details"]!);
        var contactId = turn["conversation"]!["contact_id"]!.ToString();
        var contact = await app.DbAsync(db => db.Contacts.IgnoreQueryFilters().SingleAsync(c => c.Id == contactId));
        Assert.Equal("jane@example.com", contact.Email);

        var leads = await (await owner.GetAsync("/v1/leads?email=jane@example.com")).JsonAsync(HttpStatusCode.OK);
        var lead = Assert.Single(leads["data"]!.AsArray())!;
        Assert.Equal(conversationId, (string?)lead["conversation_id"]);
        Assert.Equal("handoff_contact", (string?)lead["fields"]!["custom"]!["source"]);
    }

    [Fact]
    public async Task NoAgentAvailable_AsksForContactDetailsInsteadOfSilence()
    {
        var (owner, botId) = await BotAsync();
        var conversationId = (await owner.StartConversationAsync(botId))["conversation"]!.Id();

        var response = await (await owner.PostJsonAsync($"/v1/conversations/{conversationId}/handoff", new { reason = "vip" })).JsonAsync(HttpStatusCode.OK);

        Assert.Equal("handoff", (string?)response["conversation"]!["status"]);
        Assert.Equal("vip", (string?)response["conversation"]!["handoff"]!["reason"]);
        Assert.Contains("Nobody from our team is available", (string?)response["message"]!["text"], StringComparison.Ordinal);
        await (await owner.PostJsonAsync($"/v1/conversations/{conversationId}/handoff", new { })).ProblemAsync(HttpStatusCode.Conflict, "conflict");
    }

    [Fact]
    public async Task AgentEndpoints_BadInputAndWrongState_4xxAndNothingWritten()
    {
        var (owner, botId) = await BotAsync();
        var agent = await AgentAsync(app, owner);
        var conversationId = (await owner.StartConversationAsync(botId))["conversation"]!.Id();
        var before = await app.RowCountsAsync();

        await (await agent.PostJsonAsync($"/v1/conversations/{conversationId}/agent-messages", new { text = "hello" })).ProblemAsync(HttpStatusCode.Conflict, "conflict");
        await (await agent.PostJsonAsync($"/v1/conversations/{conversationId}/claim", new { })).ProblemAsync(HttpStatusCode.Conflict, "conflict");
        await (await agent.PostJsonAsync($"/v1/conversations/{conversationId}/return-to-bot", new { })).ProblemAsync(HttpStatusCode.Conflict, "conflict");
        await (await agent.PostJsonAsync($"/v1/conversations/{conversationId}/agent-messages", new { text = "  " })).ProblemAsync(HttpStatusCode.BadRequest, "invalid_request");
        await (await agent.PostJsonAsync("/v1/conversations/conv_missing/claim", new { })).ProblemAsync(HttpStatusCode.NotFound, "not_found");
        await (await owner.PostJsonAsync($"/v1/conversations/{conversationId}/handoff", new { reason = new string('x', 101) })).ProblemAsync(HttpStatusCode.BadRequest, "invalid_request");
        await (await agent.GetAsync($"/v1/conversations/{conversationId}/stream?last_event_id=nope")).ProblemAsync(HttpStatusCode.BadRequest, "invalid_request");
        Assert.Equal(before, await app.RowCountsAsync());

        // Another workspace's agent cannot see the conversation at all.
        var stranger = await AgentAsync(app, (await BotAsync()).Owner, "Stranger");
        await (await stranger.PostJsonAsync($"/v1/conversations/{conversationId}/claim", new { })).ProblemAsync(HttpStatusCode.NotFound, "not_found");
        await (await stranger.GetAsync($"/v1/conversations/{conversationId}/stream")).ProblemAsync(HttpStatusCode.NotFound, "not_found");
        before = await app.RowCountsAsync();
        // Only agents answer visitors.
        await (await agent.PostJsonAsync($"/v1/conversations/{conversationId}/handoff", new { })).ProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        Assert.Equal(before, await app.RowCountsAsync());
    }
}
