namespace Parley.Engine.Tests.Imports.Typebot;

public sealed class TypebotVariablesTests
{
    [Fact]
    public void Map_VariableNamesParleyDoesNotAllow_FoldedJoinedAndMadeUnique()
    {
        var sixtyFive = new string('L', 65);
        var export = TypebotExport.Map("""
            { "id": "a", "type": "Set variable", "options": { "variableId": "a", "type": "Empty" } },
            { "id": "b", "type": "Set variable", "options": { "variableId": "b", "type": "Empty" } },
            { "id": "c", "type": "Set variable", "options": { "variableId": "c", "type": "Empty" } },
            { "id": "d", "type": "Set variable", "options": { "variableId": "d", "type": "Empty" } },
            { "id": "e", "type": "Set variable", "options": { "variableId": "e", "type": "Empty" } },
            { "id": "f", "type": "Set variable", "options": { "variableId": "f", "type": "Empty" } },
            { "id": "t", "type": "text", "content": { "plainText": "{{ Ça coûte }} {{ça coûte}} {{###}}" } }
            """, $$"""
            [ { "id": "a", "name": "Ça coûte" }, { "id": "b", "name": "ça coûte" }, { "id": "c", "name": "###" },
              { "id": "d", "name": "{{sixtyFive}}" }, { "id": "e", "name": "{{sixtyFive}}!" }, { "id": "f", "name": "--Ünïted  States--" } ]
            """);

        Assert.Equal(["Ca_coute", "ca_coute_2", "v_", new string('L', 60), new string('L', 60) + "_2", "United_States"],
            new[] { "a", "b", "c", "d", "e", "f" }.Select(id => export.Setting(id, "variable")));
        Assert.Equal("{{Ca_coute}} {{ca_coute_2}} {{v_}}", export.Setting("t", "text"));
    }

    [Fact]
    public void Map_LeadName_PrefersTheVariableCalledNameOverOnesContainingIt()
    {
        var export = TypebotExport.Map("""{ "id": "email", "type": "email input", "options": { "variableId": "e" } }""",
            """[ { "id": "c", "name": "Company name" }, { "id": "n", "name": "NAME" }, { "id": "e", "name": "Email" } ]""");

        Assert.Equal("{{NAME}}", export.Settings("email_2").GetProperty("fields").GetProperty("name").GetString());
    }
}
