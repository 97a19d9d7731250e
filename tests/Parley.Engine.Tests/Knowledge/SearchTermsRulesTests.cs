using CsCheck;
using Parley.Engine.Knowledge;

namespace Parley.Engine.Tests.Knowledge;

public sealed class SearchTermsRulesTests
{
    [Theory]
    [InlineData("Crème brûlée", "creme brulee")]
    [InlineData("àáâãäå çèéêë ìíîïñ òóôõöø ùúûüýÿ", "aaaaaa ceeee iiiin oooooo uuuuyy")]
    [InlineData("ÀÉÎÕÜ", "aeiou")]
    [InlineData("Don't", "dont")]
    [InlineData("it’s", "its")]
    [InlineData("e-mail, iPhone 15!", "e mail iphone 15")]
    [InlineData("  spaced\tout\nwords  ", "spaced out words")]
    [InlineData("end", "end")]
    [InlineData("", "")]
    public void Words_LowerCaseAccentsFoldedSplitAtPunctuation(string text, string words) =>
        Assert.Equal(words, string.Join(' ', SearchTerms.Words(text)));

    [Theory]
    [InlineData("Hi! Could you please tell me about your hours?", "hours")]
    [InlineData("Hello, I was wondering if it's possible to get a refund", "refund")]
    [InlineData("Hey, do you have any vegan options there?", "vegan options")]
    [InlineData("What are the prices of the bikes?", "price bikes")]
    [InlineData("Where is it and when is it open?", "hours")]
    [InlineData("Can I pay by card, or should we use something else?", "pay card use else")]
    [InlineData("Thanks! That would be okay, but how much is it?", "")]
    [InlineData("Is there a way they could ship to us from here?", "ship")]
    [InlineData("Which of these do they have, which of those did she get?", "")]
    [InlineData("I'm just asking: might he, or his team, be able to help?", "asking team help")]
    [InlineData("I have been doing this for ages and am having trouble with my order", "ages trouble order")]
    [InlineData("Why would we need to send it into our store, or to their team, with them?", "send store team")]
    [InlineData("Who will take the bike too, and then some?", "take bike")]
    [InlineData("Some of them were like that too, whom did he want?", "")]
    [InlineData("Her bike had an issue at home", "bike issue home")]
    [InlineData("Yes, no, not really, I don't know; let me think about this one up to that", "really think")]
    [InlineData("There's a problem, it's broken and I’m stuck", "problem broken stuck")]
    [InlineData("do u open sundays? what r ur prices pls", "open sundays prices")]
    public void Analyze_FillerWords_LeaveTheSameTermsAsTheBareQuestion(string question, string bare) =>
        Assert.Equal(SearchTerms.Analyze(bare), SearchTerms.Analyze(question));

    [Fact]
    public void Analyze_WeekendAsked_MatchesSaturdayAndSunday() =>
        Assert.Equal(SearchTerms.Analyze("saturday sunday"), SearchTerms.Analyze("weekends"));

    [Fact]
    public void Analyze_Synonym_MappedToTheBusinesssWord() =>
        Assert.Equal(SearchTerms.Analyze("price"), SearchTerms.Analyze("How much does it cost?"));

    [Theory]
    [InlineData("estimates", "Quotes")]
    [InlineData("reschedule", "appointment")]
    [InlineData("dye", "colour")]
    [InlineData("clipping", "trims")]
    [InlineData("pickup", "collect")]
    [InlineData("ring", "call")]
    public void Analyze_VisitorsWordForTheBusinesssWord_SameTerm(string asked, string written) =>
        Assert.Equal(SearchTerms.Analyze(written), SearchTerms.Analyze(asked));

    [Theory]
    [InlineData("upfront")]
    [InlineData("beforehand")]
    [InlineData("miss")]
    public void NamesAThing_WordsOfWhenOrWhatHappens_DoNot(string word) =>
        Assert.False(NearMiss.NamesAThing(Assert.Single(SearchTerms.Analyze(word))));

    [Fact]
    public void ToIndexText_TermsJoinedBySpaces() =>
        Assert.Equal(string.Join(' ', SearchTerms.Analyze("Refunds for broken bikes")), SearchTerms.ToIndexText("Refunds for broken bikes"));

    [Fact]
    public void Words_AnyText_NonEmptyLowerCaseLettersAndDigits() =>
        Gen.String.Sample(text => SearchTerms.Words(text).All(w => w.Length > 0 && w.All(char.IsLetterOrDigit) && string.Equals(w, w.ToLowerInvariant(), StringComparison.Ordinal)), iter: 300);
}
