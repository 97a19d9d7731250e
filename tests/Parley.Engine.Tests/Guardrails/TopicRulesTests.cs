using Parley.Engine.Guardrails;

namespace Parley.Engine.Tests.Guardrails;

public sealed class TopicRulesTests
{
    private static TopicVerdict Judge(string question, IReadOnlyCollection<string> allowed, IReadOnlyCollection<string> blocked, bool matched = false, string? knowledge = null) =>
        TopicRules.Judge(question, matched, knowledge, allowed, blocked);

    [Fact]
    public void Judge_NoTopicsSet_EverythingAllowed() =>
        Assert.Equal(TopicVerdict.Allowed, Judge("Who should I vote for?", [], []));

    [Fact]
    public void Judge_BlockedTopicInQuestion_BlockedEvenWhenTheKnowledgeBaseAnswers() =>
        Assert.Equal(TopicVerdict.Blocked, Judge("Which church do your staff go to?", ["bikes"], ["religion"], matched: true, knowledge: "Our staff love bikes."));

    [Fact]
    public void Judge_BlockedTopicOnlyInKnowledge_Blocked() =>
        Assert.Equal(TopicVerdict.Blocked, Judge("Who founded you?", [], ["lawsuits"], matched: true, knowledge: "The founder won a lawsuit in 2019."));

    [Fact]
    public void Judge_BlockedTopicNowhere_Allowed() =>
        Assert.Equal(TopicVerdict.Allowed, Judge("Who founded you?", [], ["lawsuits"], matched: true, knowledge: "Anna founded the shop in 2019."));

    [Theory]
    [InlineData("Do you offer refunds?", "refund")]
    [InlineData("Can I get my money refunded?", "refunds")]
    [InlineData("Is a card for a gift possible?", "gift card")]
    [InlineData("Where do I park?", " Parking ")]
    public void Judge_QuestionNamesAnAllowedTopicByAnyForm_Allowed(string question, string topic) =>
        Assert.Equal(TopicVerdict.Allowed, Judge(question, [topic], []));

    [Theory]
    [InlineData("Do you sell gifts?", "gift card")]
    [InlineData("What's the weather?", "the")]
    [InlineData("What's the weather?", "bikes")]
    [InlineData("?", "bikes")]
    public void Judge_QuestionNamesNoAllowedTopicAndNothingMatched_OffTopic(string question, string topic) =>
        Assert.Equal(TopicVerdict.OffTopic, Judge(question, [topic, "repairs"], []));

    [Fact]
    public void Judge_QuestionTheKnowledgeBaseAnswers_NeverOffTopic() =>
        Assert.Equal(TopicVerdict.Allowed, Judge("What's the weather like for a ride?", ["bikes"], [], matched: true, knowledge: "Rain or shine, we ride."));

    [Theory]
    [InlineData("Who should I vote for?", "politics")]
    [InlineData("What does the president think?", "Politics")]
    [InlineData("Is there a prayer room?", "religion")]
    [InlineData("What dosage should I take?", "medical")]
    [InlineData("Can I sue you?", "legal")]
    [InlineData("Should I buy bitcoin?", "finance")]
    [InlineData("Are there alternatives to you?", "competitors")]
    [InlineData("Who won the election?", " politics ")]
    public void Judge_RelatedWordOfACommonTopic_Blocked(string question, string topic) =>
        Assert.Equal(TopicVerdict.Blocked, Judge(question, [], [topic]));

    [Fact]
    public void Judge_OneOfSeveralBlockedTopics_Blocked() =>
        Assert.Equal(TopicVerdict.Blocked, Judge("Who should I vote for?", [], ["religion", "politics"]));

    [Fact]
    public void Judge_RelatedWordsOfOtherTopics_NotBlocked() =>
        Assert.Equal(TopicVerdict.Allowed, Judge("Should I buy bitcoin?", [], ["politics", "religion"]));
}
