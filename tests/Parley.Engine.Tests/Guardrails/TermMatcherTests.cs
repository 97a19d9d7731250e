using Parley.Engine.Guardrails;

namespace Parley.Engine.Tests.Guardrails;

public sealed class TermMatcherTests
{
    [Theory]
    [InlineData("this is spam")]
    [InlineData("this is SPAM!")]
    [InlineData("this is s p a m")]
    [InlineData("this is s.p.a.m")]
    [InlineData("this is sp-am")]
    [InlineData("this is $p4m")]
    [InlineData("this is spaaaaam")]
    [InlineData("this is späm")]
    [InlineData("a s p a m")]
    public void Find_ObfuscatedTerm_Found(string text) => Assert.Equal(["spam"], new TermMatcher(["spam"]).Find(text));

    [Theory]
    [InlineData("I paid 40 dollars")]
    [InlineData("spammer? no, spa mornings")]
    [InlineData("the class was great")]
    public void Find_InnocentText_NothingFound(string text) => Assert.Empty(new TermMatcher(["spam", "ass", "paid 4"]).Find(text));

    [Fact]
    public void Find_Phrase_MatchesWordsInOrder()
    {
        var matcher = new TermMatcher(["cancel my order"]);
        Assert.NotEmpty(matcher.Find("Please CANCEL  my order now"));
        Assert.Empty(matcher.Find("my order, cancel it"));
    }

    [Fact]
    public void Mask_ReplacesOnlyTheTermsTokens() =>
        Assert.Equal("you are a **** and a *** ****", new TermMatcher(["scam", "big scam"]).Mask("you are a sc4m and a BIG scam"));
}
