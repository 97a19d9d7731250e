using Microsoft.Extensions.Time.Testing;
using Parley.Engine.Ids;
using Parley.Engine.Responders;
using Parley.Engine.Turns;

namespace Parley.Engine.Tests.Turns;

public sealed class GenerateStageTests
{
    private sealed class FixedResponder(string text) : IResponder
    {
        public int Calls { get; private set; }

        public ValueTask<ResponderReply> RespondAsync(ResponderRequest request, CancellationToken cancellationToken)
        {
            Calls++;
            return ValueTask.FromResult(new ResponderReply(text, [new QuickReply("Talk to a person", "handoff")]));
        }
    }

    private static TurnContext Turn(string status) => new("conv_1", new TurnInput("hi", null, null))
    {
        UserText = "hi",
        Conversation = new TurnConversation("conv_1", "bot_1", "ct_1", status),
        Bot = new BotProfile("bot_1", "Demo", null, null, "fallback"),
    };

    [Fact]
    public async Task RunAsync_OpenConversation_AddsBotReplyWithQuickReplies()
    {
        var turn = Turn(ConversationStatus.Open);
        var clock = new FakeTimeProvider();
        await new RouteStage().RunAsync(turn, CancellationToken.None);
        await new GenerateStage(new FixedResponder("Hello!"), new IdGenerator(clock), clock).RunAsync(turn, CancellationToken.None);

        var reply = Assert.Single(turn.Replies);
        Assert.Equal(MessageRole.Bot, reply.Role);
        Assert.Equal("Hello!", reply.Text);
        Assert.StartsWith("msg_", reply.Id, StringComparison.Ordinal);
        Assert.Equal("handoff", Assert.Single(reply.QuickReplies).Value);
    }

    [Fact]
    public async Task RunAsync_HandedToHuman_BotStaysQuiet()
    {
        var turn = Turn(ConversationStatus.Handoff);
        var responder = new FixedResponder("Hello!");
        await new RouteStage().RunAsync(turn, CancellationToken.None);
        await new GenerateStage(responder, IdGenerator.Default, TimeProvider.System).RunAsync(turn, CancellationToken.None);

        Assert.Equal(TurnRoute.HumanAgent, turn.Route);
        Assert.Empty(turn.Replies);
        Assert.Equal(0, responder.Calls);
    }

    [Fact]
    public async Task FallbackResponder_AnswersWithTheBotsFallbackText()
    {
        var reply = await new FallbackResponder().RespondAsync(
            new ResponderRequest(new BotProfile("bot_1", "Demo", null, null, "We'll get back to you."), [], "What are your hours?"), CancellationToken.None);
        Assert.Equal("We'll get back to you.", reply.Text);
    }

    [Fact]
    public void Truncate_LongText_CutAtWordBoundaryWithEllipsis()
    {
        var text = string.Join(' ', Enumerable.Repeat("word", 2000));
        var cut = GenerateStage.Truncate(text, 100);
        Assert.True(cut.Length <= 100);
        Assert.EndsWith("word…", cut, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Mobile/15E148", DeviceClassifier.Mobile)]
    [InlineData("Mozilla/5.0 (iPad; CPU OS 17_0 like Mac OS X)", DeviceClassifier.Tablet)]
    [InlineData("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/156.0 Safari/537.36", DeviceClassifier.Desktop)]
    [InlineData("Googlebot/2.1 (+http://www.google.com/bot.html)", DeviceClassifier.Bot)]
    [InlineData(null, null)]
    public void DeviceClassifier_Classify(string? userAgent, string? expected) => Assert.Equal(expected, DeviceClassifier.Classify(userAgent));
}
