using Parley.Engine.Knowledge;

namespace Parley.Engine.Tests.Knowledge;

public sealed class ExtractiveAnswerTests
{
    private static readonly KnowledgePassage WaterHeaters = new("ks_1", "Prices", null, ["Water heaters"],
        "We fix water heaters from $1,450 installed.", 1) { Similarity = 0.9 };

    private static readonly IReadOnlySet<string> Vocabulary = new HashSet<string>(SearchTerms.Analyze("Prices Water heaters We fix water heaters from $1,450 installed."));

    private static readonly float[] Query = [1, 0];

    /// <summary>A unit vector whose dot product with <see cref="Query"/> is <paramref name="similarity"/>.</summary>
    private static float[] SentenceAt(double similarity) => [(float)similarity, (float)Math.Sqrt(1 - (similarity * similarity))];

    private static ChosenAnswer? Choose(string question, double similarity) =>
        ExtractiveAnswer.Choose(question, Query, [WaterHeaters], [[SentenceAt(similarity)]], Vocabulary);

    [Fact]
    public void Choose_OfferQuestionNamingUnknownThingAndSentenceNotCloseEnough_Abstains()
    {
        Assert.Null(Choose("do you fix boilers", 0.45));
        Assert.NotNull(Choose("do you fix boilers", 0.55));
    }

    [Fact]
    public void Choose_SameWordsNotAskingWhetherOffered_ScoreAloneDecides() =>
        Assert.NotNull(Choose("price to fix boilers", 0.45));

    [Theory]
    [InlineData("do you groom cats", true)]
    [InlineData("can u come to ogdenville", true)]
    [InlineData("Would you deliver on Sunday?", true)]
    [InlineData("how much do you charge", false)]
    [InlineData("you do weddings?", false)]
    public void Is_QuestionForm_RecognisesAskingWhetherOffered(string question, bool offer) =>
        Assert.Equal(offer, OfferQuestion.Is(question));
}
