using static Parley.Engine.Tests.Flows.FlowTestKit;
using Parley.Engine.Flows;
using Parley.Engine.Responders;
using Parley.Engine.Turns;

namespace Parley.Engine.Tests.Flows;

public sealed class FlowRunnerTests
{
    private static readonly List<FlowSlot> OneSlot = [new FlowSlot(Now.AddHours(1), Now.AddHours(2))];

    [Fact]
    public async Task Start_MessageThenChoice_SendsBothAndWaitsOnTheChoice()
    {
        var graph = Graph("hi",
            [Node("hi", "message", """{"text": "Hello <script>x</script>**there**"}"""),
             Node("pick", "choice", """{"text": "Pick", "options": [{"id": "a", "label": "Apples"}], "variable": "fruit"}"""),
             Node("bye", "end", """{"text": "You chose {{fruit}}"}""")],
            [Edge("hi", "next", "pick"), Edge("pick", "a", "bye")]);
        var runner = new FlowRunner(new EchoResponder(), new RecordingFlowHost());

        var started = await runner.StartAsync(graph, Context(), default);
        Assert.Equal(["Hello x**there**", "Pick"], started.Replies.Select(r => r.Text));
        Assert.Equal(new QuickReply("Apples", "a"), Assert.Single(started.Replies[1].QuickReplies));
        Assert.Equal("pick", started.State.Node);

        var wrong = await runner.ContinueAsync(graph, started.State, Context(), "pears", default);
        Assert.Equal("pick", wrong.State.Node);
        Assert.Single(wrong.Replies[0].QuickReplies);

        var done = await runner.ContinueAsync(graph, wrong.State, Context(), "a", default);
        Assert.Equal("You chose Apples", Assert.Single(done.Replies).Text);
        Assert.True(done.State.Finished);
    }

    [Fact]
    public async Task Ask_InvalidThenValidPhone_ReasksThenStoresE164()
    {
        var graph = Graph("ask",
            [Node("ask", "ask", """{"text": "Phone?", "variable": "phone", "input": "phone", "default_region": "GB"}"""), Node("end", "end", """{"text": "Got {{phone}}"}""")],
            [Edge("ask", "next", "end")]);
        var runner = new FlowRunner(new EchoResponder(), new RecordingFlowHost());
        var state = (await runner.StartAsync(graph, Context(), default)).State;

        var retry = await runner.ContinueAsync(graph, state, Context(), "not a phone", default);
        Assert.Contains("phone number", Assert.Single(retry.Replies).Text, StringComparison.Ordinal);
        Assert.Equal(1, retry.State.Attempts);

        var ok = await runner.ContinueAsync(graph, retry.State, Context(), "020 7946 0958", default);
        Assert.Equal("Got +442079460958", Assert.Single(ok.Replies).Text);
    }

    [Fact]
    public async Task Ask_TooManyBadAnswers_LeavesByGaveUp()
    {
        var graph = Graph("ask",
            [Node("ask", "ask", """{"text": "Age?", "variable": "age", "input": "number", "min": 18, "max": 120, "max_attempts": 2}"""),
             Node("ok", "end", """{"text": "ok"}"""), Node("gave", "end", """{"text": "never mind"}""")],
            [Edge("ask", "next", "ok"), Edge("ask", "gave_up", "gave")]);
        var runner = new FlowRunner(new EchoResponder(), new RecordingFlowHost());
        var state = (await runner.StartAsync(graph, Context(), default)).State;

        var first = await runner.ContinueAsync(graph, state, Context(), "12", default);
        Assert.Equal("Please give a number from 18 to 120.", Assert.Single(first.Replies).Text);
        var second = await runner.ContinueAsync(graph, first.State, Context(), "twelve", default);
        Assert.Equal("never mind", Assert.Single(second.Replies).Text);
        Assert.True(second.State.Finished);
    }

    [Fact]
    public async Task Condition_OnVariableContactPageAndUtm_PicksTheRightPort()
    {
        var graph = Graph("c",
            [Node("c", "condition", """{"match": "all", "rules": [ {"source": "variable", "key": "tier", "operator": "equals", "value": "gold"}, {"source": "contact", "key": "plan", "operator": "equals", "value": "PRO"}, {"source": "page_url", "operator": "contains", "value": "/pricing"}, {"source": "utm", "key": "utm_source", "operator": "starts_with", "value": "ad"}]}"""),
             Node("yes", "end", """{"text": "yes"}"""), Node("no", "end", """{"text": "no"}""")],
            [Edge("c", "true", "yes"), Edge("c", "false", "no")], """{"tier": "gold"}""");
        var runner = new FlowRunner(new EchoResponder(), new RecordingFlowHost());

        Assert.Equal("yes", Assert.Single((await runner.StartAsync(graph, Context(), default)).Replies).Text);
    }

    [Fact]
    public async Task Condition_BusinessHours_FollowsTheClock()
    {
        var graph = Graph("c",
            [Node("c", "condition", """{"rules": [{"source": "business_hours", "operator": "open"}]}"""),
             Node("open", "end", """{"text": "open"}"""), Node("closed", "end", """{"text": "closed"}""")],
            [Edge("c", "true", "open"), Edge("c", "false", "closed")]);
        var runner = new FlowRunner(new EchoResponder(), new RecordingFlowHost());
        // 10:00 UTC on a Tuesday is 11:00 in Paris.
        var hours = """{"time_zone": "Europe/Paris", "weekly": {"tuesday": [{"open": "09:00", "close": "12:00"}]}}""";
        var late = """{"time_zone": "Europe/Paris", "weekly": {"tue": [{"open": "12:00", "close": "18:00"}]}}""";

        Assert.Equal("open", (await runner.StartAsync(graph, Context(hours), default)).Replies[0].Text);
        Assert.Equal("closed", (await runner.StartAsync(graph, Context(late), default)).Replies[0].Text);
    }

    [Fact]
    public async Task AiAnswer_AnswersUntilKeywordThenLeavesByMatched()
    {
        var graph = Graph("ai",
            [Node("ai", "ai_answer", """{"exit_keywords": ["human"], "max_turns": 5, "knowledge_source_ids": ["ks_1"]}"""), Node("h", "end", """{"text": "bye"}""")],
            [Edge("ai", "matched", "h")]);
        var responder = new EchoResponder();
        var runner = new FlowRunner(responder, new RecordingFlowHost());
        var state = (await runner.StartAsync(graph, Context(), default)).State;

        var answered = await runner.ContinueAsync(graph, state, Context(), "opening hours?", default);
        Assert.Equal("AI: opening hours?", Assert.Single(answered.Replies).Text);
        Assert.Equal(["ks_1"], responder.Requests[0].KnowledgeSourceIds);

        var matched = await runner.ContinueAsync(graph, answered.State, Context(), "I want a HUMAN", default);
        Assert.Equal("bye", Assert.Single(matched.Replies).Text);
        Assert.Single(responder.Requests);
    }

    [Fact]
    public async Task Http_FillsUrlAndBodyAndMapsTheResponse()
    {
        var graph = Graph("set",
            [Node("set", "set_variable", """{"variable": "q", "value": "a b&c"}"""),
             Node("call", "http", """{"method": "POST", "url": "https://api.example/find?q={{q}}", "headers": {"X-Key": "k-{{q}}"}, "body": {"query": "{{q}}", "n": 1}, "response_mapping": {"city": "$.items[1].city"}}"""),
             Node("ok", "end", """{"text": "City: {{city}} ({{http_status}})"}""")],
            [Edge("set", "next", "call"), Edge("call", "ok", "ok")]);
        var host = new RecordingFlowHost { Response = new(200, """{"items": [{"city": "Paris"}, {"city": "Lyon"}]}""") };

        var outcome = await new FlowRunner(new EchoResponder(), host).StartAsync(graph, Context(), default);

        var call = Assert.Single(host.Calls);
        Assert.Equal("https://api.example/find?q=a%20b%26c", call.Url);
        Assert.Equal("""{"query":"a b\u0026c","n":1}""", call.JsonBody);
        Assert.Equal("k-a b&c", call.Headers["X-Key"]);
        Assert.Equal("City: Lyon (200)", Assert.Single(outcome.Replies).Text);
    }

    [Fact]
    public async Task Handoff_EndsTheFlowWithItsReason()
    {
        var graph = Graph("h", [Node("h", "handoff", """{"text": "One moment", "reason": "sales"}""")], []);

        var outcome = await new FlowRunner(new EchoResponder(), new RecordingFlowHost()).StartAsync(graph, Context(), default);

        Assert.Equal("sales", outcome.HandoffReason);
        Assert.True(outcome.State.Finished);
    }

    [Fact]
    public async Task BookAppointment_SlotTakenMeanwhile_OffersAgainButOtherProblemsFail()
    {
        var graph = Graph("b", [Node("b", "book_appointment", """{"text": "When?"}"""), Node("e", "end"), Node("f", "end", """{"text": "Failed: {{booking_error}}"}""")],
            [Edge("b", "booked", "e"), Edge("b", "failed", "f")]);
        var host = new RecordingFlowHost { Slots = OneSlot, Booking = new FlowBookingResult(null, "Gone.", SlotTaken: true) };
        var runner = new FlowRunner(new EchoResponder(), host);
        var started = await runner.StartAsync(graph, Context(), default);
        var slot = started.Replies[0].QuickReplies[0].Value;

        var again = await runner.ContinueAsync(graph, started.State, Context(), slot, default);
        Assert.Equal("Gone. When?", Assert.Single(again.Replies).Text);
        Assert.Equal("b", again.State.Node);
        Assert.NotEmpty(again.Replies[0].QuickReplies);

        host.Booking = new FlowBookingResult(null, "No such slot.");
        var failed = await runner.ContinueAsync(graph, again.State, Context(), again.Replies[0].QuickReplies[0].Value, default);
        Assert.Equal(["No such slot.", "Failed: No such slot."], failed.Replies.Select(r => r.Text));
        Assert.True(failed.State.Finished);
    }

    [Fact]
    public async Task BookAppointment_OffersSlotsThenBooks()
    {
        var graph = Graph("b", [Node("b", "book_appointment", """{"confirmation_text": "Booked {{booking_id}}"}"""), Node("e", "end")], [Edge("b", "booked", "e")]);
        var runner = new FlowRunner(new EchoResponder(), new RecordingFlowHost { Slots = OneSlot });

        var offered = await runner.StartAsync(graph, Context(), default);
        var slot = Assert.Single(Assert.Single(offered.Replies).QuickReplies);
        var booked = await runner.ContinueAsync(graph, offered.State, Context(), slot.Value, default);

        Assert.Equal("Booked bk_1", Assert.Single(booked.Replies).Text);
        Assert.True(booked.State.Finished);
    }
}
