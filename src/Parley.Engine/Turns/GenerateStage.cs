using Parley.Engine.Flows;
using Parley.Engine.Ids;
using Parley.Engine.Responders;

namespace Parley.Engine.Turns;

/// <summary>
/// Stage 4: asks the responder for the bot's reply, or runs the conversation's flow one step, and keeps the replies
/// within the reply limits.
/// </summary>
public sealed class GenerateStage(IResponder responder, IdGenerator ids, TimeProvider time, IFlowHost? flowHost = null) : ITurnStage
{
    /// <summary>The longest reply the bot may send, in characters; longer replies are cut at a word boundary.</summary>
    public const int MaxReplyLength = 4000;

    public TurnStage Stage => TurnStage.Generate;

    public async ValueTask RunAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        if (turn.Route == TurnRoute.Flow)
        {
            await RunFlowAsync(turn, cancellationToken);
            return;
        }
        if (turn.Route != TurnRoute.Responder)
        {
            return;
        }
        var bot = turn.Bot ?? throw new InvalidOperationException("Capture must load the bot.");
        // The id comes first so that pieces streamed while the model writes already name their message.
        var messageId = ids.New(IdPrefix.Message);
        ReplyDeltaWriter? deltas = turn.DeltaSink is { } sink ? GuardedDeltas(turn, sink, messageId) : null;
        var reply = await responder.RespondAsync(
            new ResponderRequest(bot, turn.History, turn.UserText!, turn.ContactAttributes, deltas, GuardrailInstructions: turn.GuardrailInstructions,
                Knowledge: turn.Knowledge?.For(turn.UserText)),
            cancellationToken);
        turn.Replies.Add(new TurnMessage(
            messageId,
            MessageRole.Bot,
            Truncate(reply.Text, MaxReplyLength),
            time.GetUtcNow(),
            reply.QuickReplies,
            reply.Citations ?? [],
            Usage: reply.Usage));
        if (reply.Unanswered)
        {
            turn.UnansweredQuestion = turn.UserText;
        }
    }

    /// <summary>
    /// Forwards the pieces of a streamed reply until the text so far would quote the bot's instructions or contains a
    /// blocked term; from then on nothing more is streamed. The output guard then replaces or masks the reply, and the
    /// caller receives the stored text with <c>message.completed</c>, which takes the place of what was streamed.
    /// </summary>
    private static ReplyDeltaWriter GuardedDeltas(TurnContext turn, IReplyDeltaSink sink, string messageId)
    {
        var text = new System.Text.StringBuilder();
        var terms = new Guardrails.TermMatcher(turn.Guardrails.BlockedTerms);
        var withheld = false;
        return (delta, ct) =>
        {
            if (withheld)
            {
                return ValueTask.CompletedTask;
            }
            var soFar = text.Append(delta).ToString();
            if (Guardrails.InjectionDetector.LeaksInstructions(soFar, turn.Bot?.Instructions) || terms.Find(soFar).Count > 0)
            {
                withheld = true;
                return ValueTask.CompletedTask;
            }
            return sink.WriteAsync(messageId, delta, ct);
        };
    }

    private async Task RunFlowAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        var flow = turn.Flow!;
        var host = flowHost ?? throw new InvalidOperationException("A flow needs an IFlowHost.");
        // Guardrails may have redacted personal data from UserText for the responder; an ask block needs the email or
        // phone number the visitor actually typed.
        var typed = TurnInputValidator.Validate(turn.Input);
        // The history as the guardrails left it (personal data redacted, refused injection attempts left out) and the
        // guardrail rules go to an AI answer block's responder, as they do to the bot's own.
        var context = flow.Context with { History = turn.History, GuardrailInstructions = turn.GuardrailInstructions };
        var outcome = await new FlowRunner(responder, host).ContinueAsync(
            flow.Graph, flow.State, context, typed, cancellationToken, turn.UserText);
        foreach (var reply in outcome.Replies)
        {
            turn.Replies.Add(new TurnMessage(
                ids.New(IdPrefix.Message), MessageRole.Bot, Truncate(reply.Text, MaxReplyLength), time.GetUtcNow(), reply.QuickReplies, reply.Citations ?? [],
                Usage: reply.Usage));
            if (reply.Unanswered)
            {
                turn.UnansweredQuestion = turn.UserText;
            }
        }
        if (outcome.HandoffReason is { } reason)
        {
            // The flow's own messages (the handoff block's text among them) stay, before the handoff notice.
            turn.HandoffReason = reason;
            turn.HandoffKeepsReplies = true;
        }
    }

    /// <summary>Cuts <paramref name="text"/> to <paramref name="max"/> characters at a word boundary.</summary>
    public static string Truncate(string text, int max)
    {
        if (text.Length <= max)
        {
            return text;
        }
        var cut = text.LastIndexOf(' ', max - 1, Math.Min(200, max));
        return string.Concat(text.AsSpan(0, cut > 0 ? cut : max - 1).TrimEnd(), "…");
    }
}
