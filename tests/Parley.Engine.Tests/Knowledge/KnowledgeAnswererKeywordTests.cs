using Parley.Engine.Knowledge;
using Parley.Engine.Responders;

namespace Parley.Engine.Tests.Knowledge;

public sealed class KnowledgeAnswererKeywordTests
{
    private static KnowledgePassage Passage(string id, string text) => new(id, "Guide", "https://example.com/guide", [], text, 1);

    [Fact]
    public void Answer_ConfidenceExactlyAtTheThreshold_Answers()
    {
        // Five words, all known to the passages retrieved; the best has three of them: 3 / 5 = 0.6.
        var best = Passage("ks_kayaks", "Kayak rental includes a helmet.");
        var other = Passage("ks_canoes", "Canoe paddles are sold separately.");

        var reply = KnowledgeAnswerer.Answer("kayak rental helmet canoe paddle", [best, other]);

        Assert.Equal(best.Text, reply?.Text);
        Assert.Null(KnowledgeAnswerer.Answer("kayak rental helmet canoe paddle harbour", [best, other]));
    }

    [Fact]
    public void Answer_NoPassagesOrNoSearchWords_NoAnswer()
    {
        Assert.Null(KnowledgeAnswerer.Answer("kayak rental", []));
        Assert.Null(KnowledgeAnswerer.Answer("what is it", [Passage("ks_1", "What is it.")]));
    }

    [Fact]
    public void Answer_LongAnswer_CitedWithAShortenedExcerpt()
    {
        var sentence = "Kayak rental " + string.Join(' ', Enumerable.Repeat("includes paddles and helmets", 12)) + ".";

        var citation = Assert.Single(KnowledgeAnswerer.Answer("kayak rental", [Passage("ks_1", sentence)])!.Citations!);

        Assert.Equal(300, citation.Excerpt.Length);
        Assert.Equal(sentence[..299].TrimEnd() + "…", citation.Excerpt);
        Assert.Equal("https://example.com/guide", citation.Url);
    }

    [Fact]
    public void Answer_AnswerOfExcerptLength_CitedWhole()
    {
        var sentence = ("Kayak rental " + string.Join(' ', Enumerable.Repeat("includes paddles and helmets", 12)))[..299] + ".";

        Assert.Equal(sentence, Assert.Single(KnowledgeAnswerer.Answer("kayak rental", [Passage("ks_1", sentence)])!.Citations!).Excerpt);
    }

    private const string Welcome = "Welcome to the lake shop, where we have sold boats to visitors since the year 1990.";
    private const string Rental = "Every kayak rental lasts a full day and includes a paddle and a map of the lake.";
    private const string Canoes = "Canoes are sold in the shop at the lake front and in our second shop in the town.";

    [Fact]
    public void AnsweringSentences_TwoOrFewer_AllOfThem() =>
        Assert.Equal([Welcome, Canoes], KnowledgeAnswerer.AnsweringSentences(["helmet"], Welcome + " " + Canoes));

    [Fact]
    public void AnsweringSentences_ParagraphsWithoutFullStops_AreSentencesToo() =>
        Assert.Equal(["Kayak rental", "Ten pounds"], KnowledgeAnswerer.AnsweringSentences(["kayak", "rental"], "Kayak rental\n\nTen pounds\n\nBoats for sale"));

    [Fact]
    public void AnsweringSentences_BestSentenceAndTheOneAddingAnotherWord_InPassageOrder()
    {
        const string Helmets = "Helmets are lent for free.";

        Assert.Equal([Rental, Helmets], KnowledgeAnswerer.AnsweringSentences(["kayak", "rental", "helmet"], string.Join(' ', Welcome, Rental, Canoes, Helmets)));
        Assert.Equal([Helmets, Rental], KnowledgeAnswerer.AnsweringSentences(["kayak", "rental", "helmet"], string.Join(' ', Helmets, Welcome, Rental, Canoes)));
    }

    [Fact]
    public void AnsweringSentences_TwoSentencesAddTheSameWord_TheNearerJoins()
    {
        const string HelmetsFar = "Helmets for children are kept at the front desk by the door.";
        const string HelmetsNear = "Helmets for adults are kept at the back of the boat house.";

        Assert.Equal([Rental, HelmetsNear], KnowledgeAnswerer.AnsweringSentences(["kayak", "rental", "helmet"], string.Join(' ', HelmetsFar, Welcome, Rental, HelmetsNear)));
    }

    [Fact]
    public void AnsweringSentences_LongBestSentenceNothingToAdd_Alone() =>
        Assert.Equal([Rental], KnowledgeAnswerer.AnsweringSentences(["kayak", "rental"], string.Join(' ', Welcome, Rental, Canoes)));

    [Fact]
    public void AnsweringSentences_SentenceIntroducingWhatFollows_TakesTheNextOne()
    {
        const string Intro = "Kayak rental prices for every visitor who comes to our lake shop are as follows:";

        Assert.Equal([Intro, "Ten pounds an hour."], KnowledgeAnswerer.AnsweringSentences(["kayak", "rental"], string.Join("\n\n", Welcome, Intro, "Ten pounds an hour. Boats are sold here.")));
    }

    [Fact]
    public void AnsweringSentences_ShortBestSentence_TakesTheNextOne()
    {
        Assert.Equal(["Kayak rental daily.", Welcome], KnowledgeAnswerer.AnsweringSentences(["kayak", "rental"], string.Join(' ', "Kayak rental daily.", Welcome, Canoes)));
        Assert.Equal(["Kayak rental daily."], KnowledgeAnswerer.AnsweringSentences(["kayak", "rental"], string.Join(' ', Welcome, Canoes, "Kayak rental daily.")));
    }
}
