using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Parley.Server.Tests.Features.ModelProviders;
using Parley.Server.Tests.Infrastructure;
using static Parley.Server.Tests.Features.Flows.FlowApi;

namespace Parley.Server.Tests.Features.Flows;

/// <summary>Flows on the plain server: capture-lead, book-appointment and handoff blocks against the real features.</summary>
public sealed class FlowWiringTests(ParleyApp app) : IClassFixture<ParleyApp>
{
    private static readonly string[] EveryDay = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];

    private async Task<HttpClient> WorkspaceAsync() => app.Client((await app.CreateWorkspaceAsync()).Key);

    private static async Task<JsonNode> EventsAsync(HttpClient client, string type) =>
        (await (await client.GetAsync($"/v1/events?type={type}")).JsonAsync(HttpStatusCode.OK))["data"]!;

    private static async Task<string> TemplateBotAsync(HttpClient client, string template, object? escalation = null) =>
        (await (await client.PostJsonAsync("/v1/bots", new { name = template, template, escalation })).JsonAsync(HttpStatusCode.Created)).Id();

    [Fact]
    public async Task FaqLeadCaptureTemplate_CapturesARealLeadWithEventAndTranscript()
    {
        var client = await WorkspaceAsync();
        var bot = await TemplateBotAsync(client, "faq_lead_capture");
        var id = (await client.StartConversationAsync(bot))["conversation"]!.Id();

        await client.SendAsync(id, "Please contact me");
        await client.SendAsync(id, "Ada");
        Assert.Equal(["Thank you, Ada! We will be in touch at ada@faq.example soon."], (await client.SendAsync(id, "ada@faq.example")).Texts());

        var lead = Assert.Single((await (await client.GetAsync("/v1/leads")).JsonAsync(HttpStatusCode.OK))["data"]!.AsArray())!;
        Assert.Equal("ada@faq.example", (string?)lead["fields"]!["email"]);
        Assert.Equal("Ada", (string?)lead["fields"]!["name"]);
        Assert.Equal("faq_lead_capture", (string?)lead["fields"]!["custom"]!["source"]);
        Assert.Equal(bot, (string?)lead["bot_id"]);
        Assert.Equal(id, (string?)lead["conversation_id"]);
        Assert.True((int)lead["score"]! > 0);

        var captured = Assert.Single((await EventsAsync(client, "lead.captured")).AsArray())!["data"]!;
        Assert.Equal(lead.Id(), captured.Id());
        var transcript = captured["transcript"]!.AsArray();
        Assert.Contains(transcript, m => (string?)m!["text"] == "Please contact me" && (string?)m["role"] == "user");
        Assert.Contains(transcript, m => (string?)m!["text"] == "Thanks Ada. Which email address should we use?" && (string?)m["role"] == "bot");
    }

    [Fact]
    public async Task CaptureLead_FieldTheLeadsFeatureRefuses_FailedPortAndNoLead()
    {
        var client = await WorkspaceAsync();
        var bot = await client.CreateBotAsync();
        await client.PublishAsync(bot, Flow("ask",
            [Node("ask", "ask", """{"text": "Your phone?", "variable": "phone"}"""),
             Node("capture", "capture_lead", """{"fields": {"phone": "{{phone}}"}}"""),
             Node("ok", "end", """{"text": "Saved."}"""), Node("failed", "end", """{"text": "Could not save that number."}""")],
            [Edge("ask", "next", "capture"), Edge("capture", "next", "ok"), Edge("capture", "failed", "failed")]));
        var id = (await client.StartConversationAsync(bot))["conversation"]!.Id();

        Assert.Equal(["Could not save that number."], (await client.SendAsync(id, "call me maybe")).Texts());

        Assert.Empty((await (await client.GetAsync("/v1/leads")).JsonAsync(HttpStatusCode.OK))["data"]!.AsArray());
        Assert.Empty((await EventsAsync(client, "lead.captured")).AsArray());
    }

    [Fact]
    public async Task AppointmentBookingTemplate_BooksARealSlot_AndReoffersWhenTheSlotWasTakenMeanwhile()
    {
        var client = await WorkspaceAsync();
        var bot = await TemplateBotAsync(client, "appointment_booking");
        await (await client.PatchJsonAsync($"/v1/bots/{bot}", new
        {
            booking = new
            {
                time_zone = "UTC", slot_minutes = 60, minimum_notice_minutes = 0,
                weekly_hours = EveryDay.ToDictionary(d => d, _ => new[] { new { start = "00:00", end = "23:59" } }),
            },
        })).JsonAsync(HttpStatusCode.OK);

        async Task<(string Conversation, string[] Slots)> OfferedAsync(string name)
        {
            var conversation = (await client.StartConversationAsync(bot))["conversation"]!.Id();
            await client.ChooseAsync(conversation, "book");
            await client.SendAsync(conversation, name);
            var offer = await client.SendAsync(conversation, $"{name.ToLowerInvariant()}@book.example");
            return (conversation, offer["messages"]![0]!.Choices());
        }

        var (first, slots) = await OfferedAsync("Bea");
        Assert.Equal(3, slots.Length);
        var done = await client.ChooseAsync(first, slots[0]);
        Assert.Equal(["All set, Bea! Your appointment is booked; a confirmation is on its way to bea@book.example.", "Anything else? Just ask."], done.Texts());
        var booking = Assert.Single((await (await client.GetAsync("/v1/bookings")).JsonAsync(HttpStatusCode.OK))["data"]!.AsArray())!;
        Assert.Equal(first, (string?)booking["conversation_id"]);
        Assert.Equal(DateTimeOffset.Parse(slots[0], System.Globalization.CultureInfo.InvariantCulture), DateTimeOffset.Parse((string)booking["start"]!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("bea@book.example", (string?)booking["email"]);
        Assert.Single((await EventsAsync(client, "booking.created")).AsArray());

        // The next visitor is offered the times still free; one of them goes through the API before they pick it.
        var (second, offered) = await OfferedAsync("Cy");
        Assert.DoesNotContain(slots[0], offered);
        await (await client.PostJsonAsync("/v1/bookings", new { bot_id = bot, start = offered[0], name = "Walk-in" })).JsonAsync(HttpStatusCode.Created);

        var reoffer = await client.ChooseAsync(second, offered[0]);
        var message = Assert.Single(reoffer["messages"]!.AsArray())!;
        Assert.StartsWith("Sorry, that time is no longer available. Here are the next free times.", (string?)message["text"], StringComparison.Ordinal);
        Assert.DoesNotContain(offered[0], message.Choices());
        Assert.Equal("open", (string?)reoffer["conversation"]!["status"]);

        var booked = await client.ChooseAsync(second, message.Choices()[0]);
        Assert.StartsWith("All set, Cy!", booked.Texts()[0], StringComparison.Ordinal);
        Assert.Equal(3, (await (await client.GetAsync("/v1/bookings")).JsonAsync(HttpStatusCode.OK))["data"]!.AsArray().Count);
    }

    [Fact]
    public async Task AppointmentBookingTemplate_BotWithoutCalendar_FailedPathHandsOver()
    {
        var client = await WorkspaceAsync();
        var bot = await TemplateBotAsync(client, "appointment_booking");
        var id = (await client.StartConversationAsync(bot))["conversation"]!.Id();
        await client.ChooseAsync(id, "book");
        await client.SendAsync(id, "Dee");

        var turn = await client.SendAsync(id, "dee@book.example");

        Assert.Equal("handoff", (string?)turn["conversation"]!["status"]);
        var texts = turn.Texts();
        Assert.Equal("Sorry, there are no free times in the next two weeks.", texts[0]);
        Assert.Equal("Let me get a person to help you find a time.", texts[1]);
        Assert.Equal(3, texts.Length);
        Assert.Empty((await (await client.GetAsync("/v1/bookings")).JsonAsync(HttpStatusCode.OK))["data"]!.AsArray());
    }

    [Fact]
    public async Task QualifyHandoffTemplate_CapturesLeadAndHandsOverWithTheBlocksText()
    {
        var client = await WorkspaceAsync();
        var bot = await TemplateBotAsync(client, "qualify_handoff");
        var id = (await client.StartConversationAsync(bot))["conversation"]!.Id();
        await client.ChooseAsync(id, "large");
        await client.SendAsync(id, "cto@big.example");

        var turn = await client.SendAsync(id, "5000");

        Assert.Equal("handoff", (string?)turn["conversation"]!["status"]);
        var texts = turn.Texts();
        Assert.Equal(2, texts.Length);
        Assert.Equal("Thanks! I am connecting you with a member of our sales team now.", texts[0]);
        Assert.Contains("email", texts[1], StringComparison.Ordinal);
        var requested = Assert.Single((await EventsAsync(client, "handoff.requested")).AsArray())!["data"]!;
        Assert.Equal("qualified_lead", (string?)requested["reason"]);
        var lead = Assert.Single((await (await client.GetAsync("/v1/leads")).JsonAsync(HttpStatusCode.OK))["data"]!.AsArray())!;
        Assert.Equal("cto@big.example", (string?)lead["fields"]!["email"]);
        Assert.Equal("enterprise", (string?)lead["fields"]!["custom"]!["segment"]);
    }

    [Fact]
    public async Task LeadScoreAbove_LeadScoredByAFlowBlock_HandsOverInThatTurnOnlyAboveTheThreshold()
    {
        var client = await WorkspaceAsync();
        var flow = Flow("ask_name",
            [Node("ask_name", "ask", """{"text": "Name?", "variable": "name"}"""),
             Node("ask_email", "ask", """{"text": "Email?", "variable": "email", "input": "email"}"""),
             Node("capture", "capture_lead", """{"fields": {"name": "{{name}}", "email": "{{email}}"}}"""),
             Node("thanks", "end", """{"text": "Thanks {{name}}."}"""), Node("failed", "end", """{"text": "Oops."}""")],
            [Edge("ask_name", "next", "ask_email"), Edge("ask_email", "next", "capture"), Edge("capture", "next", "thanks"), Edge("capture", "failed", "failed")]);

        async Task<(JsonNode Turn, string Conversation)> RunAsync(int threshold, string name)
        {
            var bot = (await (await client.PostJsonAsync("/v1/bots", new { name = "Scored", escalation = new { lead_score_above = threshold } }))
                .JsonAsync(HttpStatusCode.Created)).Id();
            await client.PublishAsync(bot, flow);
            var conversation = (await client.StartConversationAsync(bot))["conversation"]!.Id();
            await client.SendAsync(conversation, name);
            return (await client.SendAsync(conversation, $"{name.ToLowerInvariant()}@score.example"), conversation);
        }
        var (low, _) = await RunAsync(95, "Lou");
        var (high, conversation) = await RunAsync(25, "Hal");

        Assert.Equal("open", (string?)low["conversation"]!["status"]);
        Assert.Equal(["Thanks Lou."], low.Texts());
        Assert.Equal("handoff", (string?)high["conversation"]!["status"]);
        Assert.Equal(2, high.Texts().Length);
        Assert.Equal("Thanks Hal.", high.Texts()[0]);
        Assert.Equal("lead_score", await app.DbAsync(db => db.Conversations.IgnoreQueryFilters().Where(c => c.Id == conversation).Select(c => c.HandoffReason).FirstAsync()));
        var requested = Assert.Single((await EventsAsync(client, "handoff.requested")).AsArray())!["data"]!;
        Assert.Equal("lead_score", (string?)requested["reason"]);
        var scores = (await (await client.GetAsync("/v1/leads")).JsonAsync(HttpStatusCode.OK))["data"]!.AsArray().Select(l => (int)l!["score"]!).ToArray();
        Assert.Equal(2, scores.Length);
        Assert.All(scores, score => Assert.InRange(score, 26, 95));
    }

    [Fact]
    public async Task LeadScoreAbove_StoredLeadOfTheConversation_HandsOverAtTheNextTurn()
    {
        var client = await WorkspaceAsync();
        var bot = (await (await client.PostJsonAsync("/v1/bots", new { name = "Scored", greeting = "Hi", escalation = new { lead_score_above = 50 } }))
            .JsonAsync(HttpStatusCode.Created)).Id();
        var id = (await client.StartConversationAsync(bot))["conversation"]!.Id();
        Assert.Equal("open", (string?)(await client.SendAsync(id, "Hello"))["conversation"]!["status"]);
        var lead = await (await client.PostJsonAsync("/v1/leads", new
        {
            conversation_id = id,
            fields = new { name = "Grace", email = "grace@score.example", phone = "+49 30 1234567", company = "Navy" },
        })).JsonAsync(HttpStatusCode.Created);
        Assert.True((int)lead["score"]! > 50);

        var turn = await client.SendAsync(id, "One more question");

        Assert.Equal("handoff", (string?)turn["conversation"]!["status"]);
        Assert.Equal("lead_score", (string?)Assert.Single((await EventsAsync(client, "handoff.requested")).AsArray())!["data"]!["reason"]);
    }

    [Fact]
    public async Task LeadScoreAbove_ConversationBackFromAPerson_SameLeadDoesNotHandItOverAgain()
    {
        var client = await WorkspaceAsync();
        var bot = (await (await client.PostJsonAsync("/v1/bots", new { name = "Scored", greeting = "Hi", escalation = new { lead_score_above = 50 } }))
            .JsonAsync(HttpStatusCode.Created)).Id();
        var id = (await client.StartConversationAsync(bot))["conversation"]!.Id();
        await (await client.PostJsonAsync("/v1/leads", new
        {
            conversation_id = id,
            fields = new { name = "Grace", email = "grace@score.example", phone = "+49 30 1234567", company = "Navy" },
        })).JsonAsync(HttpStatusCode.Created);
        Assert.Equal("handoff", (string?)(await client.SendAsync(id, "One more question"))["conversation"]!["status"]);
        var back = await (await client.PostJsonAsync($"/v1/conversations/{id}/return-to-bot", new { })).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("open", (string?)back["conversation"]!["status"]);

        var turn = await client.SendAsync(id, "And one after that");

        Assert.Equal("open", (string?)turn["conversation"]!["status"]);
        Assert.Single(turn.Texts());
        Assert.Single((await EventsAsync(client, "handoff.requested")).AsArray());
    }

    [Fact]
    public async Task HandoffBlockAtStart_ConversationStartsWithAPerson()
    {
        var client = await WorkspaceAsync();
        var bot = await client.CreateBotAsync();
        await client.PublishAsync(bot, Flow("hello",
            [Node("hello", "message", """{"text": "Welcome to the front desk."}"""),
             Node("human", "handoff", """{"text": "A person will be with you shortly.", "reason": "front_desk"}""")],
            [Edge("hello", "next", "human")]));

        var started = await client.StartConversationAsync(bot);

        Assert.Equal("handoff", (string?)started["conversation"]!["status"]);
        var texts = started.Texts();
        Assert.Equal(3, texts.Length);
        Assert.Equal(["Welcome to the front desk.", "A person will be with you shortly."], texts[..2]);
        var id = started["conversation"]!.Id();
        var requested = Assert.Single((await EventsAsync(client, "handoff.requested")).AsArray())!["data"]!;
        Assert.Equal("front_desk", (string?)requested["reason"]);
        Assert.Equal(id, (string?)requested["conversation_id"]);
        var stored = await (await client.GetAsync($"/v1/conversations/{id}")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("handoff", (string?)stored["status"]);
        // The bot stays quiet while a person has the conversation (it only asks for contact details when nobody is there).
        Assert.Equal(3, (await (await client.GetAsync($"/v1/conversations/{id}/messages")).JsonAsync(HttpStatusCode.OK))["data"]!.AsArray().Count);
    }
}

/// <summary>The AI-answer block with a model provider on a loopback listener.</summary>
public sealed class FlowAiUsageTests(ModelApp app) : IClassFixture<ModelApp>, IAsyncLifetime
{
    private FakeModelServer _server = null!;

    public async Task InitializeAsync() => _server = await FakeModelServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task AiAnswerBlock_StoresTheModelsTokenUsageOnTheMessage()
    {
        var client = app.Client((await app.CreateWorkspaceAsync()).Key);
        var provider = (await (await client.PostJsonAsync("/v1/model-providers", new { name = "m", kind = "openai", base_url = _server.OpenAiBaseUrl, api_key = "test-key-1234" }))
            .JsonAsync(HttpStatusCode.Created)).Id();
        var bot = (await (await client.PostJsonAsync("/v1/bots", new { name = "AI", model = new { provider, name = "test-model-1" } }))
            .JsonAsync(HttpStatusCode.Created)).Id();
        await client.PublishAsync(bot, Flow("ai", [Node("ai", "ai_answer", """{"text": "Ask away.", "max_turns": 5}""")], []));
        var id = (await client.StartConversationAsync(bot))["conversation"]!.Id();

        var reply = Assert.Single((await client.SendAsync(id, "What are your hours?"))["messages"]!.AsArray())!;

        Assert.Equal("Hello from the model.", (string?)reply["text"]);
        Assert.Equal(FakeModelServer.ReportedPromptTokens, (int?)reply["usage"]!["prompt_tokens"]);
        Assert.Equal(provider, (string?)reply["usage"]!["provider"]);
        var stored = (await (await client.GetAsync($"/v1/conversations/{id}/messages")).JsonAsync(HttpStatusCode.OK))["data"]!.AsArray()
            .Single(m => m!.Id() == reply.Id())!;
        Assert.Equal(FakeModelServer.ReportedPromptTokens, (int?)stored["usage"]!["prompt_tokens"]);
        Assert.Equal("test-model-1", (string?)stored["usage"]!["model"]);
    }
}
