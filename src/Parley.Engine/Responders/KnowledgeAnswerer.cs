using Parley.Engine.Knowledge;
using Parley.Engine.Turns;

namespace Parley.Engine.Responders;

/// <summary>
/// The built-in answerer: no model, no network. It finds the passages that best cover the question, quotes the one or
/// two sentences of the best passage that answer it, and cites the source. When nothing covers the question well
/// enough it does not guess: it sends the bot's fallback text and offers a person. A bot without knowledge answers as
/// <see cref="FallbackResponder"/> does.
/// </summary>
public sealed class KnowledgeAnswerer(IKnowledgeRetriever retriever) : IResponder
{
    /// <summary>The <see cref="PassageRanker.Confidence"/> the best passage needs before it is used as an answer.</summary>
    public const double ConfidenceThreshold = 0.6;

    /// <summary>The value of the quick reply that asks for a person.</summary>
    public const string HandoffValue = "handoff";

    /// <summary>How many passages the answerer weighs.</summary>
    public const int Candidates = 5;
    private const int MaxSentences = 2;
    private const int MaxExcerptLength = 300;

    public async ValueTask<ResponderReply> RespondAsync(ResponderRequest request, CancellationToken cancellationToken)
    {
        if (!request.Bot.HasKnowledge)
        {
            // Nothing to search: answer as a bot without a knowledge base does, without a query.
            return new ResponderReply(request.Bot.FallbackText, []);
        }
        var search = request.Knowledge ?? await retriever.SearchAsync(request.Bot.Id, request.UserText, Candidates, request.KnowledgeSourceIds, cancellationToken);
        if (!search.HasKnowledge)
        {
            return new ResponderReply(request.Bot.FallbackText, []);
        }
        var answer = Answer(request.UserText, search.Passages);
        if (answer is null && PreviousQuestion(request.History) is { } previous)
        {
            // A follow-up ("and on weekends?") leans on the question before it.
            var combined = previous + " " + request.UserText;
            answer = Answer(combined, (await retriever.SearchAsync(request.Bot.Id, combined, Candidates, request.KnowledgeSourceIds, cancellationToken)).Passages);
        }
        return answer ?? new ResponderReply(
            request.Bot.FallbackText, [new QuickReply("Talk to a person", HandoffValue)], [], Unanswered: true);
    }

    /// <summary>The answer the passages give to <paramref name="question"/>, or null when none covers it confidently.</summary>
    public static ResponderReply? Answer(string question, IReadOnlyList<KnowledgePassage> passages)
    {
        var terms = PassageRanker.QueryTerms(question);
        if (terms.Count == 0 || passages.Count == 0)
        {
            return null;
        }
        var best = passages[0];
        if (PassageRanker.Confidence(terms, best, passages) < ConfidenceThreshold)
        {
            return null;
        }
        var text = string.Join(' ', AnsweringSentences(terms, best.Text));
        var citation = new Citation(best.SourceId, best.SourceTitle, best.SourceUrl, Excerpt(text));
        return new ResponderReply(text, [], [citation]);
    }

    /// <summary>The sentences of the passage that match the question best, in the passage's order.</summary>
    public static IReadOnlyList<string> AnsweringSentences(IReadOnlyList<string> terms, string passage)
    {
        var sentences = passage.Split("\n\n").SelectMany(Sentences.Split).ToList();
        if (sentences.Count <= MaxSentences)
        {
            return sentences;
        }
        var wanted = new HashSet<string>(terms);
        var scored = sentences
            .Select((s, i) => (Index: i, Terms: SearchTerms.Analyze(s).Where(wanted.Contains).Distinct().ToList()))
            .ToList();
        var first = scored.OrderByDescending(s => s.Terms.Count).ThenBy(s => s.Index).First();
        var chosen = new List<int> { first.Index };
        // A second sentence joins when it adds something asked for, or when it completes the first ("… as follows:").
        var rest = scored.Where(s => s.Index != first.Index)
            .Select(s => (s.Index, Gain: s.Terms.Count(t => !first.Terms.Contains(t))))
            .OrderByDescending(s => s.Gain).ThenBy(s => Math.Abs(s.Index - first.Index)).First();
        if (rest.Gain > 0 || sentences[first.Index].EndsWith(':') || sentences[first.Index].Length < 60)
        {
            chosen.Add(rest.Gain > 0 ? rest.Index : Math.Min(first.Index + 1, sentences.Count - 1));
        }
        return [.. chosen.Distinct().Order().Select(i => sentences[i])];
    }

    private static string? PreviousQuestion(IReadOnlyList<TurnMessage> history) =>
        history.LastOrDefault(m => m.Role == MessageRole.User)?.Text;

    private static string Excerpt(string text) =>
        text.Length <= MaxExcerptLength ? text : string.Concat(text.AsSpan(0, MaxExcerptLength - 1).TrimEnd(), "…");
}
