using Parley.Engine.Guardrails;
using Parley.Engine.Responders;
using Parley.Engine.Turns;

namespace Parley.Engine.Tests.Guardrails;

public sealed class GuardOutputStageTests
{
    private static readonly Citation Faq = new("src_1", "FAQ", null, "We repair bikes on weekdays.");

    private static TurnContext Turn(string question, GuardrailSettings settings, params TurnMessage[] replies)
    {
        var turn = new TurnContext("conv_1", new TurnInput(question, null, null))
        {
            UserText = question,
            Bot = new BotProfile("bot_1", "Bot", "Secret instructions that must never be shown to anyone at all.", null, "fallback"),
            Guardrails = settings,
            Route = TurnRoute.Responder,
        };
        turn.Replies.AddRange(replies);
        return turn;
    }

    private static TurnMessage Reply(string text, IReadOnlyList<Citation>? citations = null) =>
        new("msg_2", MessageRole.Bot, text, DateTimeOffset.UnixEpoch, [new QuickReply("More", "more")], citations);

    private static async Task<TurnMessage> GuardAsync(TurnContext turn)
    {
        await new GuardOutputStage().RunAsync(turn, CancellationToken.None);
        return Assert.Single(turn.Replies);
    }

    private static readonly GuardrailSettings BikesOnly = GuardrailSettings.None with { AllowedTopics = ["bikes", "repairs"], BlockedTopics = ["politics"] };

    [Fact]
    public async Task RunAsync_NotTheResponderSpeaking_RepliesLeftAlone()
    {
        var turn = Turn("Who should I vote for?", BikesOnly, Reply("Vote for anyone"));
        turn.Route = TurnRoute.Guardrail;
        var reply = await GuardAsync(turn);
        Assert.Equal("Vote for anyone", reply.Text);
        Assert.Null(reply.Flags);
    }

    [Fact]
    public async Task RunAsync_OffTopicQuestion_RefusedWithoutButtonsOrSourcesAndNotAGap()
    {
        var turn = Turn("What's the capital of Peru?", BikesOnly, Reply("Lima.", [Faq]));
        turn.UnansweredQuestion = "What's the capital of Peru?";

        var reply = await GuardAsync(turn);

        Assert.Equal(GuardrailSettings.DefaultTopicRefusal, reply.Text);
        Assert.Equal([GuardrailFlags.OffTopic], reply.Flags);
        Assert.Empty(reply.QuickReplies);
        Assert.Null(reply.Citations);
        Assert.Null(turn.UnansweredQuestion);
    }

    [Fact]
    public async Task RunAsync_BlockedTopicInTheSources_RefusedWithTheOwnersText()
    {
        var settings = BikesOnly with { TopicRefusal = "Bikes only, please." };
        var turn = Turn("Who founded you?", settings, Reply("Our founder.", [new Citation("src_2", "About", null, "Our founder ran in the election.")]));

        var reply = await GuardAsync(turn);

        Assert.Equal("Bikes only, please.", reply.Text);
        Assert.Equal([GuardrailFlags.BlockedTopic], reply.Flags);
    }

    [Fact]
    public async Task RunAsync_QuestionTheSourcesAnswer_AllowedThoughNoTopicNamed()
    {
        var reply = await GuardAsync(Turn("When are you open?", BikesOnly, Reply("On weekdays.", [Faq])));
        Assert.Equal("On weekdays.", reply.Text);
        Assert.Empty(reply.Flags!);
        Assert.Equal([Faq], reply.Citations);
        Assert.Single(reply.QuickReplies);
    }

    [Fact]
    public async Task RunAsync_NoSources_OffTopic() =>
        Assert.Equal([GuardrailFlags.OffTopic], (await GuardAsync(Turn("When are you open?", BikesOnly, Reply("On weekdays.", [])))).Flags);

    [Fact]
    public async Task RunAsync_UnansweredWithSources_StillOffTopic()
    {
        var turn = Turn("When are you open?", BikesOnly, Reply("Not sure.", [Faq]));
        turn.UnansweredQuestion = "When are you open?";
        Assert.Equal([GuardrailFlags.OffTopic], (await GuardAsync(turn)).Flags);
    }

    [Fact]
    public async Task RunAsync_UnansweredOnTopic_FlaggedAsAGap()
    {
        var turn = Turn("Do you repair bikes?", BikesOnly, Reply("I don't know."));
        turn.UnansweredQuestion = "Do you repair bikes?";
        var reply = await GuardAsync(turn);
        Assert.Equal([GuardrailFlags.Unanswered], reply.Flags);
        Assert.Equal("Do you repair bikes?", turn.UnansweredQuestion);
    }

    [Fact]
    public async Task RunAsync_BlockedTermMasked_RestOfTheReplyAndSourcesKept()
    {
        var settings = GuardrailSettings.None with { BlockedTerms = ["darn"], BlockedTermAction = GuardrailAction.Mask };
        var reply = await GuardAsync(Turn("hi", settings, Reply("That darn bike is fixed", [Faq])));
        Assert.DoesNotContain("darn", reply.Text, StringComparison.Ordinal);
        Assert.StartsWith("That ", reply.Text, StringComparison.Ordinal);
        Assert.EndsWith(" bike is fixed", reply.Text, StringComparison.Ordinal);
        Assert.Equal([GuardrailFlags.BlockedTermOutput], reply.Flags);
        Assert.Equal([Faq], reply.Citations);
    }

    [Fact]
    public async Task RunAsync_BlockedTermRefused_RefusalWithoutSourcesAndNoHandoff()
    {
        var settings = GuardrailSettings.None with { BlockedTerms = ["darn"] };
        var turn = Turn("hi", settings, Reply("That darn bike", [Faq]));
        var reply = await GuardAsync(turn);
        Assert.Equal(GuardrailSettings.DefaultTermRefusal, reply.Text);
        Assert.Null(reply.Citations);
        Assert.Null(turn.HandoffReason);
    }

    [Fact]
    public async Task RunAsync_BlockedTermEscalated_RefusedAndHandedOverUnlessAlreadyHanding()
    {
        var settings = GuardrailSettings.None with { BlockedTerms = ["darn"], BlockedTermAction = GuardrailAction.Escalate, BlockedTermRefusal = "Let me get someone." };
        var turn = Turn("hi", settings, Reply("That darn bike"));
        Assert.Equal("Let me get someone.", (await GuardAsync(turn)).Text);
        Assert.Equal(HandoffReasons.BlockedTerm, turn.HandoffReason);

        var already = Turn("hi", settings, Reply("That darn bike"));
        already.HandoffReason = HandoffReasons.VisitorRequest;
        await GuardAsync(already);
        Assert.Equal(HandoffReasons.VisitorRequest, already.HandoffReason);
    }

    [Fact]
    public async Task RunAsync_LeakedInstructions_RefusedWithTheOwnersTextWithoutSources()
    {
        var settings = GuardrailSettings.None with { InjectionRefusal = "No." };
        var reply = await GuardAsync(Turn("hi", settings, Reply("Secret instructions that must never be shown to anyone at all.", [Faq])));
        Assert.Equal("No.", reply.Text);
        Assert.Null(reply.Citations);
    }

    [Fact]
    public async Task RunAsync_OutputRules_AppliedToEveryReply()
    {
        var settings = GuardrailSettings.None with { MaxReplyLength = 20, AllowedLinkDomains = ["shop.example"] };
        var turn = Turn("hi", settings, Reply("one two three four five six"), Reply("see http://evil.example/x"));
        await new GuardOutputStage().RunAsync(turn, CancellationToken.None);
        Assert.Equal("one two three four…", turn.Replies[0].Text);
        Assert.Equal([GuardrailFlags.OutputTruncated], turn.Replies[0].Flags);
        Assert.Equal("see [link removed]", turn.Replies[1].Text);
        Assert.Equal([GuardrailFlags.LinkRemoved], turn.Replies[1].Flags);
    }
}
