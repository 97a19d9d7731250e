using Parley.Engine.Flows;

namespace Parley.Engine.Tests.Flows;

public sealed class AnswerCheckTests
{
    [Theory]
    [InlineData("email", "Ada@Example.COM", "Ada@example.com")]
    [InlineData("phone", "+1 (650) 253-0000", "+16502530000")]
    [InlineData("number", "1 250,5", "1250.5")]
    [InlineData("date", "24/12/2026", "2026-12-24")]
    [InlineData("date", "2026-12-24", "2026-12-24")]
    [InlineData("url", "example.com/menu", "https://example.com/menu")]
    [InlineData("text", "  hello ", "hello")]
    public void Check_ValidAnswer_Normalised(string kind, string input, string expected) =>
        Assert.Equal(expected, AnswerCheck.Check(input, kind).Value);

    [Theory]
    [InlineData("email", "ada@")]
    [InlineData("email", "ada at example.com")]
    [InlineData("phone", "12345")]
    [InlineData("number", "lots")]
    [InlineData("date", "31/02/2026")]
    [InlineData("url", "javascript:alert(1)")]
    public void Check_InvalidAnswer_ExplainsWhy(string kind, string input)
    {
        var result = AnswerCheck.Check(input, kind);
        Assert.False(result.IsValid);
        Assert.False(string.IsNullOrEmpty(result.Problem));
    }

    [Fact]
    public void Check_NumberOutsideRange_Refused() =>
        Assert.Equal("Please give a number of at most 10.", AnswerCheck.Check("11", "number", max: 10).Problem);
}
