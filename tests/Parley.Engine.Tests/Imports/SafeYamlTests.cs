using System.Text;
using Parley.Engine.Imports;

namespace Parley.Engine.Tests.Imports;

public sealed class SafeYamlTests
{
    private static string Json(string yaml) => SafeYaml.Parse(Encoding.UTF8.GetBytes(yaml))!.ToJsonString();

    [Fact]
    public void Parse_PlainAndQuotedScalars_NumbersOnlyWhenPlain()
    {
        Assert.Equal("""{"id":"1711","n":1711,"x":80.5,"on":true,"off":"false","none":null,"list":["a",2]}""",
            Json("id: '1711'\nn: 1711\nx: 80.5\non: true\noff: 'false'\nnone: ~\nlist: [a, 2]"));
    }

    [Fact]
    public void Parse_AliasBomb_Refused()
    {
        var bomb = new StringBuilder("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        for (var i = 0; i < 9; i++)
        {
            bomb.Append($"{(char)('b' + i)}: &{(char)('b' + i)} [*{(char)('a' + i)},*{(char)('a' + i)},*{(char)('a' + i)},*{(char)('a' + i)},*{(char)('a' + i)}]\n");
        }

        var problem = Assert.Throws<ImportFileException>(() => Json(bomb.ToString()));

        Assert.Contains("anchors or aliases", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_DeepNesting_RefusedWithoutExhaustingTheStack()
    {
        var problem = Assert.Throws<ImportFileException>(() => Json(new string('[', 100_000) + new string(']', 100_000)));

        Assert.Contains("nested more than 64 levels", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_TooManyValuesOrBytes_Refused()
    {
        Assert.Contains("more than 200000 values", Assert.Throws<ImportFileException>(() => Json("[" + string.Join(",", Enumerable.Repeat("1", 200_001)) + "]")).Message, StringComparison.Ordinal);
        Assert.Contains("larger than 10 MB", Assert.Throws<ImportFileException>(() => SafeYaml.Parse(new byte[SafeYaml.MaxBytes + 1])).Message, StringComparison.Ordinal);
        Assert.Contains("not UTF-8", Assert.Throws<ImportFileException>(() => SafeYaml.Parse(new byte[] { 0x61, 0x3a, 0x20, 0xff })).Message, StringComparison.Ordinal);
    }
}
