using Parley.Engine.Knowledge;

namespace Parley.Engine.Guardrails;

/// <summary>What the topic rules decided about one question.</summary>
public enum TopicVerdict
{
    Allowed,
    OffTopic,
    Blocked,
}

/// <summary>
/// Keeps the bot on the business's subjects. A topic is a word or phrase; a few common ones carry related words
/// (see <see cref="Related"/>). The verdict weighs the question and what the knowledge base matched:
/// <list type="bullet">
/// <item>blocked when the question, or the knowledge the answer draws on, is about a blocked topic;</item>
/// <item>off-topic when allowed topics are set, the question names none of them, and the knowledge base had no
/// confident answer (so a question the business's own documents answer is never refused as off-topic).</item>
/// </list>
/// Words are compared by stem (<see cref="SearchTerms.Analyze"/>), so "refunds" matches the topic "refund".
/// </summary>
public static class TopicRules
{
    /// <summary>Related words of common topics, so that "who should I vote for" is about politics.</summary>
    // Stryker disable all : word lists are data, not rules; the tests check each topic with one of its words.
    public static IReadOnlyDictionary<string, string[]> Related { get; } = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase)
    {
        ["politics"] = ["politic", "political", "election", "elections", "vote", "voting", "president", "government", "parliament", "senator", "democrat", "republican", "party"],
        ["religion"] = ["religion", "religious", "god", "church", "mosque", "bible", "quran", "pray", "prayer"],
        ["medical"] = ["medical", "medicine", "diagnosis", "diagnose", "symptom", "symptoms", "disease", "doctor", "prescription", "dosage"],
        ["legal"] = ["legal", "lawyer", "lawsuit", "sue", "court", "attorney"],
        ["finance"] = ["invest", "investment", "stock", "stocks", "crypto", "bitcoin", "trading"],
        ["competitors"] = ["competitor", "competitors", "alternative", "alternatives"],
    };

    public static TopicVerdict Judge(
        string question, bool knowledgeMatched, string? knowledgeText, IReadOnlyCollection<string> allowed, IReadOnlyCollection<string> blocked)
    {
        var questionTerms = new HashSet<string>(SearchTerms.Analyze(question));
        if (blocked.Count > 0)
        {
            var knowledgeTerms = knowledgeText is null ? [] : new HashSet<string>(SearchTerms.Analyze(knowledgeText));
            if (blocked.Any(t => Mentions(questionTerms, t) || Mentions(knowledgeTerms, t)))
            {
                return TopicVerdict.Blocked;
            }
        }
        if (allowed.Count > 0 && !knowledgeMatched && !allowed.Any(t => Mentions(questionTerms, t)))
        {
            return TopicVerdict.OffTopic;
        }
        return TopicVerdict.Allowed;
    }

    private static bool Mentions(HashSet<string> terms, string topic)
    {
        if (terms.Count == 0)
        {
            return false;
        }
        var topicTerms = SearchTerms.Analyze(topic);
        if (topicTerms.Count > 0 && topicTerms.All(terms.Contains))
        {
            return true;
        }
        return Related.TryGetValue(topic.Trim(), out var related)
            && related.Any(r => SearchTerms.Analyze(r) is { Count: > 0 } rt && rt.All(terms.Contains));
    }
}
