using Parley.Engine.Leads;

namespace Parley.Engine.Tests.Leads;

public sealed class LeadScorerTests
{
    private static readonly Dictionary<string, string> NoUtm = [];

    [Fact]
    public void Score_EveryRule_AddsItsPoints()
    {
        var rules = new LeadScoringRules();
        var input = new LeadScoreInput(true, true, true, true, 1,
            ["What is your pricing?", "Can I book a demo?"], "https://shop.example/pricing", new Dictionary<string, string> { ["source"] = "ads" });

        // fields 10+20+15+10+2, keywords pricing+book+demo 15, page 10, campaign 5, engagement 2×2.
        Assert.Equal(57 + 15 + 10 + 5 + 4, LeadScorer.Score(rules, input));
    }

    [Fact]
    public void Explain_EveryRule_NamesWhatMatchedAndSumsToTheScore()
    {
        var rules = new LeadScoringRules();
        var input = new LeadScoreInput(true, true, false, false, 0,
            ["What is your pricing?", "Can I book a demo?"], "https://shop.example/pricing", new Dictionary<string, string> { ["source"] = "ads" });

        var parts = LeadScorer.Explain(rules, input);

        Assert.Equal(["field:name", "field:email", "intent_keywords", "intent_page", "campaign", "engagement"], parts.Select(p => p.Rule));
        Assert.Equal([10, 20, 15, 10, 5, 4], parts.Select(p => p.Points));
        Assert.Contains("pricing, demo, book", parts.Single(p => p.Rule == "intent_keywords").Detail, StringComparison.Ordinal);
        Assert.Contains("/pricing", parts.Single(p => p.Rule == "intent_page").Detail, StringComparison.Ordinal);
        Assert.Equal(LeadScorer.Score(rules, input), parts.Sum(p => p.Points));
    }

    [Fact]
    public void Score_NothingGiven_Zero()
    {
        Assert.Equal(0, LeadScorer.Score(new LeadScoringRules(), new LeadScoreInput(false, false, false, false, 0, [], null, NoUtm)));
    }

    [Fact]
    public void Score_KeywordsAreWholeWordsAndCapped()
    {
        var rules = new LeadScoringRules { PointsPerVisitorMessage = 0 };
        Assert.Equal(0, LeadScorer.Score(rules, new LeadScoreInput(false, false, false, false, 0, ["buyer prices"], null, NoUtm)));
        var many = new LeadScoreInput(false, false, false, false, 0, ["price quote buy purchase demo trial urgent"], null, NoUtm);
        Assert.Equal(rules.MaxIntentPoints, LeadScorer.Score(rules, many));
    }

    [Fact]
    public void Score_ConfiguredRules_CappedAtMaximum()
    {
        var rules = new LeadScoringRules { Maximum = 30 };
        Assert.Equal(30, LeadScorer.Score(rules, new LeadScoreInput(true, true, true, true, 10, [], null, NoUtm)));
    }

    [Theory]
    [InlineData("new", "contacted", true)]
    [InlineData("contacted", "qualified", true)]
    [InlineData("qualified", "won", true)]
    [InlineData("contacted", "lost", true)]
    [InlineData("new", "won", false)]
    [InlineData("new", "qualified", false)]
    [InlineData("won", "lost", false)]
    [InlineData("lost", "new", false)]
    [InlineData("qualified", "qualified", true)]
    public void CanMove_Pipeline(string from, string to, bool allowed)
    {
        Assert.Equal(allowed, LeadStatus.CanMove(from, to));
    }
}
