using Parley.Engine.Turns;

namespace Parley.Engine.Guardrails;

/// <summary>
/// Stage 4, the filter after the responder: topic rules (judged from the question and the knowledge the reply draws
/// on), blocked terms in the reply, a reply that would quote the bot's instructions, and the output rules (length,
/// links). Each hit is a flag on the reply it changed.
/// </summary>
public sealed class GuardOutputStage : ITurnStage
{
    public TurnStage Stage => TurnStage.Generate;

    public ValueTask RunAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        if (turn.Route != TurnRoute.Responder)
        {
            return ValueTask.CompletedTask;
        }
        var settings = turn.Guardrails;
        var terms = new TermMatcher(settings.BlockedTerms);
        for (var i = 0; i < turn.Replies.Count; i++)
        {
            var reply = turn.Replies[i];
            var flags = new List<string>();
            var text = reply.Text;
            var quickReplies = reply.QuickReplies;
            var citations = reply.Citations;
            if (turn.UnansweredQuestion is not null)
            {
                flags.Add(GuardrailFlags.Unanswered);
            }

            var knowledgeMatched = turn.UnansweredQuestion is null && citations is { Count: > 0 };
            var knowledgeText = citations is { Count: > 0 } ? string.Join(' ', citations.Select(c => c.Excerpt)) : null;
            var verdict = TopicRules.Judge(turn.UserText!, knowledgeMatched, knowledgeText, settings.AllowedTopics, settings.BlockedTopics);
            if (verdict != TopicVerdict.Allowed)
            {
                flags.Add(verdict == TopicVerdict.Blocked ? GuardrailFlags.BlockedTopic : GuardrailFlags.OffTopic);
                text = settings.TopicRefusal;
                citations = null;
                quickReplies = [];
                // A refused question is not a gap in the knowledge base.
                turn.UnansweredQuestion = null;
                flags.Remove(GuardrailFlags.Unanswered);
            }
            else if (InjectionDetector.LeaksInstructions(text, turn.Bot?.Instructions))
            {
                flags.Add(GuardrailFlags.InstructionsLeak);
                text = settings.InjectionRefusal;
                citations = null;
            }
            else if (terms.Find(text).Count > 0)
            {
                flags.Add(GuardrailFlags.BlockedTermOutput);
                if (settings.BlockedTermAction == GuardrailAction.Mask)
                {
                    text = terms.Mask(text);
                }
                else
                {
                    text = settings.BlockedTermRefusal;
                    citations = null;
                    if (settings.BlockedTermAction == GuardrailAction.Escalate)
                    {
                        turn.HandoffReason ??= HandoffReasons.BlockedTerm;
                    }
                }
            }

            var output = OutputRules.Apply(text, settings.MaxReplyLength, settings.AllowedLinkDomains);
            flags.AddRange(output.Flags);
            turn.Replies[i] = (reply with { Text = output.Text, QuickReplies = quickReplies, Citations = citations }).WithFlags(flags);
        }
        return ValueTask.CompletedTask;
    }
}
