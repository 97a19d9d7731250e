using Parley.Engine.Knowledge;

namespace Parley.Engine.Tests.Knowledge;

public sealed class LocationQuestionTests
{
    [Theory]
    [InlineData("where r u", true)]
    [InlineData("Where exactly are you?", true)]
    [InlineData("where u at", true)]
    [InlineData("What's your address?", true)]
    [InlineData("where's your shop", true)]
    [InlineData("how do I find you", true)]
    [InlineData("how do i get to you from the station", true)]
    [InlineData("directions please", true)]
    [InlineData("cant find the entrance", true)]
    [InlineData("where is your coffee from", false)]
    [InlineData("where is the nearest petrol station", false)]
    [InlineData("where do I park", false)]
    [InlineData("are you open on sundays", false)]
    public void Is_QuestionForm_RecognisesAskingWhereTheBusinessIs(string question, bool asks) =>
        Assert.Equal(asks, LocationQuestion.Is(question));

    [Theory]
    [InlineData("Paws & Suds is at 8 Canal Road, opposite the park.", true)]
    [InlineData("We are at 220 Elm Street, next to the library.", true)]
    [InlineData("Find us at 14B Old Mill Lane.", true)]
    [InlineData("We deliver within 10 miles for $15.", false)]
    [InlineData("Open 7 days a week.", false)]
    public void HasStreetAddress_Sentence_FindsANumberedStreet(string sentence, bool address) =>
        Assert.Equal(address, LocationQuestion.HasStreetAddress(sentence));

    private static readonly KnowledgePassage Visit = new("ks_1", "Visit", null, [],
        "Parking is free behind the shop. We are at 8 Canal Road, opposite the park. A second shop is at 3 High Street.", 1);

    [Fact]
    public void ChooseAddress_SentencesWithAnAddress_TheClosestInMeaning()
    {
        var chosen = ExtractiveAnswer.ChooseAddress([1, 0], [Visit], [[[1, 0], [0.6f, 0.8f], [0.8f, 0.6f]]]);

        Assert.Equal("A second shop is at 3 High Street.", chosen?.Text);
        Assert.Equal(0.8, chosen!.Confidence, 4);
    }

    [Fact]
    public void ChooseAddress_NoSentenceWithAnAddress_Null() =>
        Assert.Null(ExtractiveAnswer.ChooseAddress([1, 0], [Visit with { Text = "Parking is free behind the shop." }], [[[1, 0]]]));
}
