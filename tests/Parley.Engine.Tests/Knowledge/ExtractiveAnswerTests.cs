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
        Assert.NotNull(Choose("do you fix boilers", 0.65));
    }

    [Fact]
    public void Choose_SameWordsNotAskingWhetherOffered_NearMissRuleDecides()
    {
        Assert.Null(Choose("price to fix boilers", 0.55));
        Assert.NotNull(Choose("price to fix boilers", 0.65));
    }

    [Theory]
    [InlineData("do you groom cats", true)]
    [InlineData("can u come to ogdenville", true)]
    [InlineData("Would you deliver on Sunday?", true)]
    [InlineData("how much do you charge", false)]
    [InlineData("you do weddings?", false)]
    public void Is_QuestionForm_RecognisesAskingWhetherOffered(string question, bool offer) =>
        Assert.Equal(offer, OfferQuestion.Is(question));

    private const string Hours = "We are open from nine in the morning until five every weekday.";
    private const string Parking = "Parking is free behind the building for all of our customers.";

    private static KnowledgePassage Passage(string text, double? similarity = null) =>
        new("ks_2", "Guide", null, ["Visiting"], text, 1) { Similarity = similarity };

    private static ChosenAnswer? ChooseIn(string question, string text, double[] similarities, IReadOnlySet<string>? vocabulary = null) =>
        ExtractiveAnswer.Choose(question, Query, [Passage(text)], [[.. similarities.Select(SentenceAt)]], vocabulary);

    [Theory]
    [InlineData(0.9, 0.2, Hours)]
    [InlineData(0.2, 0.9, Parking)]
    public void Choose_SentencesOfAPassage_PicksTheOneClosestInMeaning(double hours, double parking, string expected)
    {
        var answer = ChooseIn("zzz", Hours + " " + Parking, [hours, parking]);

        Assert.Equal(expected, answer?.Text);
        Assert.Equal(0.9, answer!.Confidence, 4);
    }

    [Theory]
    [InlineData(0.48, true)]
    [InlineData(0.47, false)]
    [InlineData(0.1, false)]
    public void Choose_BestSentenceAgainstThreshold_AnswersOnlyAboveIt(double similarity, bool answers) =>
        Assert.Equal(answers, ChooseIn("zzz", Hours + " " + Parking, [similarity, 0]) is not null);

    [Fact]
    public void Choose_QuestionWordsInASentence_RaiseItAboveAnEquallyCloseOne()
    {
        var answer = ChooseIn("is parking free", Hours + " " + Parking, [0.3, 0.3]);

        Assert.Equal(Parking, answer?.Text);
        Assert.Equal(0.6, answer!.Confidence, 4);
    }

    [Fact]
    public void Choose_SentenceHoldingTheKindOfAnswerAsked_RaisedAboveAnEquallyCloseOne()
    {
        const string Days = "We open every day of the week except on Sundays and holidays.";
        const string Times = "On weekdays we open our doors at 8 am and close them again at 6 pm.";
        const string Text = Days + " " + Parking + " " + Times;

        Assert.Equal(Times, ChooseIn("what time do u open", Text, [0.5, 0, 0.45])?.Text);
        // Asked without saying what kind of answer it wants, the closer sentence wins.
        Assert.Equal(Days, ChooseIn("when do u open", Text, [0.5, 0, 0.45])?.Text);
    }

    [Fact]
    public void Choose_QuestionWordsInTheHeading_CountForEverySentence() =>
        Assert.Equal(0.6, ChooseIn("visiting", Hours + " " + Parking, [0.3, 0.1])?.Confidence ?? 0, 4);

    [Fact]
    public void Choose_QuestionWordTheKnowledgeNeverUses_LowersConfidence()
    {
        Assert.Equal(0.65, ChooseIn("parking implants", Hours + " " + Parking, [0, 0.5])?.Confidence ?? 0, 4);
        Assert.Equal(0.5, ChooseIn("parking implants", Hours + " " + Parking, [0, 0.5], new HashSet<string> { "park", "free" })?.Confidence ?? 0, 4);
        Assert.Null(ChooseIn("parking implants dentures", Hours + " " + Parking, [0, 0.5], new HashSet<string> { "park", "free" }));
    }

    [Fact]
    public void Choose_GeneralQuestionWordTheKnowledgeNeverUses_DoesNotLowerConfidence() =>
        Assert.Equal(0.65, ChooseIn("parking someone", Hours + " " + Parking, [0, 0.5], new HashSet<string> { "park", "free" })?.Confidence ?? 0, 4);

    [Fact]
    public void Choose_PassageCloseInMeaning_AddsToItsSentences()
    {
        var far = Passage("Gift cards can be bought at the front desk during opening hours.", 0.0);
        var near = Passage(Parking, 0.8);

        var answer = ExtractiveAnswer.Choose("zzz", Query, [far, near], [[SentenceAt(0.5)], [SentenceAt(0.4)]], null);

        Assert.Equal(Parking, answer?.Text);
        Assert.Equal(0.64, answer!.Confidence, 4);
    }

    [Fact]
    public void Choose_PassagesWithoutSentenceVectors_AreNotRead() =>
        Assert.Null(ExtractiveAnswer.Choose("zzz", Query, [Passage(Hours), Passage(Parking)], [[SentenceAt(0.1)]], null));

    [Fact]
    public void Choose_NoPassages_NoAnswer() =>
        Assert.Null(ExtractiveAnswer.Choose("is parking free", Query, [], [], null));

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

    [Fact]
    public void UnknownTerms_CountsLongWordsNotNumbersNotSlipsOfKnownWords()
    {
        var vocabulary = new HashSet<string> { "clean", "price" };

        Assert.Equal(1, ExtractiveAnswer.UnknownTerms(["implant", "clean", "cleen", "ab1", "2024", "prise"], vocabulary));
        Assert.Equal(0, ExtractiveAnswer.UnknownTerms(["implant"], null));
        Assert.Equal(0, ExtractiveAnswer.UnknownTerms(["implant"], new HashSet<string>()));
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
    [InlineData("cats", "cat", false)]
    [InlineData("coat", "cat", false)]
    public void OneSlipApart_OneLetterAddedDroppedChangedOrSwapped(string a, string b, bool slip) =>
        Assert.Equal(slip, ExtractiveAnswer.OneSlipApart(a, b));
}
