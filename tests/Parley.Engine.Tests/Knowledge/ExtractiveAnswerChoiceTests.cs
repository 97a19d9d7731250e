using Parley.Engine.Knowledge;

namespace Parley.Engine.Tests.Knowledge;

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
