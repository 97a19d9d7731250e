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
    [InlineData(0.53, true)]
    [InlineData(0.52, false)]
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
    public void Choose_QuestionWordsInTheHeading_CountForEverySentence() =>
        Assert.Equal(0.6, ChooseIn("visiting", Hours + " " + Parking, [0.3, 0.1])?.Confidence ?? 0, 4);

    [Fact]
    public void Choose_QuestionWordTheKnowledgeNeverUses_LowersConfidence()
    {
        Assert.Equal(0.65, ChooseIn("parking implants", Hours + " " + Parking, [0, 0.5])?.Confidence ?? 0, 4);
        Assert.Null(ChooseIn("parking implants", Hours + " " + Parking, [0, 0.5], new HashSet<string> { "park", "free" }));
    }

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
    public void OneSlipApart_OneLetterAddedDroppedChangedOrSwapped(string a, string b, bool slip) =>
        Assert.Equal(slip, ExtractiveAnswer.OneSlipApart(a, b));
}

public sealed class ExtractiveAnswerChoiceTests
{
    private static readonly float[] Query = [1, 0];

    private static float[] SentenceAt(double similarity) => [(float)similarity, (float)Math.Sqrt(1 - (similarity * similarity))];

    private const string Hours = "We are open from nine in the morning until five every weekday.";
    private const string Parking = "Parking is free behind the building for all of our customers.";
    private const string FirstHour = "Our first hour of work costs $120 for any repair in the house.";

    private static ChosenAnswer? ChooseIn(string question, string text, double[] similarities, IReadOnlySet<string>? vocabulary = null, double? passageSimilarity = null) =>
        ExtractiveAnswer.Choose(question, Query, [new KnowledgePassage("ks_2", "Guide", null, ["Visiting"], text, 1) { Similarity = passageSimilarity }],
            [[.. similarities.Select(SentenceAt)]], vocabulary);

    [Fact]
    public void Choose_UnknownWord_PenaltySharedOverTheQuestionsWords() =>
        // 0.9 + 0.3 × ½ for "parking", less 0.3 × ½ for "implants", one of two words.
        Assert.Equal(0.9, ChooseIn("parking implants", Hours + " " + Parking, [0, 0.9], new HashSet<string> { "park", "free" })!.Confidence, 4);

    [Fact]
    public void Choose_QuestionOfStopWordsOnly_ConfidenceIsTheSimilarity() =>
        Assert.Equal(0.9, ChooseIn("what is it", Hours + " " + Parking, [0.9, 0.1])!.Confidence, 4);

    [Theory]
    [InlineData(0.7, true)]
    [InlineData(0.6, false)]
    public void Choose_PassageCloseInMeaning_NeighbourStillJudgedOnItsOwnScore(double neighbour, bool joined) =>
        Assert.Equal(joined ? Hours + " " + Parking : Hours, ChooseIn("zzz", Hours + " " + Parking, [0.9, neighbour], passageSimilarity: 0.8)?.Text);

    [Fact]
    public void Choose_FirstSentenceStartingWithAReferringWord_StandsAlone()
    {
        const string First = "This shop opens at nine every weekday morning for all visitors.";

        Assert.Equal(First, ChooseIn("zzz", First + " " + Parking, [0.9, 0.1])?.Text);
    }

    [Fact]
    public void Choose_LastSentenceIntroducingAList_StandsAlone()
    {
        const string Intro = "Please bring these documents to your first appointment with us:";

        Assert.Equal(Intro, ChooseIn("zzz", Parking + "\n\n" + Intro, [0.1, 0.9])?.Text);
    }

    [Fact]
    public void Choose_SentenceOfFiftyCharacters_NotShortEnoughToTakeAWeakNeighbour()
    {
        const string Delivery = "Delivery is free on every order over fifty pounds.";

        Assert.Equal(50, Delivery.Length);
        Assert.Equal(Delivery, ChooseIn("zzz", Delivery + " " + Parking, [0.9, 0.1])?.Text);
    }

    [Fact]
    public void Choose_NeighbourMakingExactlyTheLongestAnswer_StaysAlone()
    {
        var open = "We are open " + string.Join(" ", Enumerable.Repeat("every day", 10)) + ".";
        var parking = ("Parking is " + string.Join(" ", Enumerable.Repeat("free for everyone", 12)))[..(299 - open.Length)] + ".";

        Assert.Equal(300, open.Length + parking.Length);
        Assert.Equal(open, ChooseIn("zzz", open + " " + parking, [0.9, 0.9])?.Text);
        Assert.Equal(open + " " + parking[..^2] + ".", ChooseIn("zzz", open + " " + parking[..^2] + ".", [0.9, 0.9])?.Text);
    }

    [Theory]
    [InlineData("After")]
    [InlineData("This")]
    [InlineData("That")]
    [InlineData("These")]
    [InlineData("Those")]
    [InlineData("It")]
    [InlineData("They")]
    [InlineData("Then")]
    [InlineData("Also")]
    [InlineData("Otherwise,")]
    [InlineData("There")]
    [InlineData("He")]
    [InlineData("She")]
    public void Choose_SentenceStartingWithAReferringWord_ComesWithTheOneBefore(string word)
    {
        var rate = word + " the rate is $95 per hour for the rest of the job.";

        Assert.Equal(FirstHour + " " + rate, ChooseIn("zzz", FirstHour + " " + rate, [0.1, 0.9])?.Text);
    }
}

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
