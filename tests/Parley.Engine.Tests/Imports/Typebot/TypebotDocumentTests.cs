using System.Text;
using Parley.Engine.Imports;
using Parley.Engine.Imports.Typebot;

namespace Parley.Engine.Tests.Imports.Typebot;

public sealed class TypebotDocumentTests
{
    private static ImportFileException Refused(string json) =>
        Assert.Throws<ImportFileException>(() => TypebotFlowImport.Map(Encoding.UTF8.GetBytes(json)));

    [Fact]
    public void Map_BrokenGroupsBlocksAndEdges_RefusedWithEveryProblemAndWhereItIs()
    {
        var error = Refused("""
            { "version": "6.1", "events": [ { "id": "s", "type": "start" } ],
              "groups": [
                { "id": "ok", "blocks": [ { "id": "a", "type": "text" }, { "id": "a", "type": "text" }, { "id": "", "type": "text" }, 7 ] },
                { "title": "no id", "blocks": [] },
                { "id": "nb", "blocks": {} },
                "group" ],
              "edges": [ { "id": "e", "from": { "blockId": "a" }, "to": { "blockId": "a" } }, { "from": {}, "to": { "groupId": "ok" } }, { "id": "f", "to": { "groupId": "ok" } }, { "id": "g", "from": "a", "to": { "groupId": "ok" } } ] }
            """);

        Assert.Equal([
            "groups[0].blocks[1]: the block id 'a' is used more than once.",
            "groups[0].blocks[2] must be an object with an \"id\" and a \"type\".",
            "groups[0].blocks[3] must be an object with an \"id\" and a \"type\".",
            "groups[1] must be an object with an \"id\".",
            "groups[2] ('nb') must have a \"blocks\" array.",
            "groups[3] must be an object with an \"id\".",
            "edges[0] must have an \"id\", a \"from\" and a \"to\" with a \"groupId\".",
            "edges[1] must have an \"id\", a \"from\" and a \"to\" with a \"groupId\".",
            "edges[2] must have an \"id\", a \"from\" and a \"to\" with a \"groupId\".",
            "edges[3] must have an \"id\", a \"from\" and a \"to\" with a \"groupId\".",
        ], error.Problems);
        Assert.StartsWith("The file cannot be imported: groups[0].blocks[1]: the block id 'a'", error.Message);
    }

    [Fact]
    public void Map_ManyProblems_RefusedWithTheFirstTwenty()
    {
        var groups = string.Join(",", Enumerable.Range(0, 30).Select(_ => "{}"));
        var error = Refused($$"""{ "version": "6", "groups": [ {{groups}} ], "edges": [], "events": [ { "id": "s", "type": "start" } ] }""");

        Assert.Equal(20, error.Problems.Count);
        Assert.Equal("groups[19] must be an object with an \"id\".", error.Problems[^1]);
    }

    [Fact]
    public void Map_EdgesMissingOrStartEventNotAnObject_Refused()
    {
        Assert.Equal(["\"edges\" must be an array (empty when nothing is wired)."],
            Refused("""{ "version": "6.1", "groups": [], "edges": {}, "events": [ { "id": "s", "type": "start" } ] }""").Problems);
        Assert.Contains("start event", Refused("""{ "version": "6", "groups": [], "edges": [], "events": [ { "id": "s", "type": "other" } ] }""").Message);
        Assert.Contains("start event", Refused("""{ "version": "6", "groups": [], "edges": [], "events": {} }""").Message);
        Assert.Contains("version 4 export needs a group with the start block", Refused("""{ "version": "4", "groups": [], "edges": [] }""").Message);
        Assert.Contains("'7' is not supported; supported: 3, 4, 5, 6, 6.1", Refused("""{ "version": 7, "groups": [] }""").Message);
        Assert.Contains("\"version\" is missing", Refused("""{ "version": true, "groups": [] }""").Message);
    }

    [Fact]
    public void Map_StartFoundByTheEdgeLeavingIt_WhenTheStartDoesNotNameItsEdge()
    {
        var v6 = TypebotFlowImport.Map(Encoding.UTF8.GetBytes("""
            { "version": 6.1, "events": [ { "id": "other", "type": "start" }, { "id": "s", "type": "start" } ],
              "groups": [ { "id": "g", "blocks": [ { "id": "t", "type": "text", "content": { "plainText": "Hi" } } ] } ],
              "edges": [ { "id": "x", "from": { "eventId": "nope" }, "to": { "groupId": "nowhere" } }, { "id": "e", "from": { "eventId": "other" }, "to": { "groupId": "g" } } ] }
            """));
        var v5 = TypebotFlowImport.Map(Encoding.UTF8.GetBytes("""
            { "version": "5", "groups": [
                { "id": "g0", "blocks": [ { "id": "start", "type": "start", "outgoingEdgeId": "missing" } ] },
                { "id": "g", "title": "Main", "blocks": [ { "id": "t", "type": "text", "content": { "plainText": "Hi" } } ] } ],
              "edges": [ { "id": "e", "from": { "blockId": "start" }, "to": { "groupId": "g" } } ],
              "variables": [ { "id": "v" }, { "name": "n" }, { "id": "w", "name": "Kept", "value": "1" } ] }
            """));

        Assert.Equal("t", Assert.Single(v6.Blocks).BlockId);
        Assert.Contains("Imported from Typebot schema version 6.1.", v6.Notes);
        Assert.Equal("Imported from Typebot", v6.Name);
        Assert.Equal("g", Assert.Single(v6.Blocks).Group);
        var main = Assert.Single(v5.Blocks, b => b.BlockId == "t");
        Assert.Equal("Main", main.Group);
        Assert.Contains("\"Kept\":\"1\"", v5.FlowJson);
    }
}
