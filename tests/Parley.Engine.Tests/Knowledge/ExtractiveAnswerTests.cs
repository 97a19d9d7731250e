using Parley.Engine.Knowledge;

namespace Parley.Engine.Tests.Knowledge;

public sealed class ExtractiveAnswerTests
{
    private static readonly KnowledgePassage WaterHeaters = new("ks_1", "Prices", null, ["Water heaters"],
        "We fix water heaters from $1,450 installed.", 1) { Similarity = 0.9 };

    private static readonly KnowledgeVocabulary Vocabulary = KnowledgeVocabulary.Of("Prices Water heaters We fix water heaters from $1,450 installed.");

    private static readonly float[] Query = [1, 0];

    /// <summary>A unit vector whose dot product with <see cref="Query"/> is <paramref name="similarity"/>.</summary>
    private static float[] SentenceAt(double similarity) => [(float)similarity, (float)Math.Sqrt(1 - (similarity * similarity))];

    private static AnswerCandidate? CandidateFor(string question, double similarity) =>
        ExtractiveAnswer.Candidate(question, Query, [WaterHeaters], [[SentenceAt(similarity)]], Vocabulary);

    [Fact]
    public void Candidate_OfferQuestionNamingUnknownThing_IsMarked()
    {
        Assert.True(CandidateFor("do you fix boilers", 0.45)!.Features.OfferOfUnknown);
        Assert.False(CandidateFor("price to fix boilers", 0.45)!.Features.OfferOfUnknown);
    }

    [Fact]
    public void Candidate_WordTheKnowledgeNeverUses_LowersCoverageMoreThanACommonOne()
    {
        var unknown = CandidateFor("water heater implants", 0.5)!.Features.Coverage;
        var known = CandidateFor("water heater price", 0.5)!.Features.Coverage;

        Assert.Equal(1.0, known, 4);
        Assert.InRange(unknown, 0.01, 0.6);
    }

    [Fact]
    public void Candidate_MisspeltWord_CountsAsTheWord() =>
        Assert.Equal(1.0, CandidateFor("watr heaters", 0.5)!.Features.Coverage, 4);

    [Fact]
    public void Choose_SameCandidate_AnswersOnlyWhenCloseEnoughInMeaning()
    {
        Assert.NotNull(ExtractiveAnswer.Choose("water heater price", Query, [WaterHeaters], [[SentenceAt(0.8)]], Vocabulary));
        Assert.Null(ExtractiveAnswer.Choose("water heater price", Query, [WaterHeaters], [[SentenceAt(0.05)]], Vocabulary));
    }

    [Theory]
    [InlineData("do you fix boilers", 0.45, false)]
    [InlineData("price to fix water heaters", 0.45, true)]
    public void Choose_OfferOfUnknownThing_AbstainsWhereTheSameSimilarityAnswersAKnownOne(string question, double similarity, bool answers) =>
        Assert.Equal(answers, ExtractiveAnswer.Choose(question, Query, [WaterHeaters], [[SentenceAt(similarity)]], Vocabulary) is not null);

    private const string Hours = "We are open from nine in the morning until five every weekday.";
    private const string Parking = "Parking is free behind the building for all of our customers.";

    private static KnowledgePassage Passage(string text, double? similarity = null) =>
        new("ks_2", "Guide", null, ["Visiting"], text, 1) { Similarity = similarity };

    private static AnswerCandidate? ChooseIn(string question, string text, double[] similarities, KnowledgeVocabulary? vocabulary = null) =>
        ExtractiveAnswer.Candidate(question, Query, [Passage(text)], [[.. similarities.Select(SentenceAt)]], vocabulary);

    [Theory]
    [InlineData(0.9, 0.2, Hours)]
    [InlineData(0.2, 0.9, Parking)]
    public void Choose_SentencesOfAPassage_PicksTheOneClosestInMeaning(double hours, double parking, string expected)
    {
        var answer = ChooseIn("zzz", Hours + " " + Parking, [hours, parking]);

        Assert.Equal(expected, answer?.Text);
        Assert.Equal(0.9, answer!.Features.SentenceSimilarity, 4);
    }

    [Fact]
    public void Candidate_QuestionWordsInASentence_RaiseItAboveAnEquallyCloseOne() =>
        Assert.Equal(Parking, ChooseIn("is parking free", Hours + " " + Parking, [0.3, 0.3])?.Text);

    [Fact]
    public void Candidate_QuestionWordsInTheHeading_CountAsCovered() =>
        Assert.Equal(1.0, ChooseIn("visiting", Hours + " " + Parking, [0.3, 0.1])!.Features.Coverage, 4);

    [Fact]
    public void Choose_PassageCloseInMeaning_AddsToItsSentences()
    {
        var far = Passage("Gift cards can be bought at the front desk during opening hours.", 0.0);
        var near = Passage(Parking, 0.8);

        var answer = ExtractiveAnswer.Candidate("zzz", Query, [far, near], [[SentenceAt(0.5)], [SentenceAt(0.4)]], null);

        Assert.Equal(Parking, answer?.Text);
        Assert.Equal(0.4, answer!.Features.SentenceSimilarity, 4);
    }

    [Fact]
    public void Candidate_PassagesWithoutSentenceVectors_AreNotRead() =>
        Assert.Equal(Hours, ExtractiveAnswer.Candidate("zzz", Query, [Passage(Hours), Passage(Parking)], [[SentenceAt(0.1)]], null)?.Text);

    [Fact]
    public void Choose_NoPassages_NoAnswer() =>
        Assert.Null(ExtractiveAnswer.Candidate("is parking free", Query, [], [], null));

    [Fact]
    public void Choose_SentenceLeaningOnThePreviousOne_ComesWithIt()
    {
        const string First = "Our first hour of work costs $120 for any repair in the house.";
        const string After = "After that we charge $95 per hour for the rest of the job.";

        Assert.Equal(First + " " + After, ChooseIn("zzz", First + " " + After, [0.1, 0.9])?.Text);
    }

    [Fact]
    public void Choose_SentenceIntroducingAList_ComesWithWhatFollows()
    {
        const string Intro = "Please bring these documents to your first appointment with us:";
        const string List = "Your passport and a recent bill showing your home address.";

        Assert.Equal(Intro + " " + List, ChooseIn("zzz", Intro + "\n\n" + List, [0.9, 0])?.Text);
    }

    [Fact]
    public void Choose_ShortSentence_TakesItsBetterNeighbour()
    {
        const string Delivery = "Delivery is free.";
        const string Towns = "We deliver to every town within forty miles of the shop on weekdays.";

        Assert.Equal(Delivery + " " + Towns, ChooseIn("zzz", Parking + " " + Delivery + " " + Towns, [0.1, 0.8, 0.3])?.Text);
        Assert.Equal(Parking + " " + Delivery, ChooseIn("zzz", Parking + " " + Delivery + " " + Towns, [0.3, 0.8, 0.1])?.Text);
    }

    [Theory]
    [InlineData(0.7, true)]
    [InlineData(0.6, false)]
    public void Choose_LongSentence_TakesANeighbourOnlyWhenItScoresNearly(double neighbour, bool joined) =>
        Assert.Equal(joined ? Hours + " " + Parking : Hours, ChooseIn("zzz", Hours + " " + Parking, [0.9, neighbour])?.Text);

    [Fact]
    public void Choose_NeighbourTooLongTogether_StaysAlone()
    {
        var long1 = "We are open " + string.Join(" ", Enumerable.Repeat("every single day", 10)) + ".";
        var long2 = "Parking is " + string.Join(" ", Enumerable.Repeat("free for everyone", 10)) + ".";

        Assert.Equal(long1, ChooseIn("zzz", long1 + " " + long2, [0.9, 0.9])?.Text);
    }

    [Theory]
    [InlineData("price", "price", true)]
    [InlineData("price", "prise", true)]
    [InlineData("price", "prices", true)]
    [InlineData("prices", "price", true)]
    [InlineData("price", "pirce", true)]
    [InlineData("form", "from", true)]
    [InlineData("price", "proze", false)]
    [InlineData("price", "pricing", false)]
    [InlineData("abcd", "badc", false)]
    [InlineData("abcd", "acdb", false)]
    [InlineData("cat", "cot", false)]
    [InlineData("cat", "cats", false)]
    public void OneSlipApart_OneLetterAddedDroppedChangedOrSwapped(string a, string b, bool slip) =>
        Assert.Equal(slip, ExtractiveAnswer.OneSlipApart(a, b));
}
