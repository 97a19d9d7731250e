using Parley.Engine.Knowledge;

namespace Parley.Engine.Tests.Knowledge;

public sealed class ExtractiveAnswerOfferTests
{
    private static readonly KnowledgePassage WaterHeaters = new("ks_1", "Prices", null, ["Water heaters"],
        "We fix water heaters from $1,450 installed.", 1) { Similarity = 0.9 };

    private static readonly IReadOnlySet<string> Vocabulary = new HashSet<string>(SearchTerms.Analyze("Prices Water heaters We fix water heaters from $1,450 installed."));

    private static ChosenAnswer? Choose(string question, IReadOnlySet<string>? vocabulary) =>
        ExtractiveAnswer.Choose(question, [1, 0], [WaterHeaters], [[[0.45f, (float)Math.Sqrt(1 - (0.45 * 0.45))]]], vocabulary);

    [Theory]
    [InlineData("do you have a vet", false)]
    [InlineData("do you fix x200", false)]
    [InlineData("do you fix 2024", true)]
    [InlineData("do you charge fees", true)]
    [InlineData("do you fix heaters", true)]
    [InlineData("do you fix watr heaters", true)]
    public void Choose_OfferQuestionNotCloseInMeaning_AbstainsOnlyForAThingTheKnowledgeNeverMentions(string question, bool answers) =>
        Assert.Equal(answers, Choose(question, Vocabulary) is not null);

    [Fact]
    public void Choose_OfferQuestionWithoutAVocabulary_ScoreAloneDecides()
    {
        Assert.NotNull(Choose("do you fix boilers", null));
        Assert.NotNull(Choose("do you fix boilers", new HashSet<string>()));
    }

    [Fact]
    public void UnknownTerms_FourLetterWordsAndWordsWithDigits_Count() =>
        Assert.Equal(2, ExtractiveAnswer.UnknownTerms(["boat", "ab12", "cat"], new HashSet<string> { "clean", "price" }));

    [Fact]
    public void OneSlipApart_TwoLettersForOne_NotASlip()
    {
        Assert.False(ExtractiveAnswer.OneSlipApart("plans", "plat"));
        Assert.False(ExtractiveAnswer.OneSlipApart("heat", "vet"));
    }
}
