using Parley.Engine.Knowledge;
using Parley.Engine.Turns;

namespace Parley.Engine.Responders;

/// <summary>
/// The built-in answerer: no language model, no network. It finds the passages that best match the question (by
/// keywords and by meaning), quotes the sentence that answers it with the neighbour it needs (<see cref="ExtractiveAnswer"/>),
/// and cites the source. A visitor asking where the business is gets the sentence with its street address
/// (<see cref="LocationQuestion"/>); one naming a section's topic gets the start of that section. When nothing matches
/// well enough it does not guess: it sends the bot's fallback text and offers the topics the question came close to and
/// a person. Until the sentence model has loaded it answers from keywords alone. A bot without knowledge answers
/// as <see cref="FallbackResponder"/> does.
/// </summary>
public sealed class KnowledgeAnswerer(IKnowledgeRetriever retriever, ITextEmbedder? embedder = null) : IResponder
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
        var answer = KnowledgeTopics.Named(request.UserText, search.Passages) is { } topic ? Reply([Section(topic)]) : null;
        if (answer is null && LocationQuestion.Is(request.UserText))
        {
            answer = await AddressAsync(await retriever.SearchAsync(request.Bot.Id, request.UserText + LocationQuestion.SearchWords, Candidates, request.KnowledgeSourceIds, cancellationToken), cancellationToken);
        }
        answer ??= await AnswerAsync(request.UserText, search, cancellationToken);
        if (answer is null && LeansOnContext(request.UserText) && PreviousQuestion(request.History) is { } previous)
        {
            // A follow-up ("and on weekends?", "how much is that?") leans on the question before it.
            var combined = previous + " " + request.UserText;
            answer = await AnswerAsync(combined, await retriever.SearchAsync(request.Bot.Id, combined, Candidates, request.KnowledgeSourceIds, cancellationToken), cancellationToken);
        }
        return answer ?? FallbackWithTopics(request.Bot.FallbackText, search.Passages);
    }

    /// <summary>
    /// The fallback text, with the topics of the sections the question came close to (<see cref="KnowledgeTopics"/>) and
    /// a person to ask, as quick replies.
    /// </summary>
    private static ResponderReply FallbackWithTopics(string fallbackText, IReadOnlyList<KnowledgePassage> passages) => new(
        fallbackText,
        [.. KnowledgeTopics.Offered(passages).Select(topic => new QuickReply(topic, topic)), new QuickReply("Talk to a person", HandoffValue)],
        [],
        Unanswered: true);

    /// <summary>A topic picked by name: the start of its section, as sure as an answer gets (the visitor named it).</summary>
    private static ChosenAnswer Section(KnowledgePassage passage) => new(passage, KnowledgeTopics.Quote(passage), Confidence: 1);

    private async ValueTask<ResponderReply?> AnswerAsync(string question, KnowledgeSearch search, CancellationToken cancellationToken)
    {
        if (search.QueryVector is not { } queryVector || embedder is null)
        {
            return Answer(question, search.Passages);
        }
        var read = search.Passages.Take(ExtractiveAnswer.PassagesRead).ToList();
        var vectors = await SentenceVectorsAsync(embedder, read, cancellationToken);
        var chosen = ExtractiveAnswer.Choose(question, queryVector, read, vectors, search.Vocabulary);
        return chosen is null ? null : Reply(await BothPartsAsync(embedder, question, chosen, read, vectors, search.Vocabulary, cancellationToken));
    }

    /// <summary>
    /// For a question that asks two things (<see cref="QuestionParts"/>), the answers to each part, when both parts are
    /// answered and not by the same sentences; otherwise the answer to the whole question.
    /// </summary>
    private static async ValueTask<IReadOnlyList<ChosenAnswer>> BothPartsAsync(
        ITextEmbedder embedder, string question, ChosenAnswer whole, IReadOnlyList<KnowledgePassage> read,
        IReadOnlyList<IReadOnlyList<float[]>> vectors, IReadOnlySet<string>? vocabulary, CancellationToken cancellationToken)
    {
        var answers = new List<ChosenAnswer>();
        foreach (var part in QuestionParts.Split(question))
        {
            var partVector = await embedder.EmbedQueryAsync(part, cancellationToken);
            if (partVector is null || ExtractiveAnswer.Choose(part, partVector, read, vectors, vocabulary) is not { } answer)
            {
                return [whole];
            }
            answers.Add(answer);
        }
        return answers.Count == 0 || Text(answers) == whole.Text ? [whole] : answers;
    }

    /// <summary>The sentence with the business's street address, for a <see cref="LocationQuestion"/>; null without one.</summary>
    private async ValueTask<ResponderReply?> AddressAsync(KnowledgeSearch search, CancellationToken cancellationToken)
    {
        if (search.QueryVector is not { } queryVector || embedder is null)
        {
            return null;
        }
        var read = search.Passages.Take(ExtractiveAnswer.PassagesRead).ToList();
        var chosen = ExtractiveAnswer.ChooseAddress(queryVector, read, await SentenceVectorsAsync(embedder, read, cancellationToken));
        return chosen is null ? null : Reply([chosen]);
    }

    /// <summary>The vectors of each passage's sentences, embedded with the heading they sit under.</summary>
    private static async ValueTask<IReadOnlyList<IReadOnlyList<float[]>>> SentenceVectorsAsync(
        ITextEmbedder embedder, IReadOnlyList<KnowledgePassage> passages, CancellationToken cancellationToken)
    {
        var sentences = passages
            .Select(p => PassageEmbedding.SentencesOf(p.Text).Select(s => PassageEmbedding.SentenceText(p.SourceTitle, p.HeadingPath, s)).ToList())
            .ToList();
        var vectors = await embedder.EmbedPassagesAsync([.. sentences.SelectMany(s => s)], cancellationToken);
        var perPassage = new List<IReadOnlyList<float[]>>();
        var at = 0;
        foreach (var passage in sentences)
        {
            perPassage.Add(vectors[at..(at + passage.Count)]);
            at += passage.Count;
        }
        return perPassage;
    }

    /// <summary>The answers' sentences, each quoted once, citing each source they come from.</summary>
    private static ResponderReply Reply(IReadOnlyList<ChosenAnswer> answers)
    {
        var citations = answers.GroupBy(a => a.Passage.SourceId, StringComparer.Ordinal)
            .Select(source =>
            {
                var passage = source.First().Passage;
                return new Citation(passage.SourceId, passage.SourceTitle, passage.SourceUrl, Excerpt(Text([.. source])));
            })
            .ToList();
        return new ResponderReply(Text(answers), [], citations);
    }

    /// <summary>The answers' sentences in order, a sentence two answers share quoted once.</summary>
    private static string Text(IReadOnlyList<ChosenAnswer> answers) => answers.Count == 1
        ? answers[0].Text
        : string.Join(' ', answers.SelectMany(a => Sentences.Split(a.Text)).Distinct(StringComparer.Ordinal));

    /// <summary>
    /// The answer the passages give to <paramref name="question"/> from keywords alone (while the sentence model loads),
    /// or null when none covers it confidently.
    /// </summary>
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

    private static readonly HashSet<string> ReferringWords = new(StringComparer.Ordinal)
    {
        "that", "it", "this", "those", "these", "them", "there", "one", "ones",
    };

    /// <summary>
    /// Whether a message needs the one before it to be understood: it refers back ("how much is that?") or says
    /// almost nothing on its own ("and on weekends?"). A new question ("do you sell motorcycles?") stands alone.
    /// </summary>
    public static bool LeansOnContext(string text) =>
        PassageRanker.QueryTerms(text).Count <= 1 || SearchTerms.Words(text).Any(ReferringWords.Contains);

    private static string? PreviousQuestion(IReadOnlyList<TurnMessage> history) =>
        history.LastOrDefault(m => m.Role == MessageRole.User)?.Text;

    private static string Excerpt(string text) =>
        text.Length <= MaxExcerptLength ? text : string.Concat(text.AsSpan(0, MaxExcerptLength - 1).TrimEnd(), "…");
}
