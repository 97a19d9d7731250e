using System.Text.Json;
using Parley.Engine.Flows;

namespace Parley.Engine.Tests.Flows;

public sealed class FlowTextTests
{
    [Theory]
    [InlineData("$", true)]
    [InlineData("$.data.items[0].name", true)]
    [InlineData("$[2][10]._id-2", true)]
    [InlineData("data.name", false)]
    [InlineData("$.", false)]
    [InlineData("$.2x", false)]
    [InlineData("$[a]", false)]
    [InlineData("$.a b", false)]
    [InlineData("", false)]
    public void IsValid_DollarThenNameAndIndexSteps(string path, bool valid) => Assert.Equal(valid, JsonPath.IsValid(path));

    [Fact]
    public void IsValid_AtMost200Characters()
    {
        Assert.True(JsonPath.IsValid("$." + new string('a', 198)));
        Assert.False(JsonPath.IsValid("$." + new string('a', 199)));
    }

    [Theory]
    [InlineData("$.data.items[1].name", "Lyon")]
    [InlineData("$.data.items[0]", """{"name": "Paris", "zip": 75001}""")]
    [InlineData("$.data.items[0].zip", "75001")]
    [InlineData("$.data.count", "2")]
    [InlineData("$.data.open", "true")]
    [InlineData("$.data.none", null)]
    [InlineData("$.data.items[2]", null)]
    [InlineData("$.data.missing", null)]
    [InlineData("$.data.items.name", null)]
    [InlineData("$.data[0]", null)]
    [InlineData("$[0]", null)]
    [InlineData("data", null)]
    public void Select_ValueAtThePathAsText(string path, string? expected)
    {
        using var document = JsonDocument.Parse("""{"data": {"items": [{"name": "Paris", "zip": 75001}, {"name": "Lyon"}], "count": 2, "open": true, "none": null}}""");
        Assert.Equal(expected, JsonPath.Select(document.RootElement, path));
    }

    [Fact]
    public void Fill_PlaceholdersReplacedUnknownOnesEmpty()
    {
        var values = new Dictionary<string, string> { ["name"] = "Ann", ["contact.city"] = "Lyon", ["a_1"] = "x" };
        Assert.Equal("Hi Ann from Lyon, x, , {{ 1x }}, {name}", FlowText.Fill("Hi {{name}} from {{ contact.city }}, {{a_1}}, {{other}}, {{ 1x }}, {name}", values.GetValueOrDefault));
    }

    [Fact]
    public void Fill_Encoder_AppliedToEachValue() =>
        Assert.Equal("q=a%20b&r=", FlowText.Fill("q={{q}}&r={{r}}", n => n == "q" ? "a b" : null, Uri.EscapeDataString));

    [Theory]
    [InlineData("**bold** and _em_", "**bold** and _em_")]
    [InlineData("<b>hi</b> <script>x</script>", "hi x")]
    [InlineData("[site](https://shop.example/a)", "[site](https://shop.example/a)")]
    [InlineData("[mail](mailto:jo@shop.example)", "[mail](mailto:jo@shop.example)")]
    [InlineData("![logo](https://cdn.example/l.png)", "![logo](https://cdn.example/l.png)")]
    [InlineData("![logo](mailto:jo@shop.example)", "logo")]
    [InlineData("[click](javascript:void)", "click")]
    [InlineData("[file](/etc/passwd)", "file")]
    [InlineData("[ftp](ftp://files.example/a)", "ftp")]
    public void SafeMarkdown_NoHtmlAndOnlyWebOrMailLinks(string text, string expected) => Assert.Equal(expected, FlowText.SafeMarkdown(text));
}
