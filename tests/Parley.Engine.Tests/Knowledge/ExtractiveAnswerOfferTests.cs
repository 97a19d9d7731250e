using Parley.Engine.Knowledge;

namespace Parley.Engine.Tests.Knowledge;

public sealed class ExtractiveAnswerOfferTests
{
    private static readonly KnowledgePassage WaterHeaters = new("ks_1", "Prices", null, ["Water heaters"],
        "We fix water heaters from $1,450 installed.", 1) { Similarity = 0.9 };

    private static readonly KnowledgeVocabulary Vocabulary = KnowledgeVocabulary.Of("Prices Water heaters We fix water heaters from $1,450 installed.");

    private static bool OfferOfUnknown(string question, KnowledgeVocabulary? vocabulary) =>
        ExtractiveAnswer.Candidate(question, [1, 0], [WaterHeaters], [[[0.45f, (float)Math.Sqrt(1 - (0.45 * 0.45))]]], vocabulary)!.Features.OfferOfUnknown;

    [Theory]
    [InlineData("do you have a vet", true)]
    [InlineData("do you fix x200", true)]
    [InlineData("do you fix 2024", false)]
    [InlineData("do you charge fees", false)]
    [InlineData("do you fix heaters", false)]
    [InlineData("do you fix watr heaters", false)]
    [InlineData("can u fix boilers", true)]
    public void Candidate_OfferQuestion_MarkedOnlyForAThingTheKnowledgeNeverMentions(string question, bool marked) =>
        Assert.Equal(marked, OfferOfUnknown(question, Vocabulary));

    [Fact]
    public void Candidate_OfferQuestionWithoutAVocabulary_NotMarked()
    {
        Assert.False(OfferOfUnknown("do you fix boilers", null));
        Assert.False(OfferOfUnknown("do you fix boilers", new KnowledgeVocabulary()));
    }

    [Fact]
    public void OneSlipApart_TwoLettersForOne_NotASlip()
    {
        Assert.False(ExtractiveAnswer.OneSlipApart("plans", "plat"));
        Assert.False(ExtractiveAnswer.OneSlipApart("heat", "vet"));
    }
}
