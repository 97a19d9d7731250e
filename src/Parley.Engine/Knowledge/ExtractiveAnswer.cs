namespace Parley.Engine.Knowledge;

/// <summary>The sentences chosen to answer a question, the passage they come from, and how sure the choice is.</summary>
public sealed record ChosenAnswer(KnowledgePassage Passage, string Text, double Confidence);

/// <summary>The best answer found for a question, before deciding whether it is good enough to give.</summary>
public sealed record AnswerCandidate(KnowledgePassage Passage, string Text, AnswerFeatures Features);

/// <summary>
/// Picks the sentence that answers a question from the best passages, and the neighbour it needs to make sense. Each
/// sentence is scored by its similarity in meaning to the question (embedded with its heading, so "We are closed on
/// Sundays" reads as opening hours), its passage's similarity, and the share of the question's words it and its
/// headings contain. Whether the best one is given is decided by <see cref="AnswerDecision"/> from what is known about
/// it (<see cref="AnswerFeatures"/>): how close it is in meaning, how much of the question its passage covers, whether
/// the question names a thing the knowledge never mentions ("implants", "do you fix boilers?").
/// </summary>
public static class ExtractiveAnswer
{
    // Weights that pick the best sentence of the passages read; whether it is given is AnswerDecision's call.
    public const double SentenceWeight = 1.0;
    public const double PassageWeight = 0.3;
    public const double TermWeight = 0.3;

    /// <summary>How many of the best passages are read sentence by sentence.</summary>
    public const int PassagesRead = 3;

    /// <summary>A neighbour within this much of the best sentence's score joins it.</summary>
    private const double NeighbourMargin = 0.25;
    private const int MaxAnswerLength = 300;

    /// <summary>
    /// The best answer in <paramref name="passages"/>, or null when none is good enough. <paramref name="sentenceVectors"/>
    /// holds, for each passage read, the vectors of its <see cref="PassageEmbedding.SentencesOf"/> in order.
    /// </summary>
    public static ChosenAnswer? Choose(
        string question, float[] queryVector, IReadOnlyList<KnowledgePassage> passages,
        IReadOnlyList<IReadOnlyList<float[]>> sentenceVectors, KnowledgeVocabulary? vocabulary) =>
        Candidate(question, queryVector, passages, sentenceVectors, vocabulary) is { } candidate
            && AnswerDecision.Probability(candidate.Features) is var probability && probability >= AnswerDecision.Threshold
            ? new ChosenAnswer(candidate.Passage, candidate.Text, Math.Round(probability, 4))
            : null;

    /// <summary>The best answer in <paramref name="passages"/> and what is known about it, or null when there is no sentence to read.</summary>
    public static AnswerCandidate? Candidate(
        string question, float[] queryVector, IReadOnlyList<KnowledgePassage> passages,
        IReadOnlyList<IReadOnlyList<float[]>> sentenceVectors, KnowledgeVocabulary? vocabulary)
    {
        var terms = PassageRanker.QueryTerms(question);
        (int Passage, int Sentence, double Score, double Similarity)? best = null;
        for (var p = 0; p < Math.Min(passages.Count, sentenceVectors.Count); p++)
        {
            var sentences = PassageEmbedding.SentencesOf(passages[p].Text);
            for (var s = 0; s < sentences.Count && s < sentenceVectors[p].Count; s++)
            {
                var similarity = VectorMath.Dot(queryVector, sentenceVectors[p][s]);
                var score = (SentenceWeight * similarity) + (PassageWeight * (passages[p].Similarity ?? 0)) + (TermWeight * TermShare(terms, passages[p], sentences[s]));
                if (best is null || score > best.Value.Score)
                {
                    best = (p, s, score, similarity);
                }
            }
        }
        if (best is not { } chosen)
        {
            return null;
        }
        var passage = passages[chosen.Passage];
        var features = new AnswerFeatures(
            chosen.Similarity, Coverage(terms, passage, vocabulary), OfferQuestion.Is(question) && NamesUnknownThing(terms, vocabulary));
        var all = PassageEmbedding.SentencesOf(passage.Text);
        var neighbour = Neighbour(all, chosen.Sentence, i => VectorMath.Dot(queryVector, sentenceVectors[chosen.Passage][i]) + (TermWeight * TermShare(terms, passage, all[i])), chosen.Score - (PassageWeight * (passage.Similarity ?? 0)));
        // Stryker disable once Equality : the neighbour is the sentence before or after the chosen one, never the chosen one itself.
        var text = neighbour switch
        {
            null => all[chosen.Sentence],
            var n when n < chosen.Sentence => all[n.Value] + " " + all[chosen.Sentence],
            var n => all[chosen.Sentence] + " " + all[n.Value],
        };
        return new AnswerCandidate(passage, text, features);
    }

    /// <summary>The sentence next to the chosen one that it needs ("After that we charge $95 per hour" needs the one before), if any.</summary>
    private static int? Neighbour(IReadOnlyList<string> sentences, int chosen, Func<int, double> score, double chosenScore)
    {
        var sentence = sentences[chosen];
        if (chosen > 0 && LeansOnPrevious(sentence))
        {
            return chosen - 1;
        }
        if (chosen + 1 < sentences.Count && sentence.EndsWith(':'))
        {
            return chosen + 1;
        }
        int[] around = [chosen - 1, chosen + 1];
        var candidates = around.Where(i => i >= 0 && i < sentences.Count).OrderByDescending(score).ToList();
        if (candidates.Count == 0)
        {
            return null;
        }
        var next = candidates[0];
        var helps = score(next) >= chosenScore - NeighbourMargin || sentence.Length < 50;
        return helps && sentence.Length + sentences[next].Length < MaxAnswerLength ? next : null;
    }

    private static readonly HashSet<string> PreviousMarkers = new(StringComparer.OrdinalIgnoreCase)
    {
        "after", "this", "that", "these", "those", "it", "they", "then", "also", "otherwise", "there", "he", "she",
    };

    private static bool LeansOnPrevious(string sentence) => PreviousMarkers.Contains(sentence.Split(' ')[0].Trim(',', ';'));

    private static double TermShare(IReadOnlyList<string> terms, KnowledgePassage passage, string sentence)
    {
        if (terms.Count == 0)
        {
            return 0;
        }
        var found = new HashSet<string>(SearchTerms.Analyze(sentence));
        // Stryker disable once Linq : the words go into a set, so the title before or after the headings gives the same terms.
        found.UnionWith(SearchTerms.Analyze(string.Join(' ', passage.HeadingPath.Append(passage.SourceTitle))));
        return (double)terms.Count(found.Contains) / terms.Count;
    }

    /// <summary>Question words that say something about the thing asked: not numbers, not one or two letters.</summary>
    private static IEnumerable<string> ContentTerms(IReadOnlyList<string> terms) =>
        terms.Where(t => t.Length >= 3 && !t.All(char.IsAsciiDigit));

    /// <summary>The rarity-weighted share of the question's words found in the passage (a slip of a word counts as the word).</summary>
    private static double Coverage(IReadOnlyList<string> terms, KnowledgePassage passage, KnowledgeVocabulary? vocabulary)
    {
        // Stryker disable once Linq : the words go into a set, so the order of title, headings and text does not matter.
        var found = new HashSet<string>(SearchTerms.Analyze(string.Join(' ', passage.HeadingPath.Append(passage.SourceTitle).Append(passage.Text))));
        double covered = 0, total = 0;
        foreach (var term in terms)
        {
            var weight = vocabulary?.Idf(term) ?? 1;
            total += weight;
            covered += found.Contains(term) || (vocabulary?.Match(term) is { } known && found.Contains(known)) ? weight : 0;
        }
        return total == 0 ? 0 : covered / total;
    }

    /// <summary>
    /// Whether the question names a thing the knowledge never mentions: a word of three letters or more ("cats", "vet",
    /// "boilers") outside its vocabulary, not a slip of a word in it, and not one of the general words customers ask
    /// with ("fee", "price").
    /// </summary>
    private static bool NamesUnknownThing(IReadOnlyList<string> terms, KnowledgeVocabulary? vocabulary) =>
        vocabulary is { Count: > 0 } && ContentTerms(terms).Any(t => !Synonyms.IsCanonicalTerm(t) && vocabulary.Match(t) is null);

    public static bool OneSlipApart(string a, string b)
    {
        if (Math.Abs(a.Length - b.Length) > 1 || a.Length < 4)
        {
            return false;
        }
        var head = 0;
        while (head < a.Length && head < b.Length && a[head] == b[head])
        {
            head++;
        }
        var tail = 0;
        while (tail < a.Length - head && tail < b.Length - head && a[a.Length - 1 - tail] == b[b.Length - 1 - tail])
        {
            tail++;
        }
        int restA = a.Length - head - tail, restB = b.Length - head - tail;
        return (restA <= 1 && restB <= 1) || (restA == 2 && restB == 2 && a[head] == b[head + 1] && a[head + 1] == b[head]);
    }
}
