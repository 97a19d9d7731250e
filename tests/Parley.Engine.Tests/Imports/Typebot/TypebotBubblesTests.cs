using Parley.Engine.Flows;
using Parley.Engine.Imports;

namespace Parley.Engine.Tests.Imports.Typebot;

public sealed class TypebotBubblesTests
{
    [Fact]
    public void Map_RichText_HeadingsListsMarksAndLinksBecomeMarkdown()
    {
        var export = TypebotExport.Map("""
            { "id": "t", "type": "text", "content": { "richText": [
              { "type": "h2", "children": [ { "text": "Our plans" } ] },
              { "type": "p", "children": [ { "text": " Prices " , "bold": true }, { "text": "are ", "italic": true }, { "text": "fixed", "code": true },
                { "text": " and ", "underline": true }, { "type": "a", "url": "https://acme.example/p", "children": [ { "text": "listed" } ] },
                { "type": "a", "children": [ { "text": " here" } ] } ] },
              { "type": "ol", "children": [
                { "type": "li", "children": [ { "type": "lic", "children": [ { "text": "Basic" } ] },
                  { "type": "ul", "children": [ { "type": "li", "children": [ { "type": "lic", "children": [ { "text": "one seat" } ] } ] } ] } ] },
                { "type": "li", "children": [ { "type": "lic", "children": [ { "text": "Pro", "bold": true, "italic": true } ] } ] } ] },
              { "type": "p", "children": [ { "text": "Ask:" }, { "type": "ul", "children": [ { "type": "li", "children": [ { "text": "why" } ] } ] } ] },
              { "type": "p", "children": [ { "text": "   " } ] } ] } }
            """);

        Assert.Equal(
            "## Our plans\n **Prices** *are* `fixed` and [listed](https://acme.example/p) here\n1. Basic\n  - one seat\n2. ***Pro***\nAsk:\n  - why",
            export.Setting("t", "text"));
        Assert.Equal(ImportOutcome.Created, export.Block("t").Outcome);
        Assert.Null(export.Block("t").Note);
    }

    [Theory]
    [InlineData("""{ "plainText": "  Hello there  " }""", "Hello there")]
    [InlineData("""{ "html": "<div><b>Hello</b> there</div>" }""", "Hello there")]
    [InlineData("""{ "richText": [], "plainText": "Plain wins over an empty rich text" }""", "Plain wins over an empty rich text")]
    public void Map_OlderTextFormats_ReadAsPlainText(string content, string text)
    {
        var export = TypebotExport.Map($$"""{ "id": "t", "type": "text", "content": {{content}} }""");

        Assert.Equal(text, export.Setting("t", "text"));
    }

    [Fact]
    public void Map_EmptyBubble_NotCarriedAndTheFlowGoesOn()
    {
        var export = TypebotExport.Map("""{ "id": "empty", "type": "text", "content": { "plainText": "   " } }, """ + TypebotExport.Text("t", "After"));

        Assert.Equal(ImportOutcome.NotCarried, export.Block("empty").Outcome);
        Assert.Contains("empty", export.Block("empty").Note);
        Assert.Equal("t", export.Graph.Start);
    }

    [Fact]
    public void Map_TextLongerThanAParleyMessage_CutAndSaysSo()
    {
        var export = TypebotExport.Map(TypebotExport.Text("long", new string('a', FlowValidator.MaxTextLength + 1)) + "," + TypebotExport.Text("exact", new string('b', FlowValidator.MaxTextLength)));

        Assert.Equal(FlowValidator.MaxTextLength, export.Setting("long", "text")!.Length);
        Assert.Equal(ImportOutcome.Approximate, export.Block("long").Outcome);
        Assert.Contains("4000 characters", export.Block("long").Note);
        Assert.Equal(FlowValidator.MaxTextLength, export.Setting("exact", "text")!.Length);
        Assert.Equal(ImportOutcome.Created, export.Block("exact").Outcome);
    }

    [Fact]
    public void Map_BubbleWithItsOwnEdgeAboveAnInput_StaysAMessage()
    {
        var export = TypebotExport.Map("""
            { "id": "say", "type": "text", "content": { "plainText": "Before we go on" }, "outgoingEdgeId": "e1" },
            { "id": "ask", "type": "text input", "options": { "variableId": "v" } }
            """, """[ { "id": "v", "name": "Answer" } ]""",
            otherEdges: """{ "id": "e1", "from": { "blockId": "say" }, "to": { "groupId": "main", "blockId": "ask" } }""");

        Assert.Equal("Before we go on", export.Setting("say", "text"));
        Assert.Equal("ask", export.Graph.Target("say", "next"));
        Assert.Equal("Your answer?", export.Setting("ask", "text"));
    }

    [Fact]
    public void Map_Images_ShownByAddressWithAltTextOrThroughMarkdownOrDropped()
    {
        var export = TypebotExport.Map("""
            { "id": "alt", "type": "image", "content": { "url": "https://acme.example/a.png", "clickLink": { "alt": "Our shop" } } },
            { "id": "plain", "type": "image", "content": { "url": "https://acme.example/b.png", "clickLink": { "alt": "" } } },
            { "id": "fromvar", "type": "image", "content": { "url": "{{Photo url}}" } },
            { "id": "fromvaralt", "type": "image", "content": { "url": "{{Photo url}}", "clickLink": { "alt": "Photo" } } },
            { "id": "relative", "type": "image", "content": { "url": "/img/c.png" } },
            { "id": "none", "type": "image", "content": { "url": " " } },
            { "id": "nocontent", "type": "image" }
            """, """[ { "id": "p", "name": "Photo url" } ]""");

        Assert.Equal("https://acme.example/a.png", export.Settings("alt").GetProperty("image").GetProperty("url").GetString());
        Assert.Equal("Our shop", export.Settings("alt").GetProperty("image").GetProperty("alt").GetString());
        Assert.False(export.Settings("plain").GetProperty("image").TryGetProperty("alt", out _));
        Assert.Equal((ImportOutcome.Created, null), (export.Block("plain").Outcome, export.Block("plain").Note));
        Assert.Equal("![image]({{Photo_url}})", export.Setting("fromvar", "text"));
        Assert.Contains("variable", export.Block("fromvar").Note);
        Assert.Equal("![Photo]({{Photo_url}})", export.Setting("fromvaralt", "text"));
        Assert.Equal(ImportOutcome.NotCarried, export.Block("relative").Outcome);
        Assert.Contains("'/img/c.png' is not an http(s) URL", export.Block("relative").Note);
        Assert.Contains("no address", export.Block("none").Note);
        Assert.Equal(ImportOutcome.NotCarried, export.Block("nocontent").Outcome);
        Assert.Equal(["alt", "plain", "fromvar", "fromvaralt"], export.Graph.Nodes.Select(n => n.Id));
    }

    [Theory]
    [InlineData("video", "[Video](https://cdn.example/m)")]
    [InlineData("audio", "[Audio](https://cdn.example/m)")]
    [InlineData("embed", "[Embed](https://cdn.example/m)")]
    public void Map_MediaBubble_ShownAsALink(string type, string text)
    {
        var export = TypebotExport.Map($$"""{ "id": "m", "type": "{{type}}", "content": { "url": "https://cdn.example/m" } }""");

        Assert.Equal(text, export.Setting("m", "text"));
        Assert.Equal(ImportOutcome.Approximate, export.Block("m").Outcome);
        Assert.Contains($"a link to the {type}", export.Block("m").Note);
    }

    [Fact]
    public void Map_MediaOrRedirectWithoutAddress_NotCarried()
    {
        var export = TypebotExport.Map("""
            { "id": "v", "type": "video", "content": { "url": "" } },
            { "id": "a", "type": "audio", "content": "https://not.an.object" },
            { "id": "r", "type": "Redirect", "options": { "url": " " } },
            { "id": "go", "type": "Redirect", "options": { "url": "https://acme.example/{{Page}}" } }
            """, """[ { "id": "p", "name": "Page" } ]""");

        Assert.Contains("no address to show", export.Block("v").Note);
        Assert.Contains("The audio bubble", export.Block("a").Note);
        Assert.Contains("no address", export.Block("r").Note);
        Assert.Equal("[https://acme.example/{{Page}}](https://acme.example/{{Page}})", export.Setting("go", "text"));
        Assert.Equal(ImportOutcome.Approximate, export.Block("go").Outcome);
        Assert.Equal("go", export.Graph.Start);
    }
}
