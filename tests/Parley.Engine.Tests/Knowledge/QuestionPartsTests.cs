using Parley.Engine.Knowledge;

namespace Parley.Engine.Tests.Knowledge;

public sealed class QuestionPartsTests
{
    [Theory]
    [InlineData("how much is a water heater and how long does it take", "how much is a water heater", "how long does it take")]
    [InlineData("oil change and tire rotation how much", "oil change", "tire rotation how much")]
    [InlineData("How much notice for a cake AND do you deliver", "How much notice for a cake", "do you deliver")]
    public void Split_TwoQuestionsJoinedByAnd_TheTwoParts(string question, string first, string second) =>
        Assert.Equal([first, second], QuestionParts.Split(question));

    [Theory]
    [InlineData("cut and blowdry how much")]
    [InlineData("are you licensed and insured")]
    [InlineData("can you groom him and how much")]
    [InlineData("fleas and ticks and worms")]
    [InlineData("what are your opening hours")]
    public void Split_OneQuestion_NoParts(string question) =>
        Assert.Empty(QuestionParts.Split(question));
}
