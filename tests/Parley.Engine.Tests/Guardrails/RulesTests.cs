using Parley.Engine.Guardrails;

namespace Parley.Engine.Tests.Guardrails;

public sealed class RulesTests
{
    [Fact]
    public void OutputRules_LinkOutsideAllowedDomains_Removed()
    {
        var check = OutputRules.Apply("See https://shop.example/a, https://www.shop.example/b and http://evil.example/x.", null, ["shop.example"]);
        Assert.Equal("See https://shop.example/a, https://www.shop.example/b and [link removed]", check.Text);
        Assert.Equal([GuardrailFlags.LinkRemoved], check.Flags);
    }

    [Fact]
    public void OutputRules_TooLong_CutAtWordAndFlagged()
    {
        var check = OutputRules.Apply("one two three four five six seven", 20, null);
        Assert.Equal("one two three four…", check.Text);
        Assert.Equal([GuardrailFlags.OutputTruncated], check.Flags);
    }

    [Theory]
    [InlineData("Who should I vote for?", false, null, TopicVerdict.Blocked)]
    [InlineData("How much are your bikes?", false, null, TopicVerdict.Allowed)]
    [InlineData("What's the capital of Peru?", false, null, TopicVerdict.OffTopic)]
    [InlineData("Do you deliver on Sundays?", true, "We deliver every day including Sundays.", TopicVerdict.Allowed)]
    [InlineData("Tell me about your founder", true, "Our founder ran for president in the election.", TopicVerdict.Blocked)]
    public void TopicRules_QuestionAndKnowledge_Judged(string question, bool matched, string? knowledge, TopicVerdict expected) =>
        Assert.Equal(expected, TopicRules.Judge(question, matched, knowledge, ["bikes", "repairs"], ["politics"]));

    [Fact]
    public void Settings_BadFields_OneErrorEach()
    {
        using var document = System.Text.Json.JsonDocument.Parse("""
            {"topics": {"allowed": "bikes"}, "blocked_terms": {"action": "shout"}, "pii": {"redact_stored": "yes"}, "injection": {"action": "mask"},
             "output": {"max_length": 1, "allowed_link_domains": ["https://x.example/"]}, "extra": 1}
            """);
        var errors = new Dictionary<string, string[]>();
        GuardrailSettings.Read(document.RootElement, errors);
        Assert.Equal(
            ["guardrails.blocked_terms.action", "guardrails.extra", "guardrails.injection.action", "guardrails.output.allowed_link_domains",
             "guardrails.output.max_length", "guardrails.pii.redact_stored", "guardrails.topics.allowed"],
            errors.Keys.Order().ToArray());
    }
}
