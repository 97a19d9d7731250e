using System.Net;
using System.Text.Json.Nodes;
using Parley.Server.Tests.Infrastructure;
using static Parley.Server.Tests.Features.Flows.FlowApi;

namespace Parley.Server.Tests.Features.Flows;

/// <summary>Test runs of a draft: the flow runs step by step for its owner and nothing of it is stored.</summary>
public sealed class FlowTestRunTests(FlowApp app) : IClassFixture<FlowApp>
{
    private static readonly string LeadFlow = Flow("pick",
    [
        Node("pick", "choice", """{"text": "Shall we write to you?", "options": [{"id": "yes", "label": "Yes please"}, {"id": "no", "label": "No"}]}"""),
        Node("email", "ask", """{"text": "Your email?", "variable": "email", "input": "email"}"""),
        Node("lead", "capture_lead", """{"fields": {"email": "{{email}}"}}"""),
        Node("thanks", "end", """{"text": "Thanks, {{email}}!"}"""),
        Node("bye", "end", """{"text": "Bye!"}"""),
    ],
    [Edge("pick", "yes", "email"), Edge("pick", "no", "bye"), Edge("email", "next", "lead"), Edge("lead", "next", "thanks")]);

    private static async Task<HttpResponseMessage> StepAsync(HttpClient client, string botId, object body) =>
        await client.PostJsonAsync($"/v1/bots/{botId}/flow/test-run", body);

    [Fact]
    public async Task TestRun_UnpublishedDraft_RunsStepByStepAndStoresNothing()
    {
        var client = app.Client();
        var botId = await client.CreateBotAsync();
        await (await client.PutFlowAsync(botId, LeadFlow)).JsonAsync(HttpStatusCode.OK);
        var leadsBefore = app.Leads.Received.Count;

        var opened = await (await StepAsync(client, botId, new { })).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(["Shall we write to you?"], opened.Texts());
        Assert.Equal(["yes", "no"], opened["messages"]![0]!.Choices());
        Assert.Equal("pick", (string?)opened["active_node"]);

        var asked = await (await StepAsync(client, botId, new { state = opened["state"], choice = "yes" })).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(["Your email?"], asked.Texts());
        Assert.Equal("email", (string?)asked["active_node"]);
        var refused = await (await StepAsync(client, botId, new { state = asked["state"], text = "not an email" })).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("email", (string?)refused["active_node"]);
        var done = await (await StepAsync(client, botId, new { state = refused["state"], text = "Ada@Example.com" })).JsonAsync(HttpStatusCode.OK);

        Assert.Equal(["Thanks, Ada@example.com!"], done.Texts());
        Assert.True((bool)done["finished"]!);
        Assert.Null((string?)done["active_node"]);
        Assert.Contains(done["notes"]!.AsArray(), n => ((string)n!).Contains("A lead would be captured (email Ada@example.com)", StringComparison.Ordinal));
        Assert.Equal(leadsBefore, app.Leads.Received.Count);
        var conversations = await (await client.GetAsync($"/v1/conversations?bot_id={botId}")).JsonAsync(HttpStatusCode.OK);
        Assert.Empty(conversations["data"]!.AsArray());
        var flow = await (await client.GetAsync($"/v1/bots/{botId}/flow")).JsonAsync(HttpStatusCode.OK);
        Assert.Null(flow["published_version"]);
    }

    [Fact]
    public async Task TestRun_GraphSent_RunsItRatherThanTheDraftAndBooksNothing()
    {
        var client = app.Client();
        var botId = await client.CreateBotAsync();
        await (await client.PutFlowAsync(botId, LeadFlow)).JsonAsync(HttpStatusCode.OK);
        var graph = JsonNode.Parse(Flow("book",
            [Node("book", "book_appointment", """{"text": "Which time?", "confirmation_text": "Booked for {{booking_start}}."}"""), Node("done", "end", """{"text": "See you."}""")],
            [Edge("book", "booked", "done")]));

        var offered = await (await StepAsync(client, botId, new { flow = graph })).JsonAsync(HttpStatusCode.OK);
        var slot = offered["messages"]![0]!.Choices()[0];
        var booked = await (await StepAsync(client, botId, new { flow = graph, state = offered["state"], choice = slot })).JsonAsync(HttpStatusCode.OK);

        Assert.Equal("Which time?", offered.Texts()[0]);
        Assert.Contains("See you.", booked.Texts());
        Assert.Contains(booked["notes"]!.AsArray(), n => ((string)n!).Contains("would be booked", StringComparison.Ordinal));
        Assert.Empty(app.Bookings.Booked);
    }

    [Fact]
    public async Task TestRun_FlowThatCannotRun_422AndNoDraft_409()
    {
        var client = app.Client();
        var botId = await client.CreateBotAsync();

        await (await StepAsync(client, botId, new { })).ProblemAsync(HttpStatusCode.Conflict, "conflict");
        var broken = JsonNode.Parse(Flow("hello", [Node("hello", "message", """{"text": "Hi"}"""), Node("lost", "end")], []));
        var problem = await (await StepAsync(client, botId, new { flow = broken })).ProblemAsync(HttpStatusCode.UnprocessableEntity, "invalid_flow");

        Assert.NotNull(problem["errors"]!["lost"]);
        await (await client.GetAsync("/v1/bots/bot_missing/flow")).ProblemAsync(HttpStatusCode.NotFound, "not_found");
        await (await StepAsync(client, "bot_missing", new { })).ProblemAsync(HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task TestRun_BadStateOrNoAnswer_400()
    {
        var client = app.Client();
        var botId = await client.CreateBotAsync();
        await (await client.PutFlowAsync(botId, LeadFlow)).JsonAsync(HttpStatusCode.OK);
        var opened = await (await StepAsync(client, botId, new { })).JsonAsync(HttpStatusCode.OK);

        var badState = await (await StepAsync(client, botId, new { state = "garbage", text = "yes" })).ProblemAsync(HttpStatusCode.BadRequest, "invalid_request");
        var noAnswer = await (await StepAsync(client, botId, new { state = opened["state"] })).ProblemAsync(HttpStatusCode.BadRequest, "invalid_request");

        Assert.NotNull(badState["errors"]!["state"]);
        Assert.NotNull(noAnswer["errors"]!["text"]);
    }
}
