using static Parley.Engine.Tests.Flows.FlowTestKit;
using Parley.Engine.Flows;
using Parley.Engine.Responders;
using Parley.Engine.Turns;

namespace Parley.Engine.Tests.Flows;

public sealed class FlowRunnerRulesTests
{
    private static string[] Texts(FlowOutcome outcome) => [.. outcome.Replies.Select(r => r.Text)];

    /// <summary>A condition block on one rule, leading to an end block that says "yes" or "no".</summary>
    private static async Task<string> ConditionAsync(string rule, string variables = "{}", string match = "all", string? businessHours = null)
    {
        var graph = Graph("c",
            [Node("c", "condition", $$"""{"match": "{{match}}", "rules": [{{rule}}]}"""), Node("yes", "end", """{"text": "yes"}"""), Node("no", "end", """{"text": "no"}""")],
            [Edge("c", "true", "yes"), Edge("c", "false", "no")], variables);
        return Assert.Single((await new FlowRunner(new EchoResponder(), new RecordingFlowHost()).StartAsync(graph, Context(businessHours), default)).Replies).Text;
    }

    [Theory]
    [InlineData("exists", "a", "", "yes")]
    [InlineData("exists", "", "", "no")]
    [InlineData("not_exists", "", "", "yes")]
    [InlineData("not_exists", "a", "", "no")]
    [InlineData("equals", "Gold", "gold", "yes")]
    [InlineData("equals", "gold", "silver", "no")]
    [InlineData("not_equals", "gold", "silver", "yes")]
    [InlineData("not_equals", "Gold", "GOLD", "no")]
    [InlineData("contains", "Basic plan", "PLAN", "yes")]
    [InlineData("contains", "Basic plan", "pro", "no")]
    [InlineData("starts_with", "Basic plan", "basic", "yes")]
    [InlineData("starts_with", "Basic plan", "plan", "no")]
    [InlineData("greater_than", "10", "9", "yes")]
    [InlineData("greater_than", "9", "10", "no")]
    [InlineData("greater_than", "5", "5", "no")]
    [InlineData("greater_than", "many", "1", "no")]
    [InlineData("greater_than", "2", "one", "no")]
    [InlineData("less_than", "9", "10", "yes")]
    [InlineData("less_than", "10", "9", "no")]
    [InlineData("less_than", "5", "5", "no")]
    [InlineData("less_than", "1e1", "20.5", "yes")]
    public async Task Condition_OperatorOnAVariable_ComparedAsTheOwnerMeansIt(string op, string actual, string expected, string result) =>
        Assert.Equal(result, await ConditionAsync(
            $$"""{"source": "variable", "key": "x", "operator": "{{op}}", "value": "{{expected}}"}""", $$"""{"x": "{{actual}}"}"""));

    [Fact]
    public async Task Condition_MissingVariable_DoesNotExistAndContainsNothing()
    {
        Assert.Equal("yes", await ConditionAsync("""{"source": "variable", "key": "nope", "operator": "not_exists"}"""));
        Assert.Equal("no", await ConditionAsync("""{"source": "variable", "key": "nope", "operator": "contains", "value": ""}"""));
        Assert.Equal("no", await ConditionAsync("""{"source": "variable", "key": "nope", "operator": "starts_with", "value": ""}"""));
        Assert.Equal("yes", await ConditionAsync("""{"source": "variable", "key": "nope", "operator": "equals", "value": ""}"""));
        Assert.Equal("no", await ConditionAsync("""{"source": "variable", "key": "nope", "operator": "not_equals", "value": ""}"""));
    }

    [Fact]
    public async Task Condition_NumericValue_ComparedAsNumber() =>
        Assert.Equal("yes", await ConditionAsync("""{"source": "variable", "key": "n", "operator": "greater_than", "value": 5}""", """{"n": "12"}"""));

    [Fact]
    public async Task Condition_ValueWithPlaceholder_Filled() =>
        Assert.Equal("yes", await ConditionAsync("""{"source": "contact", "key": "plan", "operator": "equals", "value": "{{wanted}}"}""", """{"wanted": "pro"}"""));

    [Theory]
    [InlineData("""{"source": "contact", "key": "plan", "operator": "equals", "value": "pro"}""", "yes")]
    [InlineData("""{"source": "contact", "key": "city", "operator": "exists"}""", "no")]
    [InlineData("""{"source": "utm", "key": "utm_source", "operator": "equals", "value": "ads"}""", "yes")]
    [InlineData("""{"source": "utm", "key": "utm_medium", "operator": "exists"}""", "no")]
    [InlineData("""{"source": "page_url", "operator": "contains", "value": "checkout"}""", "no")]
    [InlineData("""{"source": "page_url", "operator": "starts_with", "value": "https://shop.example/"}""", "yes")]
    public async Task Condition_ContactUtmAndPage_ReadFromTheConversation(string rule, string result) =>
        Assert.Equal(result, await ConditionAsync(rule));

    [Fact]
    public async Task Condition_SeveralRules_AllOrAny()
    {
        const string rules = """{"source": "contact", "key": "plan", "operator": "equals", "value": "pro"}, {"source": "utm", "key": "utm_source", "operator": "equals", "value": "mail"}""";
        Assert.Equal("no", await ConditionAsync(rules));
        Assert.Equal("no", await ConditionAsync(rules, match: "all"));
        Assert.Equal("yes", await ConditionAsync(rules, match: "any"));
    }

    [Fact]
    public async Task Condition_BusinessHoursClosed_TheOppositeOfOpen()
    {
        // 10:00 UTC on Tuesday 24 November is 11:00 in Paris.
        const string open = """{"time_zone": "Europe/Paris", "weekly": {"tue": [{"open": "09:00", "close": "12:00"}]}}""";
        Assert.Equal("no", await ConditionAsync("""{"source": "business_hours", "operator": "closed"}""", businessHours: open));
        Assert.Equal("yes", await ConditionAsync("""{"source": "business_hours"}""", businessHours: open));
    }

    [Fact]
    public async Task Message_PlaceholdersFromContactUtmAndPage_Filled()
    {
        var graph = Graph("m", [Node("m", "message", """{"text": "{{contact.plan}} via {{utm.utm_source}} on {{page_url}}; [{{other.x}}{{missing}}{{ greeting }}]"}""")], [],
            """{"greeting": "hi"}""");
        var outcome = await new FlowRunner(new EchoResponder(), new RecordingFlowHost()).StartAsync(graph, Context(), default);
        Assert.Equal(["pro via ads on https://shop.example/pricing; [hi]"], Texts(outcome));
    }

    [Theory]
    [InlineData("""{"text": "Our shop", "image": {"url": "https://cdn.example/shop.png", "alt": "The [shop]"}}""", "Our shop\n\n![The [shop](https://cdn.example/shop.png)")]
    [InlineData("""{"image": {"url": "https://cdn.example/shop.png"}}""", "![image](https://cdn.example/shop.png)")]
    public async Task Message_Image_AfterTheTextAsMarkdown(string settings, string text)
    {
        var outcome = await new FlowRunner(new EchoResponder(), new RecordingFlowHost()).StartAsync(Graph("m", [Node("m", "message", settings)], []), Context(), default);
        Assert.Equal([text], Texts(outcome));
    }

    [Fact]
    public async Task Message_BlankAfterFilling_NothingSent()
    {
        var graph = Graph("m", [Node("m", "message", """{"text": " {{missing}} "}"""), Node("e", "end", """{"text": "done"}""")], [Edge("m", "next", "e")]);
        var outcome = await new FlowRunner(new EchoResponder(), new RecordingFlowHost()).StartAsync(graph, Context(), default);
        Assert.Equal(["done"], Texts(outcome));
        Assert.True(outcome.State.Finished);
        Assert.Null(outcome.State.Node);
    }

    [Fact]
    public async Task Start_StartingVariables_CopiedIntoTheState()
    {
        var graph = Graph("e", [Node("e", "end", """{"text": "{{a}}"}""")], [], """{"a": "1"}""");
        var outcome = await new FlowRunner(new EchoResponder(), new RecordingFlowHost()).StartAsync(graph, Context(), default);
        Assert.Equal(["1"], Texts(outcome));
        Assert.Equal("1", outcome.State.Variables["a"]);
        Assert.Equal(["a"], graph.Variables.Keys);
    }

    [Fact]
    public async Task Choice_LabelInAnyCase_PickedAndStored_WrongAnswerGetsTheRetryText()
    {
        var graph = Graph("c",
            [Node("c", "choice", """{"text": "Fruit?", "retry_text": "Pick a fruit, {{name}}.", "variable": "fruit", "options": [{"id": "a", "label": "Apples"}, {"id": "p", "label": "Pears"}]}"""),
             Node("pa", "end", """{"text": "A {{fruit}}"}"""), Node("pp", "end", """{"text": "P {{fruit}}"}""")],
            [Edge("c", "a", "pa"), Edge("c", "p", "pp")], """{"name": "Ann"}""");
        var runner = new FlowRunner(new EchoResponder(), new RecordingFlowHost());
        var started = await runner.StartAsync(graph, Context(), default);

        var wrong = await runner.ContinueAsync(graph, started.State, Context(), "kiwi", default);
        Assert.Equal(["Pick a fruit, Ann."], Texts(wrong));
        Assert.Equal(2, wrong.Replies[0].QuickReplies.Count);

        var picked = await runner.ContinueAsync(graph, wrong.State, Context(), "PEARS", default);
        Assert.Equal(["P Pears"], Texts(picked));
    }

    [Fact]
    public async Task Choice_WrongAnswerWithoutRetryText_AsksToPickAgain()
    {
        var graph = Graph("c", [Node("c", "choice", """{"text": "Fruit?", "options": [{"id": "a", "label": "Apples"}]}"""), Node("e", "end")], [Edge("c", "a", "e")]);
        var runner = new FlowRunner(new EchoResponder(), new RecordingFlowHost());
        var started = await runner.StartAsync(graph, Context(), default);
        Assert.Equal(["Please pick one of the options."], Texts(await runner.ContinueAsync(graph, started.State, Context(), "kiwi", default)));
    }

    [Fact]
    public async Task Ask_InvalidPortWired_GoesThereWithTheProblem()
    {
        var graph = Graph("ask",
            [Node("ask", "ask", """{"text": "Email?", "variable": "email", "input": "email"}"""), Node("bad", "end", """{"text": "Bad: {{last_error}}"}"""), Node("ok", "end")],
            [Edge("ask", "invalid", "bad"), Edge("ask", "next", "ok")]);
        var runner = new FlowRunner(new EchoResponder(), new RecordingFlowHost());
        var started = await runner.StartAsync(graph, Context(), default);
        var outcome = await runner.ContinueAsync(graph, started.State, Context(), "nope", default);
        Assert.StartsWith("Bad: ", Assert.Single(outcome.Replies).Text, StringComparison.Ordinal);
        Assert.True(outcome.Replies[0].Text.Length > "Bad: ".Length);
    }

    [Fact]
    public async Task Ask_RetryText_BeforeTheProblem_AndAttemptsStartAgainAfterAValidAnswer()
    {
        var graph = Graph("ask",
            [Node("ask", "ask", """{"text": "Age?", "variable": "age", "input": "number", "min": 18, "max": 120, "retry_text": "Sorry {{name}}.", "max_attempts": 2}"""),
             Node("again", "ask", """{"text": "Kids' ages?", "variable": "kids", "input": "number", "max_attempts": 2}"""),
             Node("gave", "end", """{"text": "gave up"}""")],
            [Edge("ask", "next", "again"), Edge("again", "gave_up", "gave")], """{"name": "Ann"}""");
        var runner = new FlowRunner(new EchoResponder(), new RecordingFlowHost());
        var state = (await runner.StartAsync(graph, Context(), default)).State;

        var retry = await runner.ContinueAsync(graph, state, Context(), "12", default);
        Assert.Equal(["Sorry Ann. Please give a number from 18 to 120."], Texts(retry));

        var valid = await runner.ContinueAsync(graph, retry.State, Context(), "40", default);
        Assert.Equal(["Kids' ages?"], Texts(valid));
        Assert.Equal(0, valid.State.Attempts);
        Assert.Equal("40", valid.State.Variables["age"]);

        var once = await runner.ContinueAsync(graph, valid.State, Context(), "x", default);
        Assert.Equal("again", once.State.Node);
        Assert.Equal(1, once.State.Attempts);
        var twice = await runner.ContinueAsync(graph, once.State, Context(), "y", default);
        Assert.Equal(["gave up"], Texts(twice));
        Assert.Equal(0, twice.State.Attempts);
    }

    [Fact]
    public async Task Ask_DefaultThreeAttempts_ThenGaveUpText()
    {
        var graph = Graph("ask", [Node("ask", "ask", """{"text": "Email?", "variable": "email", "input": "email", "gave_up_text": "Never mind."}""")], []);
        var runner = new FlowRunner(new EchoResponder(), new RecordingFlowHost());
        var state = (await runner.StartAsync(graph, Context(), default)).State;
        state = (await runner.ContinueAsync(graph, state, Context(), "a", default)).State;
        state = (await runner.ContinueAsync(graph, state, Context(), "b", default)).State;
        Assert.Equal("ask", state.Node);
        var last = await runner.ContinueAsync(graph, state, Context(), "c", default);
        Assert.Equal(["Never mind."], Texts(last));
        Assert.True(last.State.Finished);
    }

    [Fact]
    public async Task AiAnswer_AfterMaxTurns_LeavesByDone_WithTheRedactedInputForTheResponder()
    {
        var graph = Graph("ai", [Node("ai", "ai_answer", """{"text": "Ask me", "max_turns": 2, "exit_keywords": ["bye"]}"""), Node("d", "end", """{"text": "done"}"""), Node("m", "end", """{"text": "said {{last_message}}"}""")],
            [Edge("ai", "done", "d"), Edge("ai", "matched", "m")]);
        var responder = new EchoResponder();
        var runner = new FlowRunner(responder, new RecordingFlowHost());
        var started = await runner.StartAsync(graph, Context(), default);
        Assert.Equal(["Ask me"], Texts(started));

        var first = await runner.ContinueAsync(graph, started.State, Context(), "mail jo@x.example", default, "mail [email]");
        Assert.Equal(["AI: mail [email]"], Texts(first));
        Assert.Null(responder.Requests[0].KnowledgeSourceIds);
        var second = await runner.ContinueAsync(graph, first.State, Context(), "more", default);
        Assert.Equal(["AI: more", "done"], Texts(second));

        var again = await runner.StartAsync(graph, Context(), default);
        var matched = await runner.ContinueAsync(graph, again.State, Context(), "OK BYE", default);
        Assert.Equal(["said OK BYE"], Texts(matched));
    }

    [Fact]
    public async Task AiAnswer_DefaultThreeTurns()
    {
        var graph = Graph("ai", [Node("ai", "ai_answer"), Node("d", "end", """{"text": "done"}""")], [Edge("ai", "done", "d")]);
        var runner = new FlowRunner(new EchoResponder(), new RecordingFlowHost());
        var state = (await runner.StartAsync(graph, Context(), default)).State;
        state = (await runner.ContinueAsync(graph, state, Context(), "1", default)).State;
        state = (await runner.ContinueAsync(graph, state, Context(), "2", default)).State;
        Assert.Equal(2, state.AiTurns);
        var third = await runner.ContinueAsync(graph, state, Context(), "3", default);
        Assert.Equal(["AI: 3", "done"], Texts(third));
    }

    [Fact]
    public async Task CaptureLead_FieldsFilled_LeadSavedAndIdKept()
    {
        var graph = Graph("l",
            [Node("l", "capture_lead", """{"fields": {"name": "{{name}}", "email": "{{email}}", "phone": "{{phone}}", "company": " "}, "custom": {"plan": "{{contact.plan}}"}}"""),
             Node("ok", "end", """{"text": "ok {{lead_id}}"}"""), Node("failed", "end", """{"text": "failed"}""")],
            [Edge("l", "next", "ok"), Edge("l", "failed", "failed")], """{"name": "Ann", "email": "ann@example.com"}""");
        var host = new RecordingFlowHost();

        var outcome = await new FlowRunner(new EchoResponder(), host).StartAsync(graph, Context(), default);

        Assert.Equal(["ok lead_1"], Texts(outcome));
        var lead = Assert.Single(host.Leads);
        Assert.Equal(("Ann", "ann@example.com", null, null), (lead.Name, lead.Email, lead.Phone, lead.Company));
        Assert.Equal("pro", lead.Custom["plan"]);
    }

    [Fact]
    public async Task CaptureLead_NoEmailOrPhoneOrRefused_LeavesByFailed()
    {
        var graph = Graph("l",
            [Node("l", "capture_lead", """{"fields": {"email": "{{email}}", "phone": "{{phone}}"}}"""), Node("ok", "end", """{"text": "ok"}"""), Node("failed", "end", """{"text": "failed"}""")],
            [Edge("l", "next", "ok"), Edge("l", "failed", "failed")]);
        var host = new RecordingFlowHost();
        Assert.Equal(["failed"], Texts(await new FlowRunner(new EchoResponder(), host).StartAsync(graph, Context(), default)));
        Assert.Empty(host.Leads);

        var phone = Graph("l",
            [Node("l", "capture_lead", """{"fields": {"phone": "+44 20 7946 0958"}}"""), Node("ok", "end", """{"text": "ok"}"""), Node("failed", "end", """{"text": "failed"}""")],
            [Edge("l", "next", "ok"), Edge("l", "failed", "failed")]);
        Assert.Equal(["ok"], Texts(await new FlowRunner(new EchoResponder(), host).StartAsync(phone, Context(), default)));
        host.LeadId = null;
        Assert.Equal(["failed"], Texts(await new FlowRunner(new EchoResponder(), host).StartAsync(phone, Context(), default)));
    }

    [Theory]
    [InlineData(200, "ok")]
    [InlineData(299, "ok")]
    [InlineData(199, "error")]
    [InlineData(300, "error")]
    [InlineData(500, "error")]
    public async Task Http_StatusOutside2xx_LeavesByError(int status, string port)
    {
        var graph = Graph("h", [Node("h", "http", """{"url": "https://api.example/x"}"""), Node("ok", "end", """{"text": "ok {{http_status}}"}"""), Node("error", "end", """{"text": "error {{http_status}}"}""")],
            [Edge("h", "ok", "ok"), Edge("h", "error", "error")]);
        var host = new RecordingFlowHost { Response = new(status, "{}") };
        var outcome = await new FlowRunner(new EchoResponder(), host).StartAsync(graph, Context(), default);
        Assert.Equal([$"{port} {status}"], Texts(outcome));
        var call = Assert.Single(host.Calls);
        Assert.Equal(("GET", TimeSpan.FromSeconds(10), null), (call.Method, call.Timeout, call.JsonBody));
    }

    [Fact]
    public async Task Http_MappingOverABodyThatIsNotJson_LeavesByError()
    {
        var graph = Graph("h", [Node("h", "http", """{"url": "https://api.example/x", "timeout_seconds": 3, "response_mapping": {"a": "$.a"}}"""), Node("ok", "end", """{"text": "ok"}"""), Node("error", "end", """{"text": "error"}""")],
            [Edge("h", "ok", "ok"), Edge("h", "error", "error")]);
        var host = new RecordingFlowHost { Response = new(200, "<html>") };
        Assert.Equal(["error"], Texts(await new FlowRunner(new EchoResponder(), host).StartAsync(graph, Context(), default)));
        Assert.Equal(TimeSpan.FromSeconds(3), host.Calls[0].Timeout);

        host.Response = new(200, "");
        Assert.Equal(["ok"], Texts(await new FlowRunner(new EchoResponder(), host).StartAsync(graph, Context(), default)));
        host.Response = new(200, """{"b": 1}""");
        Assert.Equal(["ok"], Texts(await new FlowRunner(new EchoResponder(), host).StartAsync(graph, Context(), default)));
    }

    [Fact]
    public async Task Http_BodyArraysAndNumbers_FilledInPlace()
    {
        var graph = Graph("h", [Node("h", "http", """{"method": "PUT", "url": "https://api.example/x", "body": {"tags": ["{{plan}}", 2, null], "deep": {"v": "{{plan}}"}}}""")], [],
            """{"plan": "pro"}""");
        var host = new RecordingFlowHost();
        await new FlowRunner(new EchoResponder(), host).StartAsync(graph, Context(), default);
        Assert.Equal("""{"tags":["pro",2,null],"deep":{"v":"pro"}}""", host.Calls[0].JsonBody);
        Assert.Equal("PUT", host.Calls[0].Method);
    }

    [Fact]
    public async Task Handoff_WithoutReason_FlowReason()
    {
        var graph = Graph("h", [Node("h", "handoff")], []);
        var outcome = await new FlowRunner(new EchoResponder(), new RecordingFlowHost()).StartAsync(graph, Context(), default);
        Assert.Equal("flow", outcome.HandoffReason);
        Assert.Empty(outcome.Replies);
    }

    [Fact]
    public async Task Jump_ContinuesAtItsTarget()
    {
        var graph = Graph("a",
            [Node("a", "ask", """{"text": "?", "variable": "v"}"""), Node("j", "jump", """{"target": "z"}"""), Node("z", "end", """{"text": "z {{v}}"}""")],
            [Edge("a", "next", "j")]);
        var runner = new FlowRunner(new EchoResponder(), new RecordingFlowHost());
        var started = await runner.StartAsync(graph, Context(), default);
        Assert.Equal(["z hello"], Texts(await runner.ContinueAsync(graph, started.State, Context(), "hello", default)));
    }

    [Fact]
    public async Task Continue_FinishedOrUnknownBlock_NothingMoreAndFinished()
    {
        var graph = Graph("e", [Node("e", "end", """{"text": "bye"}""")], []);
        var runner = new FlowRunner(new EchoResponder(), new RecordingFlowHost());

        var finished = await runner.ContinueAsync(graph, new FlowState { Finished = true, Node = "e" }, Context(), "hi", default);
        Assert.Empty(finished.Replies);
        Assert.True(finished.State.Finished);
        Assert.Null(finished.State.Node);

        var ghost = await runner.ContinueAsync(graph, new FlowState { Node = "ghost" }, Context(), "hi", default);
        Assert.Empty(ghost.Replies);
        Assert.True(ghost.State.Finished);

        var nowhere = await runner.ContinueAsync(graph, new FlowState(), Context(), "hi", default);
        Assert.True(nowhere.State.Finished);

        var atEnd = await runner.ContinueAsync(graph, new FlowState { Node = "e" }, Context(), "hi", default);
        Assert.Equal(["bye"], Texts(atEnd));
    }

    [Fact]
    public async Task BookAppointment_NoFreeTime_SaysSoAndLeavesByFailed()
    {
        var graph = Graph("b", [Node("b", "book_appointment"), Node("f", "end", """{"text": "failed"}""")], [Edge("b", "failed", "f")]);
        var host = new RecordingFlowHost();
        var outcome = await new FlowRunner(new EchoResponder(), host).StartAsync(graph, Context(), default);
        Assert.Equal(["Sorry, there is no free time to book at the moment.", "failed"], Texts(outcome));
        Assert.Equal((Now, Now.AddDays(14)), Assert.Single(host.SlotQueries));
        Assert.Empty(outcome.State.OfferedSlots);
    }

    [Fact]
    public async Task BookAppointment_OffersAtMostTheSlotsSetWithinTheDaysAhead_ThenBooksWithTheVisitorsDetails()
    {
        var graph = Graph("b", [Node("b", "book_appointment", """{"slots": 2, "days_ahead": 3, "text": "Pick, {{name}}", "notes": "via {{utm.utm_source}}", "phone": " "}"""), Node("e", "end", """{"text": "at {{booking_start}}"}""")],
            [Edge("b", "booked", "e")], """{"name": "Ann", "email": "ann@example.com"}""");
        var host = new RecordingFlowHost { Slots = [.. Enumerable.Range(1, 4).Select(h => new FlowSlot(Now.AddHours(h), Now.AddHours(h + 1)))] };
        var runner = new FlowRunner(new EchoResponder(), host);

        var offered = await runner.StartAsync(graph, Context(), default);
        Assert.Equal((Now, Now.AddDays(3)), Assert.Single(host.SlotQueries));
        var reply = Assert.Single(offered.Replies);
        Assert.Equal("Pick, Ann", reply.Text);
        Assert.Equal([new QuickReply("Tue 24 Nov, 11:00", "2026-11-24T11:00:00.0000000+00:00"), new QuickReply("Tue 24 Nov, 12:00", "2026-11-24T12:00:00.0000000+00:00")], reply.QuickReplies);

        var wrong = await runner.ContinueAsync(graph, offered.State, Context(), "tomorrow", default);
        Assert.Equal(["Please pick one of the times offered. Pick, Ann"], Texts(wrong));
        Assert.Empty(host.Bookings);

        var booked = await runner.ContinueAsync(graph, wrong.State, Context(), "2026-11-24T12:00:00.0000000+00:00", default);
        Assert.Equal(["You're booked. See you then!", "at 2026-11-24T12:00:00.0000000+00:00"], Texts(booked));
        var booking = Assert.Single(host.Bookings);
        Assert.Equal((Now.AddHours(2), "Ann", "ann@example.com", null, "via ads"), (booking.Start, booking.Name, booking.Email, booking.Phone, booking.Notes));
        Assert.Empty(booked.State.OfferedSlots);
        Assert.Equal("bk_1", booked.State.Variables["booking_id"]);
    }

    [Fact]
    public async Task BookAppointment_SlotTakenAndNothingLeft_NoFreeTimeText()
    {
        var graph = Graph("b", [Node("b", "book_appointment", """{"no_slots_text": "All gone."}"""), Node("f", "end", """{"text": "failed: {{booking_error}}"}""")], [Edge("b", "failed", "f")]);
        var host = new RecordingFlowHost { Slots = [new FlowSlot(Now.AddHours(1), Now.AddHours(2))], Booking = new FlowBookingResult(null, null, SlotTaken: true) };
        var runner = new FlowRunner(new EchoResponder(), host);
        var offered = await runner.StartAsync(graph, Context(), default);
        Assert.Equal(["When would suit you?"], Texts(offered));

        host.Slots = [];
        var taken = await runner.ContinueAsync(graph, offered.State, Context(), offered.Replies[0].QuickReplies[0].Value, default);
        Assert.Equal(["All gone.", "failed: "], Texts(taken));
    }

    [Fact]
    public async Task BookAppointment_FailedWithoutProblem_DefaultText()
    {
        var graph = Graph("b", [Node("b", "book_appointment"), Node("f", "end", """{"text": "failed"}""")], [Edge("b", "failed", "f")]);
        var host = new RecordingFlowHost { Slots = [new FlowSlot(Now.AddHours(1), Now.AddHours(2))], Booking = new FlowBookingResult(null, null) };
        var runner = new FlowRunner(new EchoResponder(), host);
        var offered = await runner.StartAsync(graph, Context(), default);
        var failed = await runner.ContinueAsync(graph, offered.State, Context(), offered.Replies[0].QuickReplies[0].Value, default);
        Assert.Equal(["That time could not be booked.", "failed"], Texts(failed));
    }
}
