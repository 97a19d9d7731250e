using Microsoft.Extensions.Time.Testing;
using Parley.Engine.Flows;
using Parley.Engine.Guardrails;
using Parley.Engine.Ids;
using Parley.Engine.Responders;
using Parley.Engine.Turns;

namespace Parley.Engine.Tests.Turns;

public sealed class GenerateStageRulesTests
{
    /// <summary>Streams its reply in pieces, then answers with the whole of it.</summary>
    private sealed class StreamingResponder(params string[] pieces) : IResponder
    {
        public ResponderRequest? Request { get; private set; }
        public bool Unanswered { get; init; }
        public IReadOnlyList<Citation>? Citations { get; init; }
        public TokenUsage? Usage { get; init; }

        public async ValueTask<ResponderReply> RespondAsync(ResponderRequest request, CancellationToken cancellationToken)
        {
            Request = request;
            foreach (var piece in pieces)
            {
                if (request.Deltas is { } deltas)
                {
                    await deltas(piece, cancellationToken);
                }
            }
            return new ResponderReply(string.Concat(pieces), [], Citations, Unanswered, Usage);
        }
    }

    private sealed class Sink : IReplyDeltaSink
    {
        public List<(string MessageId, string Delta)> Written { get; } = [];

        public ValueTask WriteAsync(string messageId, string delta, CancellationToken cancellationToken)
        {
            Written.Add((messageId, delta));
            return ValueTask.CompletedTask;
        }
    }

    private sealed class NoHost : IFlowHost
    {
        public ValueTask<FlowHttpResponse> SendAsync(FlowHttpRequest request, CancellationToken cancellationToken) => throw new NotSupportedException();
        public ValueTask<string?> CaptureLeadAsync(FlowContext context, FlowLead lead, CancellationToken cancellationToken) => throw new NotSupportedException();
        public ValueTask<IReadOnlyList<FlowSlot>> FreeSlotsAsync(FlowContext context, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken) => throw new NotSupportedException();
        public ValueTask<FlowBookingResult> BookAsync(FlowContext context, FlowBooking booking, CancellationToken cancellationToken) => throw new NotSupportedException();
    }

    private static readonly BotProfile Bot = new("bot_1", "Demo", "Never reveal the discount code SPRING-42 to anyone at all.", null, "fallback");

    private static TurnContext Turn(string text = "hi", TurnRoute route = TurnRoute.Responder) => new("conv_1", new TurnInput(text, null, null))
    {
        UserText = text,
        Bot = Bot,
        Route = route,
    };

    private static readonly FakeTimeProvider Clock = new(new DateTimeOffset(2026, 12, 3, 9, 0, 0, TimeSpan.Zero));

    private static GenerateStage Stage(IResponder responder, IFlowHost? host = null) => new(responder, new IdGenerator(Clock), Clock, host);

    [Fact]
    public async Task RunAsync_Streaming_PiecesGoOutUnderTheRepliesId()
    {
        var turn = Turn();
        var sink = new Sink();
        turn.DeltaSink = sink;

        await Stage(new StreamingResponder("Hello ", "there")).RunAsync(turn, default);

        var reply = Assert.Single(turn.Replies);
        Assert.Equal([(reply.Id, "Hello "), (reply.Id, "there")], sink.Written);
        Assert.Equal("Hello there", reply.Text);
        Assert.Equal(Clock.GetUtcNow(), reply.CreatedAt);
    }

    [Fact]
    public async Task RunAsync_StreamReachesABlockedTerm_NothingMoreStreamed()
    {
        var turn = Turn();
        turn.Guardrails = GuardrailSettings.None with { BlockedTerms = ["darn"] };
        var sink = new Sink();
        turn.DeltaSink = sink;

        await Stage(new StreamingResponder("That ", "da", "rn bike ", "is fixed")).RunAsync(turn, default);

        Assert.Equal(["That ", "da"], sink.Written.Select(w => w.Delta));
    }

    [Fact]
    public async Task RunAsync_StreamQuotesTheInstructions_NothingMoreStreamed()
    {
        var turn = Turn();
        var sink = new Sink();
        turn.DeltaSink = sink;

        await Stage(new StreamingResponder("Sure: ", "Never reveal the discount code SPRING-42 to anyone at all.", " Bye")).RunAsync(turn, default);

        Assert.Equal(["Sure: "], sink.Written.Select(w => w.Delta));
    }

    [Fact]
    public async Task RunAsync_NoSink_ResponderStreamsNowhere()
    {
        var responder = new StreamingResponder("Hi");
        await Stage(responder).RunAsync(Turn(), default);
        Assert.Null(responder.Request!.Deltas);
    }

    [Fact]
    public async Task RunAsync_ResponderGetsTheGuardedQuestionAndRules()
    {
        var turn = Turn("my email is [email]");
        turn.GuardrailInstructions = "Only talk about bikes.";
        var responder = new StreamingResponder("ok");

        await Stage(responder).RunAsync(turn, default);

        Assert.Equal("my email is [email]", responder.Request!.UserText);
        Assert.Equal("Only talk about bikes.", responder.Request.GuardrailInstructions);
        Assert.Same(Bot, responder.Request.Bot);
        Assert.Null(responder.Request.Knowledge);
    }

    [Fact]
    public async Task RunAsync_UnansweredReply_QuestionKeptAsAGapWithItsSourcesAndUsage()
    {
        var usage = new TokenUsage(10, 5, "openai", "gpt");
        var turn = Turn("Do you rent tandems?");
        await Stage(new StreamingResponder("Not sure.") { Unanswered = true, Usage = usage }).RunAsync(turn, default);
        Assert.Equal("Do you rent tandems?", turn.UnansweredQuestion);
        var reply = Assert.Single(turn.Replies);
        Assert.Empty(reply.Citations!);
        Assert.Same(usage, reply.Usage);

        var answered = Turn();
        var citation = new Citation("src_1", "FAQ", null, "x");
        await Stage(new StreamingResponder("Yes.") { Citations = [citation] }).RunAsync(answered, default);
        Assert.Null(answered.UnansweredQuestion);
        Assert.Equal([citation], answered.Replies[0].Citations);
    }

    [Fact]
    public async Task RunAsync_ReplyOverTheLimit_CutAtAWord()
    {
        var turn = Turn();
        await Stage(new StreamingResponder(string.Join(' ', Enumerable.Repeat("word", 1000)))).RunAsync(turn, default);
        var text = Assert.Single(turn.Replies).Text;
        Assert.True(text.Length <= GenerateStage.MaxReplyLength);
        Assert.EndsWith("word…", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_NoBot_Throws()
    {
        var turn = Turn();
        turn.Bot = null;
        await Assert.ThrowsAsync<InvalidOperationException>(() => Stage(new StreamingResponder("x")).RunAsync(turn, default).AsTask());
    }

    [Theory]
    [InlineData("short", 10, "short")]
    [InlineData("exactly10!", 10, "exactly10!")]
    [InlineData("abcdefghijk", 10, "abcdefghi…")]
    [InlineData("one two three", 10, "one two…")]
    [InlineData("one two   three", 10, "one two…")]
    [InlineData(" abcdefghijk", 10, " abcdefgh…")]
    public void Truncate_AtMostMaxCharactersCutAtAWord(string text, int max, string expected) =>
        Assert.Equal(expected, GenerateStage.Truncate(text, max));

    [Fact]
    public void Truncate_NoSpaceInTheLast200Characters_CutMidWord()
    {
        var text = "a " + new string('x', 400);
        var cut = GenerateStage.Truncate(text, 300);
        Assert.Equal(300, cut.Length);
        Assert.EndsWith("x…", cut, StringComparison.Ordinal);
    }

    private static FlowSession Session(string nodes, string edges, string start = "a") =>
        new(1, FlowGraph.Parse($$"""{"start": "{{start}}", "nodes": [{{nodes}}], "edges": [{{edges}}]}"""), new FlowState { Node = start },
            new FlowContext(Bot, "conv_1", "ct_1", Clock.GetUtcNow(), new Dictionary<string, string>(), null, new Dictionary<string, string>(), null, []));

    [Fact]
    public async Task RunAsync_Flow_AskGetsWhatTheVisitorTypedAndTheFlowsMessagesAreStored()
    {
        var turn = new TurnContext("conv_1", new TurnInput("ann@example.com", null, null)) { UserText = "[email]", Bot = Bot, Route = TurnRoute.Flow };
        turn.Flow = Session(
            """{"id": "a", "type": "ask", "position": {"x": 0, "y": 0}, "settings": {"text": "Email?", "variable": "email", "input": "email"}}, {"id": "b", "type": "end", "position": {"x": 0, "y": 0}, "settings": {"text": "Thanks {{email}}"}}""",
            """{"id": "e1", "from": {"node": "a", "port": "next"}, "to": {"node": "b"}}""");

        await Stage(new StreamingResponder("unused"), new NoHost()).RunAsync(turn, default);

        var reply = Assert.Single(turn.Replies);
        Assert.Equal("Thanks ann@example.com", reply.Text);
        Assert.StartsWith("msg_", reply.Id, StringComparison.Ordinal);
        Assert.Equal(MessageRole.Bot, reply.Role);
        Assert.Null(turn.HandoffReason);
        Assert.False(turn.HandoffKeepsReplies);
    }

    [Fact]
    public async Task RunAsync_FlowHandsOver_RepliesKeptBeforeTheHandoff()
    {
        var turn = new TurnContext("conv_1", new TurnInput("x", null, null)) { UserText = "x", Bot = Bot, Route = TurnRoute.Flow };
        turn.Flow = Session("""{"id": "a", "type": "handoff", "position": {"x": 0, "y": 0}, "settings": {"text": "One moment", "reason": "sales"}}""", "");

        await Stage(new StreamingResponder("unused"), new NoHost()).RunAsync(turn, default);

        Assert.Equal("One moment", Assert.Single(turn.Replies).Text);
        Assert.Equal("sales", turn.HandoffReason);
        Assert.True(turn.HandoffKeepsReplies);
    }

    [Fact]
    public async Task RunAsync_FlowAiAnswerUnanswered_QuestionKeptAsAGap()
    {
        var turn = new TurnContext("conv_1", new TurnInput("Tandems?", null, null)) { UserText = "Tandems?", Bot = Bot, Route = TurnRoute.Flow };
        turn.Flow = Session("""{"id": "a", "type": "ai_answer", "position": {"x": 0, "y": 0}, "settings": {}}""", "");

        await Stage(new StreamingResponder("Not sure.") { Unanswered = true }, new NoHost()).RunAsync(turn, default);

        Assert.Equal("Not sure.", Assert.Single(turn.Replies).Text);
        Assert.Equal("Tandems?", turn.UnansweredQuestion);
    }

    [Fact]
    public async Task RunAsync_FlowWithoutHost_Throws()
    {
        var turn = new TurnContext("conv_1", new TurnInput("x", null, null)) { UserText = "x", Bot = Bot, Route = TurnRoute.Flow };
        turn.Flow = Session("""{"id": "a", "type": "end", "position": {"x": 0, "y": 0}, "settings": {}}""", "");
        await Assert.ThrowsAsync<InvalidOperationException>(() => Stage(new StreamingResponder("x")).RunAsync(turn, default).AsTask());
    }
}
