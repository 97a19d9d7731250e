using Parley.Engine.Escalation;

namespace Parley.Engine.Tests.Escalation;

public sealed class HandoffPhrasesTests
{
    [Theory]
    [InlineData("Ich möchte mit einem Menschen reden")]
    [InlineData("Bitte einen echten Menschen!")]
    [InlineData("Je veux parler à une personne")]
    [InlineData("Quiero hablar con un humano")]
    [InlineData("Vorrei una persona reale")]
    [InlineData("Kan ik een echte persoon spreken?")]
    [InlineData("Quero falar com um humano")]
    [InlineData("LIVE AGENT!!!")]
    [InlineData("live agent")]
    [InlineData("A live agent please")]
    [InlineData("Could you transfer me?")]
    [InlineData("Can you connect me to a live agent?")]
    [InlineData("Will a human agent help us?")]
    [InlineData("Can my real person please call?")]
    public void AsksForPerson_RequestInAnyLanguage_True(string text) => Assert.True(HandoffPhrases.AsksForPerson(text));

    [Theory]
    [InlineData("Will a live agent reply?")]
    [InlineData("Does the support agent work on Sundays?")]
    [InlineData("Would a real person read the transcript?")]
    [InlineData("Does human agent support cost extra?")]
    [InlineData("Can people speak to an agent?")]
    public void AsksForPerson_QuestionAboutWhatPeopleDo_False(string text) => Assert.False(HandoffPhrases.AsksForPerson(text));

    [Theory]
    [InlineData("I love your bikes")]
    [InlineData("Is a person allowed to ride two bikes?")]
    [InlineData("")]
    public void AsksForPerson_NoPhrase_False(string text) => Assert.False(HandoffPhrases.AsksForPerson(text));
}
