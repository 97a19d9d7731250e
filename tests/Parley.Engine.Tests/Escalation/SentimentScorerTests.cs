using CsCheck;
using Parley.Engine.Escalation;

namespace Parley.Engine.Tests.Escalation;

public sealed class SentimentScorerTests
{
    // The documented squash: s / √(s² + 15).
    private static double Squashed(double sum) => sum / Math.Sqrt(sum * sum + 15);

    [Theory]
    [InlineData("good", 2)]
    [InlineData("The bike is good.", 2)]
    [InlineData("terrible", -3)]
    [InlineData("(terrible)", -3)]
    [InlineData("good and bad", 0)]
    [InlineData("Great, thanks", 5)]
    public void Score_KnownWords_SumOfTheirValences(string text, double sum) =>
        Assert.Equal(Squashed(sum), SentimentScorer.Score(text), 6);

    [Theory]
    [InlineData("very good", 3)]
    [InlineData("so very good", 3)]
    [InlineData("really the good", 3)]
    [InlineData("really the bike good", 2)]
    public void Score_IntensifierInTheTwoWordsBefore_OneAndAHalfTimes(string text, double sum) =>
        Assert.Equal(Squashed(sum), SentimentScorer.Score(text), 6);

    [Theory]
    [InlineData("not good", -1)]
    [InlineData("not at all good", -1)]
    [InlineData("not the bike at all good", 2)]
    [InlineData("I don't love it", -1.5)]
    [InlineData("I don’t love it", -1.5)]
    [InlineData("not very good", -1.5)]
    [InlineData("Good, not bad", 3)]
    [InlineData("never", -1)]
    [InlineData("not never", -1)]
    public void Score_NegationInTheThreeWordsBefore_FlippedAndHalved(string text, double sum) =>
        Assert.Equal(Squashed(sum), SentimentScorer.Score(text), 6);

    [Theory]
    [InlineData("THIS IS BAD", -2.4)]
    [InlineData("Terrible!!", -3.6)]
    [InlineData("Terrible!", -3)]
    [InlineData("BAD BAD", -4)]
    [InlineData("THIS IS Bad", -2.4)]
    [InlineData("THIS Is Bad", -2)]
    [InlineData("AWFUL BAD", -6)]
    [InlineData("AWFUL IS bad", -5)]
    public void Score_ShoutingOrDoubleExclamation_WeighsMore(string text, double sum) =>
        Assert.Equal(Squashed(sum), SentimentScorer.Score(text), 6);

    [Theory]
    [InlineData("Do you ship to Canada?")]
    [InlineData("Das ist schrecklich")]
    [InlineData("")]
    public void Score_NoKnownWords_Neutral(string text) => Assert.Equal(0, SentimentScorer.Score(text));

    [Fact]
    public void Score_AnyText_BetweenMinusOneAndOne() =>
        Gen.String.Sample(text => SentimentScorer.Score(text) is >= -1 and <= 1, iter: 200);

    [Fact]
    public void Score_AddingAnAngryWord_NeverRaisesIt() =>
        Gen.OneOf("good", "bad", "very", "so", "bike", "late", "thanks", "THE").Array[0, 6].Sample(words =>
        {
            var text = string.Join(' ', words);
            return SentimentScorer.Score(text + " terrible") <= SentimentScorer.Score(text);
        }, iter: 200);
}
