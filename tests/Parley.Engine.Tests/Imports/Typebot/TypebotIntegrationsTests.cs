using Parley.Engine.Flows;
using Parley.Engine.Imports;

namespace Parley.Engine.Tests.Imports.Typebot;

public sealed class TypebotIntegrationsTests
{
    private const string Variables = """[ { "id": "vn", "name": "Full name" }, { "id": "vs", "name": "Status" }, { "id": "vi", "name": "Item" }, { "id": "vl", "name": "Listing" } ]""";

    [Fact]
    public void Map_GetRequest_QueryHeadersTimeoutAndResponsePathsCarriedOverWhereParleyCan()
    {
        var export = TypebotExport.Map("""
            { "id": "get", "type": "Webhook", "options": {
                "webhook": { "url": " https://api.example/items?lang=en ", "method": "get",
                  "queryParams": [ { "key": "for name", "value": "{{Full name}}" }, { "key": "", "value": "dropped" } ],
                  "headers": [ { "key": "X-Who", "value": "{{Full name}}" }, { "key": "X-Empty" } ],
                  "body": "{ \"ignored\": true }" },
                "isCustomBody": true, "timeout": 60, "isExecutedOnClient": true,
                "responseVariableMapping": [
                  { "variableId": "vl", "bodyPath": "data" }, { "variableId": "vi", "bodyPath": "data[0].name" },
                  { "variableId": "vs", "bodyPath": "statusCode" }, { "variableId": "unknown", "bodyPath": "data.x" } ] } },
            """ + TypebotExport.Text("next", "Done"), Variables);

        Assert.Equal(FlowBlocks.Http, export.Node("get").Type);
        Assert.Equal("https://api.example/items?lang=en&for%20name={{Full_name}}", export.Setting("get", "url"));
        Assert.Equal("GET", export.Setting("get", "method"));
        Assert.False(export.HasSetting("get", "body"));
        Assert.Equal("{{Full_name}}", export.Settings("get").GetProperty("headers").GetProperty("X-Who").GetString());
        Assert.Equal("", export.Settings("get").GetProperty("headers").GetProperty("X-Empty").GetString());
        Assert.Equal("30", export.Setting("get", "timeout_seconds"));
        var mapping = export.Settings("get").GetProperty("response_mapping");
        Assert.Equal(["Listing", "Item"], mapping.EnumerateObject().Select(p => p.Name));
        Assert.Equal(("$", "$[0].name"), (mapping.GetProperty("Listing").GetString(), mapping.GetProperty("Item").GetString()));
        Assert.Equal(ImportOutcome.Approximate, export.Block("get").Outcome);
        Assert.Equal("Like Typebot, the flow goes on whether the request succeeds or fails; Parley waits at most 30 seconds, not 60; "
            + "the response path 'statusCode' for Status is not carried over (Parley reads paths like data.items[0].name; the status is in {{http_status}}); "
            + "the request is sent by the server, not the visitor's browser.", export.Block("get").Note);
        Assert.Equal(("next", "next"), (export.Graph.Target("get", "ok"), export.Graph.Target("get", "error")));
    }

    [Fact]
    public void Map_RequestsWithBodies_JsonKeptTextSentAsAStringAndEveryVariableByDefault()
    {
        var export = TypebotExport.Map("""
            { "id": "put", "type": "Webhook", "options": { "webhook": { "url": "https://api.example/p", "method": "PUT", "body": "{ \"who\": \"{{Full name}}\" }" }, "isCustomBody": true, "timeout": "10" } },
            { "id": "form", "type": "Zapier", "options": { "webhook": { "url": "https://hooks.example/z", "body": "name={{Full name}}" }, "isCustomBody": true } },
            { "id": "all", "type": "Make.com", "options": { "webhook": { "url": "https://hooks.example/m", "body": "{ \"unused\": 1 }" } } },
            { "id": "odd", "type": "Pabbly", "options": { "webhook": { "url": "{{Listing}}/x", "method": "OPTIONS" } } }
            """, Variables);

        Assert.Equal("{{Full_name}}", export.Settings("put").GetProperty("body").GetProperty("who").GetString());
        Assert.Equal("10", export.Setting("put", "timeout_seconds"));
        Assert.Equal((ImportOutcome.Created, "Like Typebot, the flow goes on whether the request succeeds or fails."), (export.Block("put").Outcome, export.Block("put").Note));
        Assert.Equal("POST", export.Setting("form", "method"));
        Assert.Equal("name={{Full_name}}", export.Setting("form", "body"));
        Assert.Contains("sent as one JSON string", export.Block("form").Note);
        Assert.False(export.HasSetting("form", "timeout_seconds"));
        // Without a custom body Typebot sends every variable under its Typebot name.
        var all = export.Settings("all").GetProperty("body");
        Assert.Equal(["Full name", "Status", "Item", "Listing"], all.EnumerateObject().Select(p => p.Name));
        Assert.Equal("{{Full_name}}", all.GetProperty("Full name").GetString());
        Assert.Equal(("GET", "{{Listing}}/x"), (export.Setting("odd", "method"), export.Setting("odd", "url")));
        Assert.Contains("Parley has no OPTIONS request; it sends GET", export.Block("odd").Note);
        Assert.Equal(("form", "form"), (export.Graph.Target("put", "ok"), export.Graph.Target("put", "error")));
    }

    [Fact]
    public void Map_RequestsParleyCannotSend_NotCarriedWithTheReason()
    {
        var export = TypebotExport.Map("""
            { "id": "relative", "type": "Webhook", "options": { "webhook": { "url": "/api/leads" } } },
            { "id": "nourl", "type": "Webhook", "options": { "webhook": { "method": "POST" } } },
            { "id": "norequest", "type": "Webhook", "options": {} },
            """ + TypebotExport.Text("next", "Done"));

        Assert.Equal("'/api/leads' is not an absolute http(s) URL.", export.Block("relative").Note);
        Assert.Equal("The request has no URL.", export.Block("nourl").Note);
        Assert.Equal(ImportOutcome.NotCarried, export.Block("norequest").Outcome);
        Assert.Equal("next", export.Graph.Start);
    }

    [Fact]
    public void Map_AiBlocks_ChatBecomesAnAiAnswerOtherActionsAreNotCarried()
    {
        var longSystem = new string('s', 350);
        var export = TypebotExport.Map($$"""
            { "id": "chat", "type": "OpenAI", "options": { "action": "Create chat completion", "model": "gpt-4o",
                "messages": [ { "role": "user", "content": "Hi" }, { "role": "system" }, { "role": "system", "content": "You are Ava." } ] } },
            { "id": "image", "type": "anthropic", "options": { "action": "Create image" } },
            { "id": "ask", "type": "groq", "options": { "task": "Ask assistant" } },
            { "id": "send", "type": "open-router", "options": { "action": "Send message", "systemMessage": "{{longSystem}}" } },
            { "id": "plain", "type": "mistral" }
            """);

        Assert.Equal(FlowBlocks.AiAnswer, export.Node("chat").Type);
        Assert.Equal("10", export.Setting("chat", "max_turns"));
        Assert.Equal("ask", export.Graph.Target("chat", "done"));
        Assert.Equal(ImportOutcome.Approximate, export.Block("chat").Outcome);
        Assert.Equal("Becomes an AI answer block: it answers the visitor's next messages with the bot's own model and knowledge, then goes on. "
            + "Typebot's prompt messages, response variables and credentials are not carried over (the model was gpt-4o); "
            + "put its system message into the bot's instructions: \"You are Ava.\".", export.Block("chat").Note);
        Assert.Equal("The anthropic action 'Create image' has no Parley block.", export.Block("image").Note);
        Assert.Equal(FlowBlocks.AiAnswer, export.Node("ask").Type);
        Assert.EndsWith("credentials are not carried over.", export.Block("ask").Note);
        Assert.Contains($"\"{new string('s', 300)}…\"", export.Block("send").Note);
        Assert.Equal(FlowBlocks.AiAnswer, export.Node("plain").Type);
    }

    [Fact]
    public void Map_CalCom_BooksOnParleysCalendarWithTheContactDetails()
    {
        var export = TypebotExport.Map("""
            { "id": "cal", "type": "cal-com", "options": { "link": "acme/intro", "name": "{{Full name}}", "email": "", "phone": "{{Status}}", "additionalNotes": "From {{Item}}" } },
            { "id": "plain", "type": "cal-com", "options": { "saveBookedDateInVariableId": "unknown" } },
            """ + TypebotExport.Text("next", "Done"), Variables);

        Assert.Equal(FlowBlocks.BookAppointment, export.Node("cal").Type);
        Assert.Equal(("Here are the next free times. Which suits you?", "3", "14"), (export.Setting("cal", "text"), export.Setting("cal", "slots"), export.Setting("cal", "days_ahead")));
        Assert.Equal(("{{Full_name}}", "{{Status}}", "From {{Item}}"), (export.Setting("cal", "name"), export.Setting("cal", "phone"), export.Setting("cal", "notes")));
        Assert.False(export.HasSetting("cal", "email"));
        Assert.Equal(("plain", "plain"), (export.Graph.Target("cal", "booked"), export.Graph.Target("cal", "failed")));
        Assert.Contains("instead of the Cal.com event 'acme/intro'; the visitor picks", export.Block("cal").Note);
        Assert.Contains("instead of the Cal.com event; the visitor picks", export.Block("plain").Note);
        Assert.Equal(["plain"], export.Block("plain").Nodes);
        Assert.Equal(("next", "next"), (export.Graph.Target("plain", "booked"), export.Graph.Target("plain", "failed")));
    }
}
