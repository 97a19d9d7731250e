using Parley.Engine.Knowledge;

namespace Parley.Engine.Tests.Knowledge;

public sealed class ChatSpellingTests
{
    [Theory]
    [InlineData("hw much to fix a leaky tap??", "how much to fix a leaky tap??")]
    [InlineData("whats the callout fee", "what is the callout fee")]
    [InlineData("do u come 2nite, pls", "do you come tonight, please")]
    [InlineData("Where R U?", "Where are you?")]
    [InlineData("sink wont drain", "sink will not drain")]
    [InlineData("nurse", "nurse")]
    public void ExpandText_ChatShortForms_WrittenOut(string text, string expected) =>
        Assert.Equal(expected, ChatSpelling.ExpandText(text));

    [Fact]
    public void Words_ChatShortForms_AreTheWordsTheyStandFor() =>
        Assert.Equal(["how", "much", "are", "you", "and", "your", "team"], SearchTerms.Words("hw much r u n ur team"));
}
