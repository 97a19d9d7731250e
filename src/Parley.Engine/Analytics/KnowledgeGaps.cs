using Parley.Engine.Knowledge;

namespace Parley.Engine.Analytics;

/// <summary>A question the bot could not answer: its text, when it was asked and in which conversation.</summary>
public sealed record AskedQuestion(string Text, DateTimeOffset AskedAt, string ConversationId);

/// <summary>
/// Unanswered questions that ask the same thing. <see cref="Question"/> is the group's most frequent wording (as it
/// was last typed); <see cref="Wordings"/> lists the group's wordings, most frequent first; <see cref="ConversationIds"/>
/// the conversations that asked, most recent first, at most <see cref="KnowledgeGaps.MaxExamples"/> of each.
/// </summary>
public sealed record QuestionGroup(
    string Question,
    IReadOnlySet<string> Terms,
    int Count,
    DateTimeOffset FirstAskedAt,
    DateTimeOffset LastAskedAt,
    IReadOnlyList<string> Wordings,
    IReadOnlyList<string> ConversationIds);

/// <summary>
/// Groups unanswered questions by similarity, the way the knowledge search reads them: each question becomes its set of
/// search terms (<see cref="SearchTerms"/>: stop words dropped, synonyms mapped, stemmed), and two questions are alike
/// when the Jaccard similarity of their sets is at least <see cref="Threshold"/>. Grouping is greedy and deterministic:
/// wordings are taken most frequent first, and each joins the first group whose leading wording it is alike to, or
/// leads a new one. Comparing with the leader only (not every member) keeps a group from drifting, one similar pair
/// at a time, to questions that have nothing in common with its name.
/// </summary>
public static class KnowledgeGaps
{
    /// <summary>Half the terms shared: "opening hours on sunday?" and "are you open sundays" meet, "sell bikes" and "sell gift cards" do not.</summary>
    public const double Threshold = 0.5;

    /// <summary>The most wordings and conversations a group lists.</summary>
    public const int MaxExamples = 5;

    /// <summary>The groups of <paramref name="questions"/>, largest first (then the most recently asked, then by wording).</summary>
    public static IReadOnlyList<QuestionGroup> Group(IEnumerable<AskedQuestion> questions)
    {
        // Questions with the same words in the same order are one wording, whatever their case and punctuation.
        var wordings = questions
            .Select(q => (Key: SearchTerms.Normalized(q.Text), Question: q))
            .Where(q => q.Key.Length > 0)
            .GroupBy(q => q.Key, StringComparer.Ordinal)
            .Select(g => new Wording(g.Key, [.. g.Select(q => q.Question).OrderByDescending(q => q.AskedAt)]))
            .OrderByDescending(w => w.Asked.Count).ThenByDescending(w => w.Asked[0].AskedAt).ThenBy(w => w.Key, StringComparer.Ordinal)
            .ToList();

        // Two wordings can only be alike if they share a term, so each is compared only with the leaders that share one,
        // in the order their groups were made: the first alike wins, as it would comparing with every group.
        var groups = new List<List<Wording>>();
        var groupsByLeaderTerm = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        foreach (var wording in wordings)
        {
            var candidates = new SortedSet<int>();
            foreach (var term in wording.Terms)
            {
                if (groupsByLeaderTerm.TryGetValue(term, out var indices))
                {
                    candidates.UnionWith(indices);
                }
            }
            var index = candidates.FirstOrDefault(i => AreAlike(groups[i][0].Terms, wording.Terms), -1);
            if (index >= 0)
            {
                groups[index].Add(wording);
                continue;
            }
            foreach (var term in wording.Terms)
            {
                if (!groupsByLeaderTerm.TryGetValue(term, out var indices))
                {
                    groupsByLeaderTerm[term] = indices = [];
                }
                indices.Add(groups.Count);
            }
            groups.Add([wording]);
        }

        return [.. groups.Select(ToGroup)
            .OrderByDescending(g => g.Count).ThenByDescending(g => g.LastAskedAt).ThenBy(g => g.Question, StringComparer.Ordinal)];
    }

    /// <summary>The distinct search terms of a text.</summary>
    public static IReadOnlySet<string> TermsOf(string text) => new HashSet<string>(SearchTerms.Analyze(text), StringComparer.Ordinal);

    /// <summary>|a ∩ b| / |a ∪ b|; 0 when either set is empty (a question of stop words only is like no other).</summary>
    public static double Similarity(IReadOnlySet<string> a, IReadOnlySet<string> b)
    {
        if (a.Count == 0 || b.Count == 0)
        {
            return 0;
        }
        var shared = a.Count(b.Contains);
        return (double)shared / (a.Count + b.Count - shared);
    }

    /// <summary>Whether two term sets ask the same thing: a similarity of at least <see cref="Threshold"/>.</summary>
    public static bool AreAlike(IReadOnlySet<string> a, IReadOnlySet<string> b) => Similarity(a, b) >= Threshold;

    private static QuestionGroup ToGroup(List<Wording> wordings)
    {
        var asked = wordings.SelectMany(w => w.Asked).OrderByDescending(q => q.AskedAt).ToList();
        return new QuestionGroup(
            wordings[0].Asked[0].Text.Trim(),
            wordings[0].Terms,
            asked.Count,
            asked[^1].AskedAt,
            asked[0].AskedAt,
            [.. wordings.Take(MaxExamples).Select(w => w.Asked[0].Text.Trim())],
            [.. asked.Select(q => q.ConversationId).Distinct(StringComparer.Ordinal).Take(MaxExamples)]);
    }

    /// <summary>One wording and every time it was asked, most recent first.</summary>
    private sealed record Wording(string Key, List<AskedQuestion> Asked)
    {
        public IReadOnlySet<string> Terms { get; } = TermsOf(Key);
    }
}
