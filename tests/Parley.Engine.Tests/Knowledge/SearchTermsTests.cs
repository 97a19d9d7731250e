using Parley.Engine.Knowledge;

namespace Parley.Engine.Tests.Knowledge;

public sealed class SearchTermsTests
{
    [Theory]
    [InlineData("refunds", "refunded")]
    [InlineData("shipping", "delivery")]
    [InlineData("repairs", "repairing")]
    [InlineData("Café", "cafe")]
    public void Analyze_VariantsOfOneWord_SameTerm(string a, string b) =>
        Assert.Equal(SearchTerms.Analyze(a), SearchTerms.Analyze(b));

    [Fact]
    public void Analyze_StopWords_Dropped() =>
        Assert.Equal(["bike"], SearchTerms.Analyze("Do you have a bike?"));

    [Theory]
    [InlineData("do you take cash")]
    [InlineData("Do you accept cash?")]
    [InlineData("do u provide cash")]
    [InlineData("is cash accepted")]
    [InlineData("are you taking cash")]
    [InlineData("cash provided?")]
    public void Analyze_VerbsOfAskingWhetherOffered_Dropped(string question) =>
        Assert.Equal(["cash"], SearchTerms.Analyze(question));
}
