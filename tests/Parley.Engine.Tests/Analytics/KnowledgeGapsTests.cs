using Parley.Engine.Analytics;

namespace Parley.Engine.Tests.Analytics;

public sealed class KnowledgeGapsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    private static AskedQuestion Asked(string text, int minute, string conversation = "conv_1") => new(text, T0.AddMinutes(minute), conversation);

    private static HashSet<string> Set(params string[] terms) => new(terms, StringComparer.Ordinal);

    [Fact]
    public void Similarity_JaccardOfTermSets()
    {
        Assert.Equal(1, KnowledgeGaps.Similarity(Set("a", "b"), Set("b", "a")));
        Assert.Equal(0, KnowledgeGaps.Similarity(Set("a"), Set("b")));
        Assert.Equal(2.0 / 3, KnowledgeGaps.Similarity(Set("a", "b", "c"), Set("a", "b")), 12);
        Assert.Equal(0.25, KnowledgeGaps.Similarity(Set("a", "b"), Set("b", "c", "d")), 12);
        Assert.Equal(0, KnowledgeGaps.Similarity(Set(), Set()));
        Assert.Equal(0, KnowledgeGaps.Similarity(Set("a"), Set()));
        Assert.Equal(0, KnowledgeGaps.Similarity(Set(), Set("a")));
    }

    [Fact]
    public void AreAlike_HalfTheTermsShared_IsTheBoundary()
    {
        Assert.Equal(0.5, KnowledgeGaps.Threshold);
        Assert.True(KnowledgeGaps.AreAlike(Set("a"), Set("a", "b")));
        Assert.True(KnowledgeGaps.AreAlike(Set("a", "b"), Set("a", "b", "c", "d")));
        Assert.False(KnowledgeGaps.AreAlike(Set("a"), Set("a", "b", "c")));
        Assert.False(KnowledgeGaps.AreAlike(Set("a", "b", "c"), Set("a", "d", "e", "b", "f")));
    }

    [Fact]
    public void TermsOf_SearchTermsWithoutRepeats()
    {
        var terms = KnowledgeGaps.TermsOf("Are you open on Sunday? Opening hours on sunday!");
        Assert.Equal(2, terms.Count);
        Assert.Equal(KnowledgeGaps.TermsOf("sunday hours"), terms);
        Assert.Empty(KnowledgeGaps.TermsOf("Hi, hello?"));
    }

    [Fact]
    public void Group_SameWordsAnyCaseOrPunctuation_OneWordingNamedAsLastTyped()
    {
        var groups = KnowledgeGaps.Group([
            Asked("Do you sell gift cards?", 1, "conv_a"),
            Asked("  do you sell GIFT cards ", 3, "conv_b"),
            Asked("Do you sell gift-cards", 2, "conv_c"),
        ]);

        var group = Assert.Single(groups);
        Assert.Equal("do you sell GIFT cards", group.Question);
        Assert.Equal(3, group.Count);
        Assert.Equal(["do you sell GIFT cards"], group.Wordings);
        Assert.Equal(T0.AddMinutes(1), group.FirstAskedAt);
        Assert.Equal(T0.AddMinutes(3), group.LastAskedAt);
        Assert.Equal(["conv_b", "conv_c", "conv_a"], group.ConversationIds);
        Assert.Equal(Set("sell", "gift", "card"), group.Terms);
    }

    [Fact]
    public void Group_SimilarWordings_OneGroupNamedByTheMostFrequent()
    {
        var groups = KnowledgeGaps.Group([
            Asked("Are you open Sundays?", 9),
            Asked("When are you open on Sunday?", 1),
            Asked("What are your opening hours on sunday", 5),
            Asked("When are you open on Sunday?", 2),
            Asked("Do you sell gift cards?", 3),
        ]);

        Assert.Equal(2, groups.Count);
        Assert.Equal("When are you open on Sunday?", groups[0].Question);
        Assert.Equal(4, groups[0].Count);
        // Most frequent first; equally frequent, the most recently asked first.
        Assert.Equal(["When are you open on Sunday?", "Are you open Sundays?", "What are your opening hours on sunday"], groups[0].Wordings);
        Assert.Equal(T0.AddMinutes(1), groups[0].FirstAskedAt);
        Assert.Equal(T0.AddMinutes(9), groups[0].LastAskedAt);
        Assert.Equal("Do you sell gift cards?", groups[1].Question);
        Assert.Equal(1, groups[1].Count);
    }

    [Fact]
    public void Group_ComparedWithTheLeaderOnly_NoDriftThroughAChainOfPairs()
    {
        // "bike repair price" is like the leader "bike repair" (2 of 3 terms); "repair price" is like "bike repair
        // price" (2 of 3) but not like the leader (1 of 3), so it starts its own group.
        var groups = KnowledgeGaps.Group([
            Asked("bike repair", 1), Asked("bike repair", 2), Asked("bike repair", 3),
            Asked("bike repair price", 4), Asked("bike repair price", 5),
            Asked("repair price", 6),
        ]);

        Assert.Equal(2, groups.Count);
        Assert.Equal(("bike repair", 5), (groups[0].Question, groups[0].Count));
        Assert.Equal(["bike repair", "bike repair price"], groups[0].Wordings);
        Assert.Equal(("repair price", 1), (groups[1].Question, groups[1].Count));
    }

    [Fact]
    public void Group_EqualCounts_LeaderIsTheMostRecentWording()
    {
        var groups = KnowledgeGaps.Group([Asked("bike repair", 1), Asked("bike repairs", 7), Asked("bike repair", 2), Asked("bike repairs", 3)]);

        var group = Assert.Single(groups);
        Assert.Equal("bike repairs", group.Question);
        Assert.Equal(["bike repairs", "bike repair"], group.Wordings);
    }

    [Fact]
    public void Group_Order_LargestThenMostRecentThenByWording()
    {
        var groups = KnowledgeGaps.Group([
            Asked("do you sell scooters", 1),
            Asked("is there parking", 8),
            Asked("gift cards", 5),
            Asked("gift cards", 6),
            Asked("can i bring my dog", 8),
        ]);

        Assert.Equal(["gift cards", "can i bring my dog", "is there parking", "do you sell scooters"], groups.Select(g => g.Question));
    }

    [Fact]
    public void Group_StopWordsOnly_EachWordingAloneAndNoWordsAtAllLeftOut()
    {
        var groups = KnowledgeGaps.Group([Asked("Hi!", 1), Asked("hi", 2), Asked("Hello?", 3), Asked("???", 4), Asked("  ", 5)]);

        Assert.Equal([("hi", 2), ("Hello?", 1)], groups.Select(g => (g.Question, g.Count)));
    }

    [Fact]
    public void Group_ManyAsks_ExamplesCappedAndConversationsDistinct()
    {
        var asked = Enumerable.Range(0, 8).Select(i => Asked("gift cards", i, $"conv_{i % 7}"))
            .Concat(Enumerable.Range(0, 7).Select(i => Asked(new[] { "gift card", "the gift card", "Gift cards please", "a gift card", "gift cards for sale", "sell gift cards", "gift card price" }[i], 20 + i)))
            .ToList();

        var groups = KnowledgeGaps.Group(asked);

        var group = groups.Single(g => g.Question == "gift cards");
        Assert.Equal(KnowledgeGaps.MaxExamples, group.Wordings.Count);
        Assert.Equal(KnowledgeGaps.MaxExamples, group.ConversationIds.Count);
        Assert.Equal(group.ConversationIds.Distinct().Count(), group.ConversationIds.Count);
        // The most recent asks came from conv_1 (minutes 20-26), then conv_0 (minute 7), conv_6, conv_5, conv_4.
        Assert.Equal(["conv_1", "conv_0", "conv_6", "conv_5", "conv_4"], group.ConversationIds);
    }

    [Fact]
    public void Group_Nothing_NoGroups() => Assert.Empty(KnowledgeGaps.Group([]));

    [Theory]
    [InlineData(1_500, 30)]
    [InlineData(1_500, 300)]
    public void Group_ManyDistinctWordings_SameGroupsAsComparingWithEveryLeader(int count, int vocabulary)
    {
        var asked = DistinctWordings(count, vocabulary, seed: count + vocabulary);

        var groups = KnowledgeGaps.Group(asked);

        Assert.Equal(Describe(BruteForce(asked)), Describe(groups));
        Assert.Contains(groups, g => g.Count > 1);
    }

    [Fact]
    public void Group_FiveThousandDistinctWordings_EveryAskInOneGroup()
    {
        var asked = DistinctWordings(5_000, 5_000, seed: 7);

        var groups = KnowledgeGaps.Group(asked);

        Assert.Equal(5_000, groups.Sum(g => g.Count));
        Assert.All(groups, g => Assert.True(g.Wordings.All(w => KnowledgeGaps.AreAlike(g.Terms, KnowledgeGaps.TermsOf(w)))));
    }

    // Each wording asked once, a minute apart, so the most recent is taken first; two to four made-up words each.
    private static List<AskedQuestion> DistinctWordings(int count, int vocabulary, int seed)
    {
        var random = new Random(seed);
        var texts = new HashSet<string>(StringComparer.Ordinal);
        while (texts.Count < count)
        {
            texts.Add(string.Join(' ', Enumerable.Range(0, random.Next(2, 5)).Select(_ => $"w{random.Next(vocabulary)}")));
        }
        return [.. texts.Select((text, i) => Asked(text, i, $"conv_{i}"))];
    }

    // The grouping as first written: each wording, most recent first, compared with every group's leader.
    private static List<(string Question, int Count, string[] Wordings)> BruteForce(List<AskedQuestion> asked)
    {
        var groups = new List<List<(string Text, IReadOnlySet<string> Terms)>>();
        foreach (var question in asked.OrderByDescending(q => q.AskedAt).Select(q => (q.Text, Terms: KnowledgeGaps.TermsOf(q.Text))))
        {
            var group = groups.FirstOrDefault(g => KnowledgeGaps.AreAlike(g[0].Terms, question.Terms));
            if (group is null)
            {
                groups.Add([question]);
            }
            else
            {
                group.Add(question);
            }
        }
        return [.. groups.Select(g => (g[0].Text, g.Count, g.Take(KnowledgeGaps.MaxExamples).Select(q => q.Text).ToArray()))];
    }

    private static List<string> Describe(IEnumerable<QuestionGroup> groups) => Describe(groups.Select(g => (g.Question, g.Count, g.Wordings.ToArray())));

    private static List<string> Describe(IEnumerable<(string Question, int Count, string[] Wordings)> groups) =>
        [.. groups.Select(g => $"{g.Question} ({g.Count}): {string.Join(" | ", g.Wordings)}").Order(StringComparer.Ordinal)];
}
