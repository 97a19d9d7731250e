namespace Parley.Engine.Knowledge;

/// <summary>The sentences chosen to answer a question, the passage they come from, and how sure the choice is.</summary>
public sealed record ChosenAnswer(KnowledgePassage Passage, string Text, double Confidence);

/// <summary>
/// Picks the sentence that answers a question from the best passages, and the neighbour it needs to make sense. Each
/// sentence is scored by its similarity in meaning to the question (embedded with its heading, so "We are closed on
/// Sundays" reads as opening hours), its passage's similarity, the share of the question's words it and its
/// headings contain, and whether it holds the kind of answer asked for (a price, a time of day, a number;
/// <see cref="AnswerKinds"/>). A question word the whole knowledge base never uses (and that is not a one-letter slip of
/// a word it does use) lowers the score: it usually names something the business does not offer ("implants", "rabbits").
/// Below <see cref="Threshold"/> nothing is chosen and the bot says it does not know. An <see cref="OfferQuestion"/>
/// naming such a thing is not answered unless the best sentence is close to it in meaning (<see cref="OfferSimilarity"/>):
/// "do you fix boilers?" to a plumber who writes only about water heaters is a service the business does not list, and
/// however near its water-heater prices score, they do not answer it. Any other question naming such a thing, when the
/// chosen passage names none of the things asked about, needs <see cref="NearMissSimilarity"/> (<see cref="NearMiss"/>).
/// </summary>
public static class ExtractiveAnswer
{
    // Weights and threshold for the built-in sentence model, chosen on the development half of the evaluation set
    // (tests/Parley.Server.Tests/Features/Knowledge/Evaluation/Visitors); a different model needs its own.
    public const double SentenceWeight = 1.0;
    public const double PassageWeight = 0.3;
    public const double TermWeight = 0.3;
    public const double UnknownTermPenalty = 0.3;
    public const double Threshold = 0.475;

    /// <summary>
    /// Added to a sentence that holds the kind of answer the question asks for (<see cref="AnswerKinds"/>): "what time do u
    /// open" is answered by the sentence with the hours, not by "We are closed on Sundays" beside it.
    /// </summary>
    public const double KindWeight = 0.1;

    /// <summary>
    /// How similar in meaning the best sentence must be to an <see cref="OfferQuestion"/> that names something the
    /// knowledge never mentions: "do you fix boilers?" against a plumber's water-heater prices is 0.25 and abstains; "do you
    /// have cameras so I can watch my pup" against "You can watch your dog on our webcam …" is 0.56 and answers.
    /// </summary>
    public const double OfferSimilarity = 0.5;

    /// <summary>
    /// How similar in meaning the best sentence must be to a <see cref="NearMiss"/>: "what time does the pharmacy open"
    /// against a dentist's opening hours is 0.57 and abstains.
    /// </summary>
    public const double NearMissSimilarity = 0.6;

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
        IReadOnlyList<IReadOnlyList<float[]>> sentenceVectors, IReadOnlySet<string>? vocabulary)
    {
        var terms = PassageRanker.QueryTerms(question);
        var kind = AnswerKinds.Of(question);
        (int Passage, int Sentence, double Score, double Similarity)? best = null;
        for (var p = 0; p < Math.Min(passages.Count, sentenceVectors.Count); p++)
        {
            var sentences = PassageEmbedding.SentencesOf(passages[p].Text);
            for (var s = 0; s < sentences.Count && s < sentenceVectors[p].Count; s++)
            {
                var score = SentenceScore(terms, kind, queryVector, passages[p], sentences[s], sentenceVectors[p][s]);
                if (best is null || score > best.Value.Score)
                {
                    best = (p, s, score, VectorMath.Dot(queryVector, sentenceVectors[p][s]));
                }
            }
        }
        if (best is not { } chosen)
        {
            return null;
        }
        var unknown = UnknownTerms(terms, vocabulary);
        var confidence = chosen.Score - (UnknownTermPenalty * unknown / Math.Max(1, terms.Count));
        var passage = passages[chosen.Passage];
        if (confidence < Threshold
            || (chosen.Similarity < OfferSimilarity && OfferQuestion.Is(question) && NamesUnknownThing(terms, vocabulary))
            || (chosen.Similarity < NearMissSimilarity && NearMiss.Is(terms, vocabulary, passage)))
        {
            return null;
        }
        var all = PassageEmbedding.SentencesOf(passage.Text);
        var neighbour = Neighbour(all, chosen.Sentence, i => SentenceScore(terms, kind, queryVector, passage, all[i], sentenceVectors[chosen.Passage][i]) - (PassageWeight * (passage.Similarity ?? 0)), chosen.Score - (PassageWeight * (passage.Similarity ?? 0)));
        // Stryker disable once Equality : the neighbour is the sentence before or after the chosen one, never the chosen one itself.
        var text = neighbour switch
        {
            null => all[chosen.Sentence],
            var n when n < chosen.Sentence => all[n.Value] + " " + all[chosen.Sentence],
            var n => all[chosen.Sentence] + " " + all[n.Value],
        };
        return new ChosenAnswer(passage, text, Math.Round(confidence, 4));
    }

    /// <summary>
    /// For a <see cref="LocationQuestion"/>: the sentence of <paramref name="passages"/> with a street address that is
    /// closest to the question in meaning, or null when none has an address.
    /// </summary>
    public static ChosenAnswer? ChooseAddress(float[] queryVector, IReadOnlyList<KnowledgePassage> passages, IReadOnlyList<IReadOnlyList<float[]>> sentenceVectors)
    {
        ChosenAnswer? best = null;
        for (var p = 0; p < Math.Min(passages.Count, sentenceVectors.Count); p++)
        {
            var sentences = PassageEmbedding.SentencesOf(passages[p].Text);
            for (var s = 0; s < sentences.Count && s < sentenceVectors[p].Count; s++)
            {
                var similarity = VectorMath.Dot(queryVector, sentenceVectors[p][s]);
                if (LocationQuestion.HasStreetAddress(sentences[s]) && (best is null || similarity > best.Confidence))
                {
                    best = new ChosenAnswer(passages[p], sentences[s], similarity);
                }
            }
        }
        return best is null ? null : best with { Confidence = Math.Round(best.Confidence, 4) };
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

    private static double SentenceScore(
        IReadOnlyList<string> terms, AnswerKind kind, float[] query, KnowledgePassage passage, string sentence, float[] vector)
    {
        var found = new HashSet<string>(SearchTerms.Analyze(sentence));
        // Stryker disable once Linq : the words go into a set, so the title before or after the headings gives the same terms.
        found.UnionWith(SearchTerms.Analyze(string.Join(' ', passage.HeadingPath.Append(passage.SourceTitle))));
        var termShare = terms.Count == 0 ? 0 : (double)terms.Count(found.Contains) / terms.Count;
        // A question that does not say what kind of answer it wants (Any) adds nothing, though every sentence holds Any.
        var kindScore = kind != AnswerKind.Any && AnswerKinds.Holds(sentence, kind) ? KindWeight : 0;
        return (SentenceWeight * VectorMath.Dot(query, vector)) + (PassageWeight * (passage.Similarity ?? 0)) + (TermWeight * termShare) + kindScore;
    }

    /// <summary>
    /// Question words of four letters or more, not numbers, that the knowledge base never uses and that are not one
    /// slip (a letter added, dropped, changed or swapped) away from a word it does use. General words of questions
    /// ("someone", "time", "after") name nothing the business could lack, so they do not count.
    /// </summary>
    public static int UnknownTerms(IReadOnlyList<string> terms, IReadOnlySet<string>? vocabulary)
    {
        if (vocabulary is null || vocabulary.Count == 0)
        {
            return 0;
        }
        return terms.Count(t => t.Length >= 4 && !t.All(char.IsAsciiDigit) && !GeneralWords.Contains(t) && !Knows(vocabulary, t));
    }

    /// <summary>Whether <paramref name="words"/> hold <paramref name="term"/> or a word one slip away from it.</summary>
    public static bool Knows(IReadOnlySet<string> words, string term) =>
        words.Contains(term) || words.Any(w => OneSlipApart(w, term));

    /// <summary>
    /// Whether the question names a thing the knowledge never mentions: a word that can name a thing ("cats", "vet",
    /// "boilers"; <see cref="NearMiss.NamesAThing"/>) outside its vocabulary and not a slip of a word in it.
    /// </summary>
    private static bool NamesUnknownThing(IReadOnlyList<string> terms, IReadOnlySet<string>? vocabulary) =>
        vocabulary is { Count: > 0 } && terms.Any(t => NearMiss.NamesAThing(t) && !Knows(vocabulary, t));

    /// <summary>
    /// Whether two words differ by one letter added, dropped, changed or swapped. Words under four letters, on either
    /// side, have no slips: "cat" is not a slip of "coat".
    /// </summary>
    public static bool OneSlipApart(string a, string b)
    {
        if (Math.Abs(a.Length - b.Length) > 1 || Math.Min(a.Length, b.Length) < 4)
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
