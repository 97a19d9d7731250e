using Parley.Engine.Knowledge;

namespace Parley.Engine.Tests.Knowledge;

public sealed class AnswerKindsTests
{
    [Theory]
    [InlineData("hw much to fix a leaky tap??", AnswerKind.Price)]
    [InlineData("whats the callout fee", AnswerKind.Price)]
    [InlineData("price for foils", AnswerKind.Price)]
    [InlineData("what time do u open", AnswerKind.TimeOfDay)]
    [InlineData("How late are you open on Fridays?", AnswerKind.TimeOfDay)]
    [InlineData("earliest i can drop off on a weekday", AnswerKind.TimeOfDay)]
    [InlineData("how often do boarded dogs get walked", AnswerKind.Number)]
    [InlineData("how soon can someone be here", AnswerKind.Number)]
    [InlineData("how much notice for a custom cake", AnswerKind.Number)]
    [InlineData("why does colour price vary", AnswerKind.Any)]
    [InlineData("do you take cash", AnswerKind.Any)]
    [InlineData("open saturdays?", AnswerKind.Any)]
    public void Of_Question_SaysWhatItsAnswerHolds(string question, AnswerKind kind) =>
        Assert.Equal(kind, AnswerKinds.Of(question));

    [Theory]
    [InlineData("A dripping tap is $120, parts included.", AnswerKind.Price, true)]
    [InlineData("Estimates are free for jobs over 500 dollars.", AnswerKind.Price, true)]
    [InlineData("Customers over 65 get 10% off labour.", AnswerKind.Price, true)]
    [InlineData("We fix taps of every make.", AnswerKind.Price, false)]
    [InlineData("We open at 7:30 am on weekdays.", AnswerKind.TimeOfDay, true)]
    [InlineData("On Saturdays we close at noon.", AnswerKind.TimeOfDay, true)]
    [InlineData("Pick-up is until 18:00.", AnswerKind.TimeOfDay, true)]
    [InlineData("We are closed on Sundays.", AnswerKind.TimeOfDay, false)]
    [InlineData("Overnight stays include two walks a day.", AnswerKind.Number, true)]
    [InlineData("We aim to be with you within 90 minutes.", AnswerKind.Number, true)]
    [InlineData("Dogs are welcome on the terrace.", AnswerKind.Number, false)]
    [InlineData("Dogs are welcome on the terrace.", AnswerKind.Any, true)]
    public void Holds_Sentence_FindsTheKindOfAnswer(string sentence, AnswerKind kind, bool holds) =>
        Assert.Equal(holds, AnswerKinds.Holds(sentence, kind));
}
