using Parley.Engine.Flows;
using Parley.Engine.Imports;

namespace Parley.Engine.Tests.Imports.Typebot;

public sealed class TypebotInputsTests
{
    private const string Variables = """
        [ { "id": "vn", "name": "Full name" }, { "id": "ve", "name": "Email" }, { "id": "vp", "name": "Phone" },
          { "id": "vq", "name": "Quantity" }, { "id": "vr", "name": "Score" }, { "id": "vc", "name": "Choice" } ]
        """;

    [Fact]
    public void Map_Inputs_EachBecomesAnAskWithItsCheck()
    {
        var export = TypebotExport.Map("""
            { "id": "text", "type": "text input", "options": { "variableId": "vn", "labels": { "placeholder": "Type your name, {{Full name}}" } } },
            { "id": "url", "type": "url input", "options": { "variableId": "vn", "retryMessageContent": "Not a link, {{Full name}}" } },
            { "id": "num", "type": "number input", "options": { "variableId": "vq", "min": 1, "max": "12.5" } },
            { "id": "date", "type": "date input", "options": { "variableId": "vn" } },
            { "id": "rate", "type": "rating input", "options": { "variableId": "vr", "startsAt": 1, "length": 5 } },
            { "id": "rate0", "type": "rating input", "options": { "variableId": "vr" } }
            """, Variables);

        Assert.Equal(("text", "Full_name", "10"), (export.Setting("text", "input"), export.Setting("text", "variable"), export.Setting("text", "max_attempts")));
        Assert.Equal("Type your name, {{Full_name}}", export.Setting("text", "text"));
        Assert.Equal("url", export.Setting("url", "input"));
        Assert.Equal("Not a link, {{Full_name}}", export.Setting("url", "retry_text"));
        Assert.False(export.HasSetting("text", "retry_text"));
        Assert.Equal(("number", "1", "12.5"), (export.Setting("num", "input"), export.Setting("num", "min"), export.Setting("num", "max")));
        Assert.Equal("date", export.Setting("date", "input"));
        Assert.All(new[] { "text", "url", "num", "date" }, id => Assert.Equal((ImportOutcome.Created, null), (export.Block(id).Outcome, export.Block(id).Note)));

        Assert.Equal(("number", "1", "5"), (export.Setting("rate", "input"), export.Setting("rate", "min"), export.Setting("rate", "max")));
        Assert.Equal(("0", "10"), (export.Setting("rate0", "min"), export.Setting("rate0", "max")));
        Assert.Equal(ImportOutcome.Approximate, export.Block("rate").Outcome);
        Assert.Contains("without stars", export.Block("rate").Note);

        // Each question goes on to the next block whether it was answered or given up on.
        Assert.Equal(("url", "url"), (export.Graph.Target("text", "next"), export.Graph.Target("text", "gave_up")));
        Assert.Equal("text", export.Graph.Start);
        Assert.Null(export.Graph.Target("rate0", "next"));
    }

    [Fact]
    public void Map_InputsParleyChecksDifferently_ApproximateWithTheDifference()
    {
        var export = TypebotExport.Map("""
            { "id": "num", "type": "number input", "options": { "variableId": "vq", "min": "{{Score}}", "max": 10 } },
            { "id": "range", "type": "date input", "options": { "variableId": "vn", "isRange": true } },
            { "id": "timed", "type": "date input", "options": { "variableId": "vn", "hasTime": true } },
            { "id": "time", "type": "time input", "options": { "variableId": "vn" } },
            { "id": "files", "type": "text input", "options": { "variableId": "vn", "attachments": { "isEnabled": true } } },
            { "id": "nofiles", "type": "text input", "options": { "variableId": "vn", "attachments": { "isEnabled": false } } },
            { "id": "unsaved", "type": "text input" }
            """, Variables);

        Assert.False(export.HasSetting("num", "min"));
        Assert.Equal("10", export.Setting("num", "max"));
        Assert.Equal("Its min comes from a variable, which Parley's number check does not read.", export.Block("num").Note);
        Assert.Equal("Parley asks for one date, without a range or a time of day.", export.Block("range").Note);
        Assert.Equal(ImportOutcome.Approximate, export.Block("timed").Outcome);
        Assert.Equal("text", export.Setting("time", "input"));
        Assert.Contains("no time check", export.Block("time").Note);
        Assert.Equal("Attachments are not taken.", export.Block("files").Note);
        Assert.Equal(ImportOutcome.Created, export.Block("nofiles").Outcome);
        // Parley's ask always keeps its answer: an input Typebot did not save gets a variable of its own.
        Assert.Equal("text_answer", export.Setting("unsaved", "variable"));
        Assert.Equal("Typebot did not save the answer; Parley saves it in 'text_answer'.", export.Block("unsaved").Note);
        Assert.All(export.Graph.Nodes, n => Assert.Equal(FlowBlocks.Ask, n.Type));
    }

    [Fact]
    public void Map_PhoneAfterEmail_EachFollowedByALeadWithWhatTheFlowHasCollected()
    {
        var export = TypebotExport.Map("""
            { "id": "name", "type": "text input", "options": { "variableId": "vn" } },
            { "id": "q", "type": "text", "content": { "plainText": "Your email?" } },
            { "id": "email", "type": "email input", "options": { "variableId": "ve" } },
            { "id": "phone", "type": "phone number input", "options": { "variableId": "vp", "defaultCountryCode": "de" } },
            { "id": "phone2", "type": "phone number input", "options": { "variableId": "vp", "defaultCountryCode": "DEU" } }
            """, Variables);

        Assert.Equal("Your email?", export.Setting("email", "text"));
        Assert.Equal("email_2", export.Graph.Target("email", "next"));
        Assert.Equal("phone", export.Graph.Target("email", "gave_up"));
        var emailLead = export.Node("email_2");
        Assert.Equal(FlowBlocks.CaptureLead, emailLead.Type);
        Assert.Equal(["email", "phone", "name"], emailLead.Settings.GetProperty("fields").EnumerateObject().Select(p => p.Name));
        Assert.Equal("{{Email}}", emailLead.Settings.GetProperty("fields").GetProperty("email").GetString());
        Assert.Equal("{{Phone}}", emailLead.Settings.GetProperty("fields").GetProperty("phone").GetString());
        Assert.Equal("{{Full_name}}", emailLead.Settings.GetProperty("fields").GetProperty("name").GetString());
        Assert.Equal(("phone", "phone"), (export.Graph.Target("email_2", "next"), export.Graph.Target("email_2", "failed")));
        Assert.Equal(["email", "email_2"], export.Block("email").Nodes);
        Assert.Equal(ImportOutcome.Created, export.Block("email").Outcome);
        Assert.StartsWith("A capture-lead block is added after it", export.Block("email").Note);
        // The extra block sits one column to the right of the question, on its row.
        Assert.Equal((export.Node("email").X + 280, export.Node("email").Y), (emailLead.X, emailLead.Y));
        Assert.Equal((100d, 200 + 2 * 110d), (export.Node("email").X, export.Node("email").Y));

        Assert.Equal(("phone", "DE"), (export.Setting("phone", "input"), export.Setting("phone", "default_region")));
        Assert.False(export.HasSetting("phone2", "default_region"));
        Assert.Equal("{{Email}}", export.Settings("phone_2").GetProperty("fields").GetProperty("email").GetString());
        Assert.Equal("{{Phone}}", export.Settings("phone_2").GetProperty("fields").GetProperty("phone").GetString());
        Assert.Equal("phone2", export.Graph.Target("phone_2", "next"));
    }

    [Fact]
    public void Map_EmailWithoutSavedAnswerOrOtherContacts_LeadHoldsTheFreshVariableOnly()
    {
        var export = TypebotExport.Map("""{ "id": "email", "type": "email input" }""");

        Assert.Equal("email_answer", export.Setting("email", "variable"));
        var fields = export.Settings("email_2").GetProperty("fields");
        Assert.Equal(["email"], fields.EnumerateObject().Select(p => p.Name));
        Assert.Equal(ImportOutcome.Approximate, export.Block("email").Outcome);
        Assert.Equal("Typebot did not save the answer; Parley saves it in 'email_answer'. A capture-lead block is added after it, so the answer is kept as a lead (Typebot kept it only in its results).",
            export.Block("email").Note);
    }

    [Fact]
    public void Map_Buttons_EachOptionWiredWhereItsItemLeads()
    {
        var export = TypebotExport.Map("""
            { "id": "q", "type": "text", "content": { "plainText": "Which plan, {{Full name}}?" } },
            { "id": "pick", "type": "choice input", "options": { "variableId": "vc" }, "items": [
              { "id": "i1", "content": "  Basic  ", "outgoingEdgeId": "e1" },
              { "id": "i2", "content": "Pro for {{Full name}}" },
              { "id": "i3", "content": "" },
              { "id": "i4" } ] },
            """ + TypebotExport.Text("after", "Noted"), Variables,
            otherGroups: """
                { "id": "g2", "title": "Pro", "graphCoordinates": { "x": 500, "y": 0 }, "blocks": [ { "id": "pro", "type": "text", "content": { "plainText": "Pro it is" } } ] },
                { "id": "g3", "title": "Basic", "graphCoordinates": { "x": 900, "y": 0 }, "blocks": [ { "id": "basic", "type": "text", "content": { "plainText": "Basic it is" } } ] }
                """,
            otherEdges: """
                { "id": "e1", "from": { "blockId": "pick", "itemId": "i1" }, "to": { "groupId": "g3" } },
                { "id": "e2", "from": { "blockId": "pick", "itemId": "i2" }, "to": { "groupId": "g2" } }
                """);

        Assert.Equal("Which plan, {{Full_name}}?", export.Setting("pick", "text"));
        Assert.Equal("Choice", export.Setting("pick", "variable"));
        Assert.Equal(["Basic", "Pro for {{Full_name}}", "Option 3", "Option 4"],
            export.Settings("pick").GetProperty("options").EnumerateArray().Select(o => o.GetProperty("label").GetString()));
        Assert.Equal("basic", export.Graph.Target("pick", "option_1"));
        Assert.Equal("pro", export.Graph.Target("pick", "option_2"));
        Assert.Equal("after", export.Graph.Target("pick", "option_3"));
        Assert.Equal((ImportOutcome.Created, null), (export.Block("pick").Outcome, export.Block("pick").Note));
        Assert.Equal("Becomes the question of the block 'pick'.", export.Block("q").Note);
        Assert.Empty(export.Block("q").Nodes);
    }

    [Fact]
    public void Map_PictureChoiceWithConditionsAndLongTitles_ButtonsCarryTitlesAndSayWhatIsLost()
    {
        var export = TypebotExport.Map($$"""
            { "id": "pics", "type": "picture choice input", "items": [
              { "id": "p1", "title": "Red", "pictureSrc": "https://x.example/red.png", "displayCondition": { "isEnabled": true } },
              { "id": "p2", "pictureSrc": "https://x.example/blue.png", "displayCondition": { "isEnabled": false } },
              { "id": "p3" },
              { "id": "p4", "title": "{{new string('x', 150)}}" } ] }
            """);

        var labels = export.Settings("pics").GetProperty("options").EnumerateArray().Select(o => o.GetProperty("label").GetString()).ToList();
        Assert.Equal(["Red", "https://x.example/blue.png", "Option 3", new string('x', 100)], labels);
        Assert.Equal("Please choose:", export.Setting("pics", "text"));
        Assert.False(export.HasSetting("pics", "variable"));
        Assert.Equal("The button 'Red' is always shown (Parley has no display conditions); the pictures are not shown; the buttons carry their titles.",
            export.Block("pics").Note);
    }

    [Fact]
    public void Map_ButtonsFromAVariableOrNone_NotCarriedAndTheBubbleAboveStaysAMessage()
    {
        var export = TypebotExport.Map("""
            { "id": "q", "type": "text", "content": { "plainText": "Pick a slot" } },
            { "id": "dynamic", "type": "choice input", "options": { "dynamicVariableId": "vc" }, "items": [ { "id": "i1", "content": "A" } ] },
            { "id": "empty", "type": "choice input", "items": [] }
            """, Variables);

        Assert.Equal("Pick a slot", export.Setting("q", "text"));
        Assert.Equal(ImportOutcome.NotCarried, export.Block("dynamic").Outcome);
        Assert.Contains("dynamic items", export.Block("dynamic").Note);
        Assert.Equal(ImportOutcome.NotCarried, export.Block("empty").Outcome);
        Assert.Equal(["q"], export.Graph.Nodes.Select(n => n.Id));
    }
}
