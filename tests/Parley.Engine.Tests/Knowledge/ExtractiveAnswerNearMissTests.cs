using Parley.Engine.Knowledge;

namespace Parley.Engine.Tests.Knowledge;

public sealed class ExtractiveAnswerNearMissTests
{
    private const string Text = "We install gas and electric water heaters from $1,450.";

    private static readonly KnowledgePassage WaterHeaters = new("ks_1", "Prices", null, ["Water heaters"], Text, 1) { Similarity = 0.9 };

    private static readonly IReadOnlySet<string> Vocabulary = new HashSet<string>(SearchTerms.Analyze("Prices Water heaters " + Text));

    private static ChosenAnswer? Choose(string question, double similarity, IReadOnlySet<string>? vocabulary) =>
        ExtractiveAnswer.Choose(question, [1, 0], [WaterHeaters], [[[(float)similarity, (float)Math.Sqrt(1 - (similarity * similarity))]]], vocabulary);

    [Theory]
    [InlineData(0.55, false)]
    [InlineData(0.6, true)]
    public void Choose_ThingTheKnowledgeNeverNames_AnsweredOnlyCloseInMeaning(double similarity, bool answers) =>
        Assert.Equal(answers, Choose("how much to install solar panels", similarity, Vocabulary) is not null);

    [Theory]
    [InlineData("how much to install water heaters or solar panels")]
    [InlineData("how much to install watr heatrs")]
    [InlineData("how long does it take to install")]
    [InlineData("how much to install")]
    public void Choose_PassageNamesWhatIsAskedOrNothingUnknownIsNamed_ScoreAloneDecides(string question) =>
        Assert.NotNull(Choose(question, 0.55, Vocabulary));

    [Fact]
    public void Choose_WithoutAVocabulary_ScoreAloneDecides() =>
        Assert.NotNull(Choose("how much to install solar panels", 0.55, null));

    [Theory]
    [InlineData("long", false)]
    [InlineData("time", false)]
    [InlineData("fix", false)]
    [InlineData("price", false)]
    [InlineData("cost", false)]
    [InlineData("12", false)]
    [InlineData("tv", false)]
    [InlineData("solar", true)]
    [InlineData("pets", true)]
    [InlineData("wifi", true)]
    public void NamesAThing_GeneralKindShortAndNumericWords_DoNot(string word, bool names) =>
        Assert.Equal(names, NearMiss.NamesAThing(Assert.Single(SearchTerms.Analyze(word))));

    [Fact]
    public void Choose_SynonymWordForAThingNamedByThePassage_ScoreAloneDecides()
    {
        var dogs = new KnowledgePassage("ks_2", "Cafe", null, ["Dogs"], "Dogs are welcome on the terrace.", 1) { Similarity = 0.9 };
        var vocabulary = new HashSet<string>(SearchTerms.Analyze("Cafe Dogs Dogs are welcome on the terrace."));

        var answer = ExtractiveAnswer.Choose("dog friendly?", [1, 0], [dogs], [[[0.55f, (float)Math.Sqrt(1 - (0.55 * 0.55))]]], vocabulary);

        Assert.NotNull(answer);
    }
}
